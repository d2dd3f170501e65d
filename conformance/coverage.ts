import { changesState, type OperationModel } from '../src/core/contract/model.ts';
import { isNotFoundAnswer, matchResponse } from '../src/core/contract/responses.ts';
import type { CheckResult } from './types.ts';

/**
 * Why an operation's success response was not judged. A closed set with stable ids: reports,
 * JSON consumers and CI filters key on them.
 */
export type UncoveredReason =
  | 'not-sent-mutation'
  | 'no-object-created'
  | 'no-value-discovered'
  | 'interrupted'
  | 'not-observed'
  | 'skipped'
  | 'not-found'
  | 'rejected'
  | 'server-error'
  | 'no-success-declared'
  | 'undeclared-status'
  | 'body-not-judged';

/** The human line for each reason, in the order summaries list them. */
export const UNCOVERED_REASONS: Readonly<Record<UncoveredReason, string>> = {
  'not-sent-mutation': 'state-changing request not sent to a non-local target',
  'no-object-created': 'changes an existing object; the run created none to change, and it never changes what it did not create (the example value was used, or, on a non-local target, nothing was sent)',
  'no-value-discovered': 'no value was discovered on the target, and the example value does not exist there',
  interrupted: 'the run was interrupted before the valid request was sent',
  'not-observed': 'the recording holds no exchange with this operation made with a credential that could be valid',
  skipped: 'the valid request was not sent',
  'not-found': 'the valid request was answered "not found" (example values may not exist on the target)',
  rejected: 'the valid request was refused with a 4xx',
  'server-error': 'the valid request was answered with a 5xx',
  'no-success-declared': 'the operation declares no 2xx response',
  'undeclared-status': 'the valid request was answered with a status the operation does not declare',
  'body-not-judged': 'a declared 2xx came back, but its media type has no JSON schema to judge the body by',
};

/**
 * The message a positive case that changes state carries when it is not sent to a non-local
 * target; the runner writes it and coverage recognises it.
 */
export const MUTATION_NOT_SENT = 'not sent: the request changes state and the target is not local (use --allow-mutations)';

/** The message of a case that was not sent because the run was stopped. */
export const INTERRUPTED = 'not sent: the run was interrupted';

/** The message of a state-changing case not sent because the run created no object for it to change. */
export const NO_OBJECT_CREATED =
  'not sent: the request changes an existing object and the run created none it could use (it only changes objects it created on a non-local target)';

export interface OperationCoverage {
  operationId: string;
  method: string;
  path: string;
  /** Statuses the operation declares, as written (`200`, `4XX`, `default`). */
  declaredStatuses: string[];
  /** The declared statuses some answer of the run fell under (any case, not only the valid one). */
  observedStatuses: string[];
  /** Answers of the run no declared status describes. */
  undeclaredStatuses: number[];
  /** A valid request got a declared 2xx whose body was judged (or which declares no body). */
  successJudged: boolean;
  /** When the success response was not judged: why, and what happened to this operation. */
  reason?: { id: UncoveredReason; detail: string };
}

export interface CoverageTotals {
  operations: number;
  successJudged: number;
  /** Share of operations with a judged success response, 0–100 (100 for a run of no operations). */
  percent: number;
  /** Operations per reason; only reasons that occur. */
  byReason: Partial<Record<UncoveredReason, number>>;
}

export interface Coverage {
  operations: OperationCoverage[];
  totals: CoverageTotals;
}

/**
 * Which operations of a run had their success response judged, and why not for the others. Pure:
 * reads only the operations the run covered and its results (the valid request's results decide).
 */
export function computeCoverage(operations: readonly OperationModel[], results: readonly CheckResult[], origin: 'planned' | 'observed' = 'planned'): Coverage {
  const byOperation = new Map<string, CheckResult[]>();
  for (const r of results) {
    const list = byOperation.get(r.operationId) ?? [];
    list.push(r);
    byOperation.set(r.operationId, list);
  }
  const covered = operations.map((op) => operationCoverage(op, byOperation.get(op.id) ?? [], origin));
  return { operations: covered, totals: coverageTotals(covered) };
}

