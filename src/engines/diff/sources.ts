import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { discoverApis, type ApiEntry } from '../../core/contract/discover.ts';
import { loadContract } from '../../core/contract/load.ts';
import type { SourceLocation } from '../../core/contract/location.ts';
import type { Contract } from '../../core/contract/model.ts';
import { SpecError, UsageError } from '../../core/errors.ts';
import type { ProjectPaths } from '../../core/paths.ts';
import type { DiffResult } from './index.ts';

/** One side of a diff, loaded through the one loader. */
export interface LoadedSide {
  /** As given on the command line. */
  spec: string;
  /** Human description: `specs/defguard/openapi.yaml`, `defguard@HEAD~3 (1a2b3c4)`, `defguard@1.0.0 (tag)`. */
  label: string;
  api: string;
  contract: Contract;
  /**
   * A location of this side as the reader finds it: a side read from a git ref was loaded from a
   * temporary copy, so its files are named by their place in the repository (their lines are those at the ref).
   */
  place(location: SourceLocation): SourceLocation;
}

const asIs = (location: SourceLocation) => location;

const SEMVER = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  pre?: string;
  text: string;
}

export function parseSemver(text: string): SemVer | undefined {
  const m = SEMVER.exec(text.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), pre: m[4], text: text.trim() };
}

export function compareSemver(a: SemVer, b: SemVer): number {
  const d = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (d !== 0) return d;
  if (a.pre === b.pre) return 0;
  if (a.pre === undefined) return 1;
  if (b.pre === undefined) return -1;
  return a.pre.localeCompare(b.pre, 'en', { numeric: true });
}

