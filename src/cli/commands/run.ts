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
import { parseMinCoverage, parseReport, PRISM_UNSUPPORTED_CHECKS, PRISM_UNSUPPORTED_CLASSES, testApi, writeReports, type ReportRequest, type TestOptions } from './test.ts';

export type RunOptions = TestOptions & { target?: string; report?: string[]; prism?: boolean };

/**
 * `contracts test`: each API against its target, or (without one) against mocks this process
 * starts: the stateful mocks by default, Prism with --prism. Options are per API (a config file
 * gives each API its own target, selectors and reports); with none, every API gets the same.
 * Each run's results are printed, and each report gets the runs of the APIs that asked for it.
 */
export async function runTest(
  p: ProjectPaths,
  names: string[],
  options: RunOptions | ((api: string) => RunOptions),
  out: (s: string) => void,
  err: (s: string) => void,
  given: { targetOnCommandLine?: boolean } = {},
): Promise<number> {
  const optionsFor = typeof options === 'function' ? options : () => options;
  const apis = selectApis(p, names);
  // Every option is read before anything is sent, so a mistake costs no run.
  const plans = apis.map((api) => {
    const opts = optionsFor(api.name);
    parseShard(opts.shard);
    return { api, opts, reports: (opts.report ?? []).map(parseReport), minCoverage: parseMinCoverage(opts.minCoverage) };
  });
  const judging = baselineOf(plans.map((pl) => pl.opts));
  const commandLineTarget = given.targetOnCommandLine ?? (typeof options !== 'function' && options.target !== undefined);
  if (commandLineTarget && apis.length !== 1) throw new UsageError('--target needs exactly one API name');
  if (plans.some((pl) => pl.opts.insecure)) err('contracts: warning: --insecure: the target\'s TLS certificate is not verified');
  const interrupt = onInterrupt(err);
  try {
    const runs = new Map<ApiEntry, ApiRun>();
    for (const { api, opts } of plans.filter((pl) => pl.opts.target)) {
      if (interrupt.signal.aborted) break; // Ctrl+C: report what was judged, start nothing new
      runs.set(api, await testApi(api, opts.target!, opts, { note: (l) => out(`note: ${l}`), onProgress: progress(api.name), signal: interrupt.signal }));
    }
    const local = interrupt.signal.aborted ? [] : plans.filter((pl) => !pl.opts.target);
    const optsOf = (api: ApiEntry) => plans.find((pl) => pl.api === api)!.opts;
    const onPrism = local.filter((pl) => pl.opts.prism).map((pl) => pl.api);
    const onStateful = local.filter((pl) => !pl.opts.prism).map((pl) => pl.api);
    const mocked = [
      ...(onPrism.length > 0 ? await runAgainstPrism(p, onPrism, optsOf, progress) : []),
      ...(onStateful.length > 0 ? await runAgainstStateful(onStateful, optsOf, progress, p, interrupt.signal) : []),
    ];
    for (const r of mocked) runs.set(local.find((pl) => pl.api.name === r.run.api)!.api, r);
    // Printed in the order the APIs were named.
    const done = plans.filter((pl) => runs.has(pl.api)).map((pl) => ({ ...pl, ...runs.get(pl.api)! }));
    return interrupted(finishRuns(done, p, out, judging), interrupt.signal);
  } finally {
    interrupt.dispose();
  }
}

/**
 * The baseline the run is judged against (or written to). One per invocation: findings of every API
 * go into one file, as `merge-reports` reads them.
 */
