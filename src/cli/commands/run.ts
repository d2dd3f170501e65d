import fs from 'node:fs';
import path from 'node:path';
import { applyBaseline, baselineCounts, failsRun, loadBaseline, writeBaseline, type Baseline } from '../../../conformance/baseline.ts';
import { parseShard } from '../../../conformance/shard.ts';
import { coverageTotals, type CoverageTotals } from '../../../conformance/coverage.ts';
import { formatCoverageLine, formatRun, totals } from '../../../conformance/reporters/console.ts';
import { scrubSecrets } from '../../../conformance/redact.ts';
import type { RunResult } from '../../../conformance/run.ts';
import { selectApis, type ApiEntry } from '../../core/contract/discover.ts';
import { UsageError } from '../../core/errors.ts';
import { freePort } from '../../core/net.ts';
import { relativeToRoot, reportRoot, type ProjectPaths } from '../../core/paths.ts';
import { parseMinCoverage, parseReport, PRISM_UNSUPPORTED_CHECKS, PRISM_UNSUPPORTED_CLASSES, testApi, writeReports, type TestOptions } from './test.ts';

/**
 * `contracts test`: against a target, or (without one) against mocks this process starts: the
 * stateful mocks by default, Prism with --prism. Each run's results are printed and reported.
 */
export async function runTest(
  p: ProjectPaths,
  names: string[],
  opts: TestOptions & { target?: string; report?: string[]; prism?: boolean },
  out: (s: string) => void,
  err: (s: string) => void,
): Promise<number> {
  const reports = (opts.report ?? []).map(parseReport);
  const minCoverage = parseMinCoverage(opts.minCoverage);
  // Options are checked before any mock starts or request is sent: a bad one exits 2 at once.
  parseShard(opts.shard);
  const baseline = opts.baseline ? loadBaseline(opts.baseline) : undefined;
  const judging: Judging = { minCoverage, baseline, writeBaseline: opts.writeBaseline };
  const apis = selectApis(p, names);
  if (opts.insecure) err('contracts: warning: --insecure: the target\'s TLS certificate is not verified');
  const interrupt = onInterrupt(err);
  try {
    if (opts.target) {
      if (apis.length !== 1) throw new UsageError('--target needs exactly one API name');
      const { run, secrets } = await testApi(apis[0]!, opts.target, opts, { note: (l) => out(`note: ${l}`), onProgress: progress(apis[0]!.name), signal: interrupt.signal });
      return interrupted(finish([run], secrets, reports, p, out, judging), interrupt.signal);
    }
    const runs = opts.prism ? await runAgainstPrism(p, apis, opts, progress) : await runAgainstStateful(apis, opts, progress, p, interrupt.signal);
    const code = finish(
      runs.map((r) => r.run),
      runs.flatMap((r) => r.secrets),
      reports,
      p,
      out,
      judging,
    );
    return interrupted(code, interrupt.signal);
  } finally {
    interrupt.dispose();
  }
}

/** The exit code of a run stopped with Ctrl+C, as shells report it (128 + SIGINT). */
export const EXIT_INTERRUPTED = 130;

function interrupted(code: number, signal: AbortSignal): number {
  return signal.aborted ? EXIT_INTERRUPTED : code;
}

/**
 * First Ctrl+C: stop sending new cases, remove what the run created, and report what was judged.
 * A second one stops at once, leaving whatever was created.
 */
function onInterrupt(err: (s: string) => void): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const handler = () => {
    if (controller.signal.aborted) {
      err('contracts: stopped; objects the run created may be left on the target');
      process.exit(EXIT_INTERRUPTED);
    }
    err('\ncontracts: interrupted: removing what the run created, then reporting (Ctrl+C again to stop at once)');
    controller.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

export type ApiRun = Awaited<ReturnType<typeof testApi>>;

/**
 * Every check, the full auth matrix included, against the stateful mocks (credentials from their
 * control API). An API without a stateful mock is checked against Prism instead, with the classes
 * Prism cannot honour reported as skipped.
 */
export async function runAgainstStateful(apis: ApiEntry[], opts: TestOptions, onProgress: typeof progress, p?: ProjectPaths, signal?: AbortSignal): Promise<ApiRun[]> {
  // The mocks (fastify, the API modules) are loaded only for runs that serve them: a run against a
  // target never pays for them in start-up time or memory.
  const { hasStatefulMock } = await import('../../../mocks/registry.ts');
  const { credentialsFromControlApi, startStatefulMocks } = await import('./stateful.ts');
  const { stopMocks } = await import('./mock.ts');
  const withoutModule = apis.filter((a) => !hasStatefulMock(a.name));
  const fallback = withoutModule.length > 0 && p ? await runAgainstPrism(p, withoutModule, opts, onProgress) : [];
  apis = apis.filter((a) => hasStatefulMock(a.name));
  // Rate limits are off: a full run sends far more than 30 requests a minute to Cloud Apps.
  const mocks = await startStatefulMocks(apis, () => freePort(), { rateLimit: false });
  try {
    const runs: ApiRun[] = [];
    for (const [i, api] of apis.entries()) {
      const issued = await credentialsFromControlApi(mocks[i]!.url);
      runs.push(await testApi(api, mocks[i]!.url, opts, { onProgress: onProgress(api.name), issued, signal }));
    }
    return [...runs, ...fallback];
  } finally {
    await stopMocks(mocks);
  }
}

/** Every check against Prism; the auth classes it cannot honour are reported as skipped, with the reason. */
export async function runAgainstPrism(p: ProjectPaths, apis: ApiEntry[], opts: TestOptions, onProgress: typeof progress): Promise<ApiRun[]> {
  const { startMocks, stopMocks } = await import('./mock.ts');
  const mocks = await startMocks(p, apis, () => freePort());
  try {
    const runs: ApiRun[] = [];
    for (const [i, api] of apis.entries()) {
      runs.push(
        await testApi(api, mocks[i]!.url, opts, { onProgress: onProgress(api.name), unsupportedClasses: PRISM_UNSUPPORTED_CLASSES, unsupportedChecks: PRISM_UNSUPPORTED_CHECKS }),
      );
    }
    return runs;
  } finally {
    await stopMocks(mocks);
  }
}

/** A live counter on a terminal; nothing in CI logs, where the final report says it all. */
export function progress(api: string): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  const started = performance.now();
  return (done, total) => {
    const elapsed = ((performance.now() - started) / 1000).toFixed(1);
    process.stderr.write(`\r\x1b[2K  ${api}: ${done}/${total} requests, ${elapsed}s`);
    if (done === total) process.stderr.write('\r\x1b[2K');
  };
}

