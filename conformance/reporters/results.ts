import type { RunResult } from '../run.ts';
import type { CheckResult } from '../types.ts';

/**
 * A result as the reporters read it: the runner's, or another engine's named by its own rule ids (a
 * contract diff reports its changes through the same reporters). Every runner result is one.
 */
export type ReportedResult = Omit<CheckResult, 'check'> & { check: string };

export type ReportedRun = Omit<RunResult, 'results'> & { results: ReportedResult[] };