/** Totals over operations' coverage (also used to add up several runs). */
export function coverageTotals(covered: readonly OperationCoverage[]): CoverageTotals {
  const byReason: Partial<Record<UncoveredReason, number>> = {};
  for (const c of covered) if (c.reason) byReason[c.reason.id] = (byReason[c.reason.id] ?? 0) + 1;
  const judged = covered.filter((c) => c.successJudged).length;
  return {
    operations: covered.length,
    successJudged: judged,
    percent: covered.length === 0 ? 100 : (judged / covered.length) * 100,
    byReason: Object.fromEntries((Object.keys(UNCOVERED_REASONS) as UncoveredReason[]).filter((id) => byReason[id]).map((id) => [id, byReason[id]])),
  };
}

function operationCoverage(op: OperationModel, results: readonly CheckResult[], origin: 'planned' | 'observed'): OperationCoverage {
  const declaredStatuses = op.responses.map((r) => r.status);
  const observed = new Set<string>();
  const undeclared = new Set<number>();
  for (const r of results) {
    if (!r.response) continue;
    const declared = matchResponse(op, r.response.status);
    if (declared) observed.add(declared.status);
    else undeclared.add(r.response.status);
  }
  const base = {
    operationId: op.id,
    method: op.method.toUpperCase(),
    path: op.path,
    declaredStatuses,
    observedStatuses: declaredStatuses.filter((s) => observed.has(s)),
    undeclaredStatuses: [...undeclared].sort((a, b) => a - b),
  };
  const positive = results.filter((r) => r.case === 'positive');
  const reason =
    origin === 'observed' && !positive.some((r) => r.response)
      ? { id: 'not-observed' as const, detail: results.length > 0 ? 'only exchanges without a usable credential were recorded' : 'not in the recording' }
      : uncoveredReason(op, positive);
  return reason ? { ...base, successJudged: false, reason } : { ...base, successJudged: true };
}

/** Undefined when the success response was judged; otherwise the reason drawn from the valid request. */
function uncoveredReason(op: OperationModel, positive: readonly CheckResult[]): OperationCoverage['reason'] {
  if (!op.responses.some((r) => isSuccess(r.status))) {
    return { id: 'no-success-declared', detail: `declares ${op.responses.map((r) => r.status).join(', ') || 'no responses'}` };
  }
  // Recorded traffic may hold several exchanges: one answered with a 2xx is the one that counts.
  const isOk = (r: CheckResult) => !!r.response && r.response.status >= 200 && r.response.status <= 299;
  const answered = positive.find(isOk) ?? positive.find((r) => r.response);
  if (!answered) {
    const skip = positive.find((r) => r.status === 'skipped');
    if (skip?.message === MUTATION_NOT_SENT) return { id: 'not-sent-mutation', detail: 'not sent (use --allow-mutations)' };
    if (skip?.message === NO_OBJECT_CREATED) return { id: 'no-object-created', detail: 'no object created by the run to change' };
    if (skip?.message === INTERRUPTED) return { id: 'interrupted', detail: 'not sent' };
    return { id: 'skipped', detail: skip?.message ?? 'no valid request was planned' };
  }
  const status = answered.response!.status;
  const declared = matchResponse(op, status);
  if (status >= 500) {
    // A documented 5xx for an unknown object, answered to the example value: the target's data, not a fault.
    if (answered.valueOrigin === 'example' && isNotFoundAnswer(status, declared)) return { id: 'no-value-discovered', detail: `answered ${status} to the example value` };
    return { id: 'server-error', detail: `answered ${status}` };
  }
  if (status >= 400) {
    if (!isNotFoundAnswer(status, declared)) return { id: 'rejected', detail: `answered ${status}` };
    if (answered.valueOrigin !== 'example') return { id: 'not-found', detail: `answered ${status}` };
    return changesState(op)
      ? { id: 'no-object-created', detail: `answered ${status} to the example value; the run created no object to change` }
      : { id: 'no-value-discovered', detail: `answered ${status} to the example value` };
  }
  if (status < 200 || status > 299 || !declared || !isSuccess(declared.status)) return { id: 'undeclared-status', detail: `answered ${status}` };
  // A success that declares no body is judged in full by its status and headers.
  if (declared.content.length === 0) return undefined;
  const schema = positive.find((r) => r.check === 'response-schema' && isOk(r) && r.status !== 'skipped') ?? positive.find((r) => r.check === 'response-schema' && r.response);
  if (schema && schema.status !== 'skipped') return undefined;
  return { id: 'body-not-judged', detail: `answered ${status}; ${schema?.message ?? 'the body was not checked'}` };
}

/** `200`, `2XX`: a success status as a spec writes it. */
function isSuccess(status: string): boolean {
  return /^2(\d\d|XX)$/i.test(status);
}
