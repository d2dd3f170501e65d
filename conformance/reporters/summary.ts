import type { RunResult } from '../run.ts';
import type { CheckResult } from '../types.ts';
import type { ReportedResult } from './results.ts';

export interface Totals {
  passed: number;
  failed: number;
  skipped: number;
}

export function totals(results: ReportedResult[]): Totals {
  const t = { passed: 0, failed: 0, skipped: 0 };
  for (const r of results) t[r.status]++;
  return t;
}

/** Results grouped by operation, in the order the run produced them. */
export function byOperation(results: CheckResult[]): Map<string, CheckResult[]> {
  const map = new Map<string, CheckResult[]>();
  for (const r of results) {
    const list = map.get(r.operationId) ?? [];
    list.push(r);
    map.set(r.operationId, list);
  }
  return map;
}

export function allResults(runs: RunResult[]): CheckResult[] {
  return runs.flatMap((r) => r.results);
}
