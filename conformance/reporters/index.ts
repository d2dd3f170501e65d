import { formatRun } from './console.ts';
import { githubReport } from './github.ts';
import { htmlReport } from './html.ts';
import { jsonReport } from './json.ts';
import { junitReport } from './junit.ts';
import type { ReportedRun } from './results.ts';
import { sarifReport, type RuleInfo } from './sarif.ts';
import type { RunResult } from '../run.ts';

export type { RuleInfo };

/**
 * File reporters by format name; each turns the same redacted results into one file's text. `rules`
 * describes the checks the results name when they are not the runner's own (SARIF lists them).
 * `root` is the project root every path in a report is written relative to (src/core/paths.ts `reportRoot`).
 */
export const reporters: Record<string, (runs: ReportedRun[], root: string, rules?: readonly RuleInfo[]) => string> = {
  json: (runs, root) => jsonReport(runs, root),
  junit: (runs, root) => junitReport(runs, root),
  sarif: (runs, root, rules) => sarifReport(runs, root, rules),
  html: (runs, root) => htmlReport(runs, root),
  github: (runs, root) => githubReport(runs, root),
  // The console text, as `contracts test` prints it, for a file or a merged run.
  console: (runs, root) => `${runs.map((run) => formatRun(run as RunResult, root)).join('\n')}\n`,
};
