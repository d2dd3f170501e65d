import { formatLocation } from '../../src/contract/location.ts';
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
    const mark = failed.length > 0 ? 'FAIL' : 'ok  ';
    const counts = `${results.filter((r) => r.status === 'passed').length} passed${failed.length ? `, ${failed.length} failed` : ''}`;
    lines.push(`  ${mark} ${opId.padEnd(idWidth)} ${first.method.padEnd(6)} ${first.path}  (${counts})`);
    for (const r of failed) {
      for (const f of r.findings) {
        lines.push(`       ${r.check}${r.mutation ? ` [${r.mutation}]` : ''}: ${f.message}`);
        lines.push(`         at ${formatLocation(f.location, root)}`);
      }
      lines.push(`         repeat: ${r.curl}`);
    }
  }
  lines.push(`  ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped in ${(run.durationMs / 1000).toFixed(1)}s`);
  return lines.join('\n');
}
