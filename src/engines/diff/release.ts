import fs from 'node:fs';
import path from 'node:path';
import type { ApiEntry } from '../../core/contract/discover.ts';
import { loadContract } from '../../core/contract/load.ts';
import { isObject } from '../../core/contract/pointer.ts';
import type { ProjectPaths } from '../../core/paths.ts';
import { diffContracts, type DiffResult } from './index.ts';
import { compareSemver, loadAtCommit, placeChanges, parseSemver, releaseTags, resolveRef, type SemVer } from './sources.ts';

export interface ReleaseCheck {
  api: string;
  version: string;
  /** The last release tag compared against, if any. */
  released?: string;
  ok: boolean;
  /** What was found: one line each. */
  notes: string[];
  result?: DiffResult;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** True when CHANGELOG.md has a heading for the version: `## 1.2.0`, `## [1.2.0] - 2026-01-01`, `## v1.2.0 …`. */
export function changelogHasVersion(text: string, version: string): boolean {
  return new RegExp(`^#{1,4}\\s*\\[?v?${escapeRe(version)}\\]?(?=\\s|$|[^0-9A-Za-z.-])`, 'm').test(text);
}

/** The major version must rise for breaking changes (the minor one while the major is 0). */
function breakingBumpOk(released: SemVer, current: SemVer): boolean {
  if (released.major === 0 && current.major === 0) return current.minor > released.minor;
  return current.major > released.major;
}

/** Serialises with sorted keys, so that two bundles of the same contract compare equal. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (isObject(value)) return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stable(value[k])}`).join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/**
 * Checks one API for release hygiene: a semantic `info.version`, a CHANGELOG entry for it, and —
 * against the highest `<api>@<semver>` tag — a version bump that fits the changes since.
 */
export async function releaseCheck(paths: ProjectPaths, entry: ApiEntry): Promise<ReleaseCheck> {
  const current = await loadContract(entry);
  const info = current.document.info;
  const versionText = isObject(info) && typeof info.version === 'string' ? info.version : '';
  const check: ReleaseCheck = { api: entry.name, version: versionText, ok: true, notes: [] };
  const fail = (note: string) => {
    check.ok = false;
    check.notes.push(`FAIL ${note}`);
  };
  const version = parseSemver(versionText);
  if (!version) {
    fail(`info.version '${versionText}' is not a semantic version (MAJOR.MINOR.PATCH)`);
    return check;
  }
  const changelog = path.join(path.dirname(entry.rootFile), 'CHANGELOG.md');
  if (!fs.existsSync(changelog)) fail(`${path.relative(paths.root, changelog)} is missing`);
  else if (!changelogHasVersion(fs.readFileSync(changelog, 'utf8'), version.text)) fail(`${path.relative(paths.root, changelog)} has no entry for ${version.text}`);
  else check.notes.push(`CHANGELOG.md has an entry for ${version.text}`);

  const tags = releaseTags(paths, entry.name);
  const last = tags[0];
  if (!last) {
    check.notes.push(`no release tag ${entry.name}@* yet: nothing to compare (the first release will be tag ${entry.name}@${version.text})`);
    return check;
  }
  check.released = last.tag;
  const { commit } = resolveRef(paths, entry.name, last.tag.slice(entry.name.length + 1));
  const released = await loadAtCommit(paths, entry.name, commit, last.tag);
  const result = placeChanges(diffContracts(released.contract, current), released, { place: (location) => location });
  check.result = result;
  const changed = stable(released.contract.document) !== stable(current.document);
  const cmp = compareSemver(version, last.version);
  const counts = `${result.summary.breaking} breaking, ${result.summary['non-breaking']} non-breaking, ${result.summary.info} info`;
  if (!changed) {
    check.notes.push(`unchanged since ${last.tag}`);
    if (cmp !== 0) check.notes.push(`info.version ${version.text} differs from the released ${last.version.text} although nothing changed`);
    return check;
  }
  check.notes.push(`changed since ${last.tag}: ${counts}`);
  if (cmp === 0) fail(`the contract changed since ${last.tag} but info.version is still ${version.text}`);
  else if (cmp < 0) fail(`info.version ${version.text} is lower than the released ${last.version.text}`);
  else if (result.summary.breaking > 0 && !breakingBumpOk(last.version, version)) {
    const need = last.version.major === 0 ? `0.${last.version.minor + 1}.0` : `${last.version.major + 1}.0.0`;
    fail(`${result.summary.breaking} breaking change(s) since ${last.tag} need version ${need} or higher, not ${version.text}`);
  }
  return check;
}
