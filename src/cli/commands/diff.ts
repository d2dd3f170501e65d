import type { ApiEntry } from '../../core/contract/discover.ts';
import { formatDiff, parseFormat } from '../../engines/diff/format.ts';
import { diffContracts, failsOn } from '../../engines/diff/index.ts';
import { releaseCheck } from '../../engines/diff/release.ts';
import { loadSide } from '../../engines/diff/sources.ts';
import type { Severity } from '../../engines/diff/types.ts';
import { UsageError } from '../../core/errors.ts';
import type { ProjectPaths } from '../../core/paths.ts';

export interface DiffCommandOptions {
  format?: string;
  failOn?: string;
  /** `old=new` selectors (operationId or `GET /path`), repeatable. */
  operation?: string[];
}

export function parseFailOn(value: string | undefined): Severity {
  const v = value ?? 'breaking';
  if (v === 'breaking' || v === 'non-breaking') return v;
  throw new UsageError(`unknown --fail-on '${v}'; use breaking or non-breaking`);
}

export function parseOperationMap(values: string[] | undefined): Array<[string, string]> {
  return (values ?? []).map((v) => {
    const i = v.indexOf('=');
    const a = i < 0 ? v.trim() : v.slice(0, i).trim();
    const b = i < 0 ? v.trim() : v.slice(i + 1).trim();
    if (!a || !b) throw new UsageError(`--operation '${v}': expected old=new (operationId or 'GET /path' on each side)`);
    return [a, b];
  });
}

/** `contracts diff <old> <new>`: the report text and the exit code. */
export async function diffCommand(paths: ProjectPaths, oldSpec: string, newSpec: string, opts: DiffCommandOptions): Promise<{ output: string; exitCode: number }> {
  const format = parseFormat(opts.format ?? 'text');
  const failOn = parseFailOn(opts.failOn);
  const operations = parseOperationMap(opts.operation);
  const a = await loadSide(paths, oldSpec);
  const b = await loadSide(paths, newSpec);
  const result = diffContracts(a.contract, b.contract, { operations });
  const failed = failsOn(result, failOn);
  return { output: formatDiff(format, { old: a.label, new: b.label, result, failOn, failed }), exitCode: failed ? 1 : 0 };
}

/** `contracts release-check [api…]`: one block per API, then a summary line. */
export async function releaseCheckCommand(paths: ProjectPaths, apis: ApiEntry[]): Promise<{ lines: string[]; exitCode: number }> {
  const lines: string[] = [];
  let failed = 0;
  for (const api of apis) {
    const r = await releaseCheck(paths, api);
    if (!r.ok) failed++;
    lines.push(`${r.ok ? 'ok  ' : 'FAIL'} ${r.api} ${r.version}${r.released ? ` (last release ${r.released})` : ''}`);
    for (const n of r.notes) lines.push(`       ${n}`);
    if (!r.ok && r.result) for (const c of r.result.changes.filter((c) => c.severity === 'breaking')) lines.push(`       breaking ${c.id}: ${c.operations[0] ? `${c.operations[0]}: ` : ''}${c.message}`);
  }
  lines.push(`release-check: ${apis.length} API${apis.length === 1 ? '' : 's'}, ${failed} failed`);
  return { lines, exitCode: failed > 0 ? 1 : 0 };
}
