import { loadBaseline } from '../../../conformance/baseline.ts';
import { readShardReports } from '../../../conformance/merge.ts';
import { reportRoot, type ProjectPaths } from '../../core/paths.ts';
import { EXIT_INTERRUPTED, finish } from './run.ts';
import { parseMinCoverage, parseReport } from './test.ts';

export interface MergeOptions {
  report?: string[];
  minCoverage?: string;
  baseline?: string;
  writeBaseline?: string;
}

/**
 * `contracts merge-reports <json…>`: the shards' JSON reports as one run, printed and written in
 * any report format, with the exit code the unsharded run would have given (failed checks, the
 * baseline, --min-coverage; 130 when a shard was interrupted).
 */
export function mergeReportsCommand(p: ProjectPaths, files: string[], opts: MergeOptions, out: (s: string) => void): number {
  const reports = (opts.report ?? []).map(parseReport);
  const minCoverage = parseMinCoverage(opts.minCoverage);
  const baseline = opts.baseline ? loadBaseline(opts.baseline) : undefined;
  const runs = readShardReports(files, reportRoot());
  // Secrets were scrubbed when the shards wrote their reports.
  const code = finish(runs, [], reports, p, out, { minCoverage, baseline, writeBaseline: opts.writeBaseline });
  return runs.some((r) => r.interrupted) ? EXIT_INTERRUPTED : code;
}
