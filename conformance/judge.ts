import type { Contract } from '../src/core/contract/model.ts';
import { matchResponse } from '../src/core/contract/responses.ts';
import type { ValidatorCache } from '../src/core/validate/cache.ts';
import { checksFor, getCheck } from './checks/index.ts';
import { OPERATION_UNKNOWN, type CaseOrigin, type CheckId, type CheckResult, type ObservedResponse, type RequestCase } from './types.ts';

/** Checks a target cannot be judged by (a mock with static answers), and why: reported as skipped. */
export interface UnsupportedChecks {
  ids: ReadonlySet<CheckId>;
  reason: string;
}

export interface JudgeOptions {
  validators: ValidatorCache;
  /** Where the request comes from: checks that need a request the runner built judge `planned` cases only. */
  origin: CaseOrigin;
  unsupported?: UnsupportedChecks;
  /** Put before every finding's message, to say which exchange it is about (traffic: `entry 3: `). */
  messagePrefix?: string;
}

/** One check's verdict on one answer: what a CheckResult adds to the case it belongs to. */
export type Judgement = Pick<CheckResult, 'check' | 'status' | 'message' | 'findings' | 'response'> & { check: CheckId };

/**
 * Judges one answer to one case with every check that applies to it (conformance/checks/index.ts
 * `checksFor`) and turns each outcome into a result: a skip with its reason, a pass, or a failure
 * whose message joins its findings. The runner, the traffic check and library mode all judge here.
 */
export function judge(contract: Contract, requestCase: RequestCase, response: ObservedResponse, options: JudgeOptions): Judgement[] {
  const declared = matchResponse(requestCase.operation, response.status);
  const observed = { status: response.status, contentType: response.headers['content-type'] };
  const prefix = options.messagePrefix ?? '';
  return checksFor(requestCase, options.origin).map((id): Judgement => {
    if (options.unsupported?.ids.has(id)) return { check: id, status: 'skipped', message: options.unsupported.reason, findings: [], response: observed };
    const outcome = getCheck(id).run({ contract, operation: requestCase.operation, requestCase, response, declared, validators: options.validators });
    if ('skip' in outcome) return { check: id, status: 'skipped', message: outcome.skip, findings: [], response: observed };
    const findings = outcome.findings.map((f) => (prefix ? { ...f, message: `${prefix}${f.message}` } : f));
    const failed = findings.length > 0;
    return {
      check: id,
      status: failed ? 'failed' : 'passed',
      message: failed ? findings.map((f) => f.message).join('; ') : undefined,
      findings,
      response: observed,
    };
  });
}

/**
 * The verdict on an observed request that no operation describes (recorded traffic, library mode):
 * one failure under `operation-unknown`, located at the contract's paths.
 */
export function judgeUnmatched(
  contract: Contract,
  request: { method: string; path: string; otherMethods: readonly string[] },
  messagePrefix = '',
): Pick<CheckResult, 'check' | 'status' | 'message' | 'findings'> {
  const method = request.method.toUpperCase();
  const message =
    request.otherMethods.length > 0
      ? `${messagePrefix}${method} ${request.path} is not declared; the path allows ${request.otherMethods.join(', ')}`
      : `${messagePrefix}${method} ${request.path} matches no operation of ${contract.api}`;
  const location = contract.sourceMap.locate('#/paths');
  return { check: OPERATION_UNKNOWN, status: 'failed', message, findings: [{ message, location }] };
}
