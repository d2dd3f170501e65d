import { formatLocation } from '../../src/core/contract/location.ts';
import { CREDENTIAL_CLASSES } from '../../src/core/contract/model.ts';
import { UNCOVERED_REASONS, type Coverage, type CoverageTotals, type UncoveredReason } from '../coverage.ts';
import { baselineLabel, failsRun } from '../baseline.ts';
import type { RunResult } from '../run.ts';
import type { CheckResult } from '../types.ts';
import { byOperation, totals } from './summary.ts';

export { totals };

/** Human-readable report: one line per operation, failures expanded with location and curl. */
export function formatRun(run: RunResult, root: string): string {
  const lines: string[] = [];
  const byOp = byOperation(run.results);
  const t = totals(run.results);
  lines.push(`${run.api} ${run.contractVersion} against ${run.baseUrl}: ${byOp.size} operations, ${run.results.length} checks`);
  const idWidth = Math.min(34, Math.max(...[...byOp.keys()].map((k) => k.length), 10));
  for (const [opId, results] of byOp) {
    const first = results[0]!;
    const failed = results.filter((r) => r.status === 'failed');
    // An operation whose failures the baseline all knows is `known`, not FAIL: it does not fail the run.
    const mark = failed.some(failsRun) ? 'FAIL' : failed.length > 0 ? 'known' : 'ok  ';
    const counts = `${results.filter((r) => r.status === 'passed').length} passed${failed.length ? `, ${failed.length} failed` : ''}`;
    lines.push(`  ${mark.padEnd(4)} ${opId.padEnd(idWidth)} ${first.method.padEnd(6)} ${first.path}  (${counts})`);
    for (const r of failed) {
      for (const f of r.findings) {
        lines.push(`       ${r.check}${r.mutation ? ` [${r.mutation}]` : ''}: ${baselineLabel(f)}${f.message}`);
        lines.push(`         at ${formatLocation(f.location, root)}`);
      }
      if (r.curl) lines.push(`         repeat: ${r.curl}`);
    }
  }
  const matrix = formatAuthMatrix(run.results);
  if (matrix) lines.push(matrix);
  lines.push(...formatDiscoveryAndCleanup(run));
  if (run.coverage) lines.push(formatCoverage(run.coverage));
  lines.push(`  ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped in ${(run.durationMs / 1000).toFixed(1)}s`);
  return lines.join('\n');
}

/**
 * Credential classes × outcome over the secured operations: how many operations honoured each
 * class, how many did not, and how many could not be tried (with the most common reason).
 */
export function formatAuthMatrix(results: CheckResult[]): string | undefined {
  const rows: string[] = [];
  for (const cls of CREDENTIAL_CLASSES) {
    const id = `auth-${cls}`;
    const own = results.filter((r) => r.check === id);
    if (own.length === 0) continue;
    const t = totals(own);
    const reasons = new Map<string, number>();
    for (const r of own) if (r.status === 'skipped' && r.message) reasons.set(r.message, (reasons.get(r.message) ?? 0) + 1);
    const top = [...reasons.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
    rows.push(`    ${cls.padEnd(14)} ${String(t.passed).padStart(5)} ${String(t.failed).padStart(6)} ${String(t.skipped).padStart(7)}${top ? `  ${top}` : ''}`);
  }
  if (rows.length === 0) return undefined;
  return [`  auth matrix (operations per credential class)`, `    ${'class'.padEnd(14)} ${'passed'.padStart(5)} ${'failed'.padStart(6)} ${'skipped'.padStart(7)}`, ...rows].join('\n');
}

/** One API's totals and auth matrix, without the per-operation lines. */
export function formatRunSummary(run: RunResult): string {
  const t = totals(run.results);
  return [
    `${run.api} ${run.contractVersion} against ${run.baseUrl}: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`,
    formatAuthMatrix(run.results) ?? '',
    ...formatDiscoveryAndCleanup(run),
    run.coverage ? `  ${formatCoverageLine(run.coverage.totals)}` : '',
  ].filter(Boolean).join('\n');
}

/**
 * What the run learned and left behind: the discovery line, the workflow line (objects created,
 * read back, deleted and seen gone), what clean-up removed, and every object it could not remove
 * with the request that would.
 */
export function formatDiscoveryAndCleanup(run: RunResult): string[] {
  const lines: string[] = [];
  const d = run.discovery;
  if (d && d.operationsWithPathParameters > 0) {
    lines.push(`  discovery: ${d.reads} safe reads (${d.answered} answered 2xx); values learned for ${d.operationsWithValues}/${d.operationsWithPathParameters} operations with path parameters`);
  }
  const readBack = run.results.filter((r) => r.check === 'created-readable' && r.status !== 'skipped').length;
  const gone = run.results.filter((r) => r.check === 'deleted-gone' && r.status !== 'skipped').length;
  const c = run.cleanup;
  if (readBack + gone > 0 || (c && (c.removed > 0 || c.leftovers.length > 0))) {
    lines.push(`  workflows: ${readBack} created objects read back, ${gone} deleted objects checked gone; clean-up removed ${c?.removed ?? 0}, left ${c?.leftovers.length ?? 0}`);
  }
  for (const l of c?.leftovers ?? []) {
    lines.push(`    LEFT BEHIND ${l.object}: ${l.reason}`);
    if (l.curl) lines.push(`      remove with: ${l.curl}`);
  }
  const o = run.otherUser;
  if (o) {
    lines.push(
      o.notCovered
        ? `  objects tried with another user's credential: 0 — ${o.notCovered}`
        : `  objects tried with another user's credential: ${o.objects} (${o.operations} operations; objects of '${o.owner}', asked for by '${o.other}')`,
    );
  }
  if (run.interrupted) lines.push('  interrupted: cases not sent yet are reported as skipped');
  for (const e of run.baseline?.fixed ?? []) lines.push(`  fixed (no longer found; remove from ${run.baseline!.file}): ${e.fingerprint} ${e.operation ?? ''} ${e.check ?? ''}`);
  return lines;
}

/** Uncovered operations listed by name in the console; the JSON and HTML reports list them all. */
export const UNCOVERED_LISTED = 15;

/** `success responses judged: 40/45 operations (not-found 3, rejected 2)`: only reasons that occur. */
export function formatCoverageLine(t: CoverageTotals): string {
  const reasons = (Object.entries(t.byReason) as [UncoveredReason, number][]).map(([id, n]) => `${id} ${n}`);
  return `success responses judged: ${t.successJudged}/${t.operations} operations${reasons.length ? ` (${reasons.join(', ')})` : ''}`;
}

/** The coverage line, then the operations whose success response was not judged, with the reason. */
export function formatCoverage(coverage: Coverage, limit = UNCOVERED_LISTED): string {
  const lines = [`  ${formatCoverageLine(coverage.totals)}`];
  const uncovered = coverage.operations.filter((c) => c.reason);
  const idWidth = Math.min(34, Math.max(10, ...uncovered.map((c) => c.operationId.length)));
  for (const c of uncovered.slice(0, limit)) lines.push(`    ${c.operationId.padEnd(idWidth)} ${c.reason!.id}: ${c.reason!.detail}`);
  if (uncovered.length > limit) lines.push(`    … and ${uncovered.length - limit} more`);
  // What each reason means, once per reason that occurs.
  for (const id of Object.keys(coverage.totals.byReason) as UncoveredReason[]) lines.push(`    ${id} = ${UNCOVERED_REASONS[id]}`);
  return lines.join('\n');
}