function baselineOf(options: TestOptions[]): Judging {
  for (const key of ['baseline', 'writeBaseline'] as const) {
    if (new Set(options.map((o) => o[key])).size > 1) throw new UsageError(`every API of one run takes the same ${key === 'baseline' ? 'baseline' : 'write-baseline'} file`);
  }
  const first = options[0] ?? {};
  return { baseline: first.baseline ? loadBaseline(first.baseline) : undefined, writeBaseline: first.writeBaseline };
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
export async function runAgainstStateful(
  apis: ApiEntry[],
  options: TestOptions | ((api: ApiEntry) => TestOptions),
  onProgress: typeof progress,
  p?: ProjectPaths,
  signal?: AbortSignal,
): Promise<ApiRun[]> {
  // The mocks (fastify, the API modules) are loaded only for runs that serve them: a run against a
  // target never pays for them in start-up time or memory.
  const { hasStatefulMock } = await import('../../../mocks/registry.ts');
  const { credentialsFromControlApi, startStatefulMocks } = await import('./stateful.ts');
  const { stopMocks } = await import('./mock.ts');
  const opts = typeof options === 'function' ? options : () => options;
  const withoutModule = apis.filter((a) => !hasStatefulMock(a.name));
  const fallback = withoutModule.length > 0 && p ? await runAgainstPrism(p, withoutModule, opts, onProgress) : [];
  apis = apis.filter((a) => hasStatefulMock(a.name));
  // Rate limits are off: a full run sends far more than 30 requests a minute to Cloud Apps.
  const mocks = await startStatefulMocks(apis, () => freePort(), { rateLimit: false });
  try {
    const runs: ApiRun[] = [];
    for (const [i, api] of apis.entries()) {
      const issued = await credentialsFromControlApi(mocks[i]!.url);
      runs.push(await testApi(api, mocks[i]!.url, opts(api), { onProgress: onProgress(api.name), issued, signal }));
    }
    return [...runs, ...fallback];
  } finally {
    await stopMocks(mocks);
  }
}

/** Every check against Prism; the auth classes it cannot honour are reported as skipped, with the reason. */
export async function runAgainstPrism(p: ProjectPaths, apis: ApiEntry[], options: TestOptions | ((api: ApiEntry) => TestOptions), onProgress: typeof progress): Promise<ApiRun[]> {
  const { startMocks, stopMocks } = await import('./mock.ts');
  const opts = typeof options === 'function' ? options : () => options;
  const mocks = await startMocks(p, apis, () => freePort());
  try {
    const runs: ApiRun[] = [];
    for (const [i, api] of apis.entries()) {
      runs.push(
        await testApi(api, mocks[i]!.url, opts(api), { onProgress: onProgress(api.name), unsupportedClasses: PRISM_UNSUPPORTED_CLASSES, unsupportedChecks: PRISM_UNSUPPORTED_CHECKS }),
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

/** One API's run with what its options ask of the result: its reports and its coverage minimum. */
interface Finished {
  run: RunResult;
  secrets: string[];
  reports: ReportRequest[];
  minCoverage?: number;
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
  return finishRuns(runs.map((run) => ({ run, secrets, reports, minCoverage: judging.minCoverage })), p, out, judging);
}

/**
 * `finish` for runs whose options differ per API (a config file): a minimum coverage the APIs share
 * is judged on their totals (as one --min-coverage always was), differing minimums per API, and a
 * report named by several APIs gets all their runs.
 */
function finishRuns(done: Finished[], p: ProjectPaths, out: (s: string) => void, judging: Judging): number {
  const secrets = [...new Set(done.flatMap((d) => d.secrets))];
  const say = (line: string) => out(scrubSecrets(line, secrets));
  const runs = done.map((d) => d.run);
  let baseline = judging.baseline;
  if (judging.writeBaseline) {
    const previous = baseline ?? (fs.existsSync(judging.writeBaseline) ? loadBaseline(judging.writeBaseline) : undefined);
    const n = writeBaseline(judging.writeBaseline, runs, previous);
    say(`baseline: wrote ${n} finding(s) to ${relativeToRoot(p, path.resolve(judging.writeBaseline))}`);
    baseline ??= loadBaseline(judging.writeBaseline);
  }
  if (baseline) applyBaseline(runs, baseline);
  const minimums = new Set(done.map((d) => d.minCoverage));
  const shared = minimums.size === 1 ? done[0]?.minCoverage : undefined;
  let code = reportRuns(runs, p, say, shared);
  if (minimums.size > 1) {
    for (const d of done) {
      const coverage = coverageTotals(d.run.coverage?.operations ?? []);
      if (isBelowMinimum(coverage, d.minCoverage, (line) => say(`${d.run.api}: ${line}`))) code = 1;
    }
  }
  const byFile = new Map<string, { request: ReportRequest; runs: RunResult[] }>();
  for (const d of done) {
    for (const request of d.reports) {
      const key = `${request.format}:${request.file}`;
      if (!byFile.has(key)) byFile.set(key, { request, runs: [] });
      byFile.get(key)!.runs.push(d.run);
    }
  }
  for (const { request, runs: reported } of byFile.values()) {
    for (const file of writeReports([request], reported, reportRoot(), secrets)) say(`report: ${relativeToRoot(p, file)}`);
  }
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
