import { htmlReport } from './html.ts';
import { jsonReport } from './json.ts';
import { junitReport } from './junit.ts';
import type { ReportedRun } from './results.ts';
import { sarifReport, type RuleInfo } from './sarif.ts';

export type { RuleInfo };

/**
 * File reporters by format name; each turns the same redacted results into one file's text. `rules`
 * describes the checks the results name when they are not the runner's own (SARIF lists them).
 */
export const reporters: Record<string, (runs: ReportedRun[], root: string, rules?: readonly RuleInfo[]) => string> = {
  json: (runs) => jsonReport(runs),
  junit: (runs) => junitReport(runs),
  sarif: (runs, root, rules) => sarifReport(runs, root, rules),
  html: (runs, root) => htmlReport(runs, root),
};