/** How a finished run (or merged shards) is judged: coverage minimum and baseline. */
export interface Judging {
  minCoverage?: number;
  /** Findings it lists are known: they do not fail the run. */
  baseline?: Baseline;
  /** Write the findings here; without `baseline`, the run is then judged against what was written. */
  writeBaseline?: string;
}

/**
 * Applies the baseline (or writes one), prints the runs, writes the reports and returns the exit
 * code. `contracts test` and `contracts merge-reports` both end here, so a merged run exits as the
 * unsharded run would.
 */
export function finish(
  runs: RunResult[],
  secrets: string[],
  reports: ReturnType<typeof parseReport>[],
  p: ProjectPaths,
  out: (s: string) => void,
  judging: Judging = {},
): number {
  const say = (line: string) => out(scrubSecrets(line, secrets));
  let baseline = judging.baseline;
  if (judging.writeBaseline) {
    const previous = baseline ?? (fs.existsSync(judging.writeBaseline) ? loadBaseline(judging.writeBaseline) : undefined);
    const n = writeBaseline(judging.writeBaseline, runs, previous);
    say(`baseline: wrote ${n} finding(s) to ${relativeToRoot(p, path.resolve(judging.writeBaseline))}`);
    baseline ??= loadBaseline(judging.writeBaseline);
  }
  if (baseline) applyBaseline(runs, baseline);
  const code = reportRuns(runs, p, say, judging.minCoverage);
  for (const file of writeReports(reports, runs, reportRoot(), secrets)) say(`report: ${relativeToRoot(p, file)}`);
  return code;
}

/**
 * Prints every run and the overall totals; 1 when a check failed (with a baseline: when a finding
 * it does not know, or whose entry expired, remains) or, with `minCoverage`, when the share of
 * operations whose success response was judged is below it (percent).
 */
export function reportRuns(runs: RunResult[], p: ProjectPaths, out: (s: string) => void, minCoverage?: number): number {
  for (const run of runs) out(formatRun(run, p.root));
  const results = runs.flatMap((r) => r.results);
  const t = totals(results);
  out(`${t.passed} passed, ${t.failed} failed${t.skipped ? `, ${t.skipped} skipped` : ''}`);
  if (runs.some((r) => r.baseline)) {
    const c = baselineCounts(runs);
    out(`baseline ${runs.find((r) => r.baseline)!.baseline!.file}: ${c.new} new, ${c.known} known, ${c.expired} expired finding(s); ${c.fixed} entr${c.fixed === 1 ? 'y' : 'ies'} fixed`);
  }
  const coverage = coverageTotals(runs.flatMap((r) => r.coverage?.operations ?? []));
  if (runs.some((r) => r.coverage)) out(formatCoverageLine(coverage));
  const belowMinimum = isBelowMinimum(coverage, minCoverage, out);
  return results.some(failsRun) || belowMinimum ? 1 : 0;
}

/** True, and says so, when the share of operations whose success response was judged is below `--min-coverage`. */
export function isBelowMinimum(coverage: CoverageTotals, minCoverage: number | undefined, out: (s: string) => void): boolean {
  const below = minCoverage !== undefined && coverage.percent < minCoverage;
  if (below) out(`coverage ${formatPercent(coverage.percent)}% is below --min-coverage ${minCoverage}%`);
  return below;
}

function formatPercent(percent: number): string {
  return String(Math.floor(percent * 10) / 10);
}