function git(root: string, args: string[]): { ok: boolean; stdout: string; stderr: string } {
  const r = spawnSync('git', ['-C', root, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw new UsageError(`cannot run git: ${r.error.message}`);
  return { ok: r.status === 0, stdout: r.stdout ?? '', stderr: (r.stderr ?? '').trim() };
}

/** The git work tree holding the project, and the project's specs folder relative to it. */
function gitLayout(paths: ProjectPaths): { top: string; specsRel: string } {
  const r = git(paths.root, ['rev-parse', '--show-toplevel']);
  if (!r.ok) throw new UsageError(`${paths.root} is not inside a git repository; API@ref needs git`);
  const top = r.stdout.trim();
  const specsRel = path.relative(fs.realpathSync(top), fs.realpathSync(paths.specs)).split(path.sep).join('/');
  return { top, specsRel };
}

/** Release tags of an API (`<api>@<semver>`), highest version first. */
export function releaseTags(paths: ProjectPaths, api: string): Array<{ tag: string; version: SemVer }> {
  const { top } = gitLayout(paths);
  const r = git(top, ['tag', '--list', `${api}@*`]);
  if (!r.ok) throw new UsageError(`git tag failed: ${r.stderr.split('\n')[0]}`);
  return r.stdout
    .split('\n')
    .map((t) => t.trim())
    .filter(Boolean)
    .map((tag) => ({ tag, version: parseSemver(tag.slice(api.length + 1).replace(/^v/, '')) }))
    .filter((t): t is { tag: string; version: SemVer } => t.version !== undefined)
    .sort((a, b) => compareSemver(b.version, a.version));
}

function commitOf(top: string, ref: string): string | undefined {
  if (ref.startsWith('-') || ref.length === 0) return undefined;
  const r = git(top, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
  return r.ok ? r.stdout.trim() : undefined;
}

/**
 * Writes `specs/<api>/` and `specs/shared/` as they were at a commit into a fresh temporary folder,
 * with `git archive | tar -x`, and returns the root document's path there.
 */
function materialise(paths: ProjectPaths, api: string, commit: string, display: string): { rootFile: string; place(location: SourceLocation): SourceLocation; cleanup(): void } {
  const { top, specsRel } = gitLayout(paths);
  const prefix = specsRel ? `${specsRel}/` : '';
  const wanted = [`${prefix}${api}`, `${prefix}shared`].filter((p) => git(top, ['cat-file', '-e', `${commit}:${p}`]).ok);
  if (!wanted.includes(`${prefix}${api}`) || !git(top, ['cat-file', '-e', `${commit}:${prefix}${api}/openapi.yaml`]).ok) {
    throw new UsageError(`${display}: there is no specs/${api}/openapi.yaml at that ref`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contracts-diff-'));
  const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    const tar = execFileSync('git', ['-C', top, 'archive', '--format=tar', commit, '--', ...wanted], { maxBuffer: 256 * 1024 * 1024 });
    execFileSync('tar', ['-x', '-C', dir], { input: tar });
  } catch (e) {
    cleanup();
    throw new UsageError(`${display}: cannot extract the spec at that ref: ${String((e as Error).message).split('\n')[0]}`);
  }
  const place = (location: SourceLocation) => (location.file.startsWith(dir + path.sep) ? { ...location, file: path.join(top, path.relative(dir, location.file)) } : location);
  return { rootFile: path.join(dir, prefix, api, 'openapi.yaml'), place, cleanup };
}

/**
 * Loads one side through the one loader. A broken spec is one line naming the side (the loader lists
 * each problem on a line of its own; a diff has two sides to tell apart), with temporary paths named
 * as the repository's.
 */
async function loadSideContract(entry: ApiEntry, display: string, place: (location: SourceLocation) => SourceLocation): Promise<Contract> {
  try {
    return await loadContract(entry);
  } catch (err) {
    if (!(err instanceof SpecError)) throw err;
    const dir = path.dirname(entry.rootFile);
    const shown = place({ file: dir, pointer: '' }).file;
    const text = err.message.split(dir).join(shown).replace(/:?\n\s*/g, ': ');
    // A side given as a file path is already named by the loader's message.
    throw new SpecError(text.startsWith(display) ? text : `${display}: ${text}`);
  }
}

/**
 * Loads the contract of an API as it was at a commit. The contract keeps what it read (its source
 * map holds the file texts), so the temporary copy is gone when this returns.
 */
export async function loadAtCommit(paths: ProjectPaths, api: string, commit: string, display: string): Promise<{ contract: Contract; place(location: SourceLocation): SourceLocation }> {
  const m = materialise(paths, api, commit, display);
  try {
    return { contract: await loadSideContract({ name: api, rootFile: m.rootFile }, display, m.place), place: m.place };
  } finally {
    m.cleanup();
  }
}

/** Resolves `<api>@<version>` (a release tag) or `<api>@<git ref>` to a commit. */
export function resolveRef(paths: ProjectPaths, api: string, ref: string): { commit: string; label: string } {
  const { top } = gitLayout(paths);
  const version = parseSemver(ref.replace(/^v/, ''));
  if (version) {
    for (const tag of [`${api}@${ref}`, `${api}@${version.text}`, `${api}@v${version.text}`]) {
      const c = commitOf(top, `refs/tags/${tag}`);
      if (c) return { commit: c, label: `${api}@${ref} (tag ${tag}, ${c.slice(0, 7)})` };
    }
  }
  const c = commitOf(top, ref);
  if (c) return { commit: c, label: `${api}@${ref} (${c.slice(0, 7)})` };
  if (version) throw new UsageError(`no release tag '${api}@${ref}' and no git ref '${ref}' (release tags: ${releaseTags(paths, api).map((t) => t.tag).join(', ') || 'none yet'})`);
  throw new UsageError(`unknown git ref '${ref}' in ${api}@${ref}`);
}

/**
 * Loads one side of a diff. Accepted forms: a path to an OpenAPI file (or a folder holding
 * openapi.yaml); an API name (its working-tree contract); `<api>@<version>` (release tag
 * `<api>@<version>`); `<api>@<git ref>` (a branch, tag, commit or `HEAD~3`).
 */
export async function loadSide(paths: ProjectPaths, spec: string): Promise<LoadedSide> {
  const asPath = path.resolve(spec);
  if (fs.existsSync(asPath)) {
    const file = fs.statSync(asPath).isDirectory() ? path.join(asPath, 'openapi.yaml') : asPath;
    if (!fs.existsSync(file)) throw new UsageError(`${spec}: no openapi.yaml in that folder`);
    const name = path.basename(file).replace(/\.(ya?ml|json)$/i, '');
    return { spec, label: path.relative(process.cwd(), file) || file, api: name, contract: await loadSideContract({ name, rootFile: file }, spec, asIs), place: asIs };
  }
  const at = spec.indexOf('@');
  const api = at < 0 ? spec : spec.slice(0, at);
  const ref = at < 0 ? undefined : spec.slice(at + 1);
  if (/[\\/]|\.(ya?ml|json)$/i.test(api) || api === '') {
    throw new UsageError(`${spec}: file not found`);
  }
  const known = discoverApis(paths).map((a) => a.name);
  if (ref === undefined) {
    if (!known.includes(api)) throw new UsageError(`unknown API '${api}'; known APIs: ${known.join(', ') || '(none)'}`);
    const rootFile = path.join(paths.specs, api, 'openapi.yaml');
    return { spec, label: `${api} (working tree)`, api, contract: await loadSideContract({ name: api, rootFile }, spec, asIs), place: asIs };
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(api)) throw new UsageError(`unknown API '${api}'; known APIs: ${known.join(', ')}`);
  if (ref === '') throw new UsageError(`${spec}: missing git ref or version after '@'`);
  const { commit, label } = resolveRef(paths, api, ref);
  return { spec, label, api, ...(await loadAtCommit(paths, api, commit, spec)) };
}

/** The changes of a diff with each location named as the reader finds it on its side (see `LoadedSide.place`). */
export function placeChanges(result: DiffResult, old: Pick<LoadedSide, 'place'>, now: Pick<LoadedSide, 'place'>): DiffResult {
  return { ...result, changes: result.changes.map((c) => ({ ...c, oldLocation: old.place(c.oldLocation), newLocation: now.place(c.newLocation) })) };
}
