import type { ApiEntry } from '../../core/contract/discover.ts';
import { UsageError } from '../../core/errors.ts';
import { relativeToRoot, reportRoot, type ProjectPaths } from '../../core/paths.ts';
import { formatDiff, parseFormat } from '../../engines/diff/format.ts';
import { diffContracts, failsOn } from '../../engines/diff/index.ts';
import { releaseCheck } from '../../engines/diff/release.ts';
import { DIFF_RULE_INFO, diffRun } from '../../engines/diff/report.ts';
import { loadSide, placeChanges } from '../../engines/diff/sources.ts';
import type { Severity } from '../../engines/diff/types.ts';
import { parseReport, writeReports } from './test.ts';

export interface DiffCommandOptions {
  format?: string;
  failOn?: string;
  /** `old=new` selectors (operationId or `GET /path`), repeatable. */
  operation?: string[];
  /** `<format>:<path>` files written through the runner's reporters (json, junit, sarif, html), repeatable. */
  report?: string[];
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

/** `contracts diff <old> <new>`: the report text, the report files written, and the exit code. */
export async function diffCommand(paths: ProjectPaths, oldSpec: string, newSpec: string, opts: DiffCommandOptions): Promise<{ output: string; exitCode: number }> {
  const format = parseFormat(opts.format ?? 'text');
  const failOn = parseFailOn(opts.failOn);
  const operations = parseOperationMap(opts.operation);
  const reports = (opts.report ?? []).map(parseReport);
  const started = performance.now();
  const a = await loadSide(paths, oldSpec);
  const b = await loadSide(paths, newSpec);
  const result = placeChanges(diffContracts(a.contract, b.contract, { operations }), a, b);
  const failed = failsOn(result, failOn);
  const lines = [formatDiff(format, { old: a.label, new: b.label, result, failOn, failed, root: process.cwd() })];
  if (reports.length > 0) {
    const run = diffRun(result, { old: a.label, api: b.api, version: b.contract.version }, failOn, paths.root, Math.round(performance.now() - started));
    const written = writeReports(reports, [run], reportRoot(), [], DIFF_RULE_INFO);
    // Machine-readable stdout stays one document; the files written are said only in text.
    if (format === 'text') lines.push(...written.map((file) => `report: ${relativeToRoot(paths, file)}`));
  }
  return { output: lines.join('\n'), exitCode: failed ? 1 : 0 };
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
