import type { RunResult } from '../run.ts';
import { htmlReport } from './html.ts';
import { jsonReport } from './json.ts';
import { junitReport } from './junit.ts';
import { sarifReport } from './sarif.ts';

/** File reporters by format name; each turns the same redacted results into one file's text. */
export const reporters: Record<string, (runs: RunResult[], root: string) => string> = {
  json: (runs) => jsonReport(runs),
  junit: (runs) => junitReport(runs),
  sarif: (runs, root) => sarifReport(runs, root),
  html: (runs, root) => htmlReport(runs, root),
};
