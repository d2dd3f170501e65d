import { MUTATING_METHODS, type Contract, type HttpMethod } from '../src/contract/model.ts';
import { isLoopbackUrl } from '../src/net.ts';
import { validators as sharedValidators, type ValidatorCache } from '../src/validate/cache.ts';
import { getCheck } from './checks/index.ts';
import { toCurl } from './curl.ts';
import { matchResponse } from './match.ts';
import { planCases, type CredentialSource } from './plan.ts';
import { sendCase } from './send.ts';
import type { CheckResult, RequestCase } from './types.ts';

export interface RunOptions {
  baseUrl: string;
  credentials: CredentialSource;
  /** Name of the environment variable curl reproducers use in place of the credential. */
  secretVariable: string;
  timeoutMs?: number;
  concurrency?: number;
  validators?: ValidatorCache;
  /** Send state-changing requests (POST, PUT, PATCH, DELETE) even though the target is not loopback. */
  allowMutations?: boolean;
}

export interface RunResult {
  api: string;
  baseUrl: string;
  contractVersion: string;
  results: CheckResult[];
  durationMs: number;
}

/** plan → send → check: every case is sent once and judged by each of its checks. */
export async function runContract(contract: Contract, options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  const validators = options.validators ?? sharedValidators;
  const cases = planCases(contract, { credentials: options.credentials });
  const prefixOf = (header: string) => {
    const scheme = Object.values(contract.securitySchemes).find((s) => (s.paramName ?? '').toLowerCase() === header);
    return scheme?.prefix ?? '';
  };
  const mutationsAllowed = options.allowMutations === true || isLoopbackUrl(options.baseUrl);
  const perCase = await mapLimit(cases, options.concurrency ?? 4, async (rc) => {
    if (!mutationsAllowed && MUTATING_METHODS.has(rc.operation.method as HttpMethod)) {
      // Safe against real systems: nothing that changes state is sent unless the user opted in.
      return rc.checks.map((id): CheckResult => ({
        check: id,
        api: contract.api,
        operationId: rc.operation.id,
        method: rc.method,
        path: rc.operation.path,
        status: 'skipped',
        message: 'not sent: the request changes state and the target is not local (use --allow-mutations)',
        findings: [],
        curl: toCurl(rc, options.baseUrl, options.secretVariable, prefixOf),
      }));
    }
    const response = await sendCase(rc, { baseUrl: options.baseUrl, timeoutMs: options.timeoutMs ?? 10_000 });
    const declared = matchResponse(rc.operation, response.status);
    const curl = toCurl(rc, options.baseUrl, options.secretVariable, prefixOf);
    return rc.checks.map((id): CheckResult => {
      const outcome = getCheck(id).run({ contract, operation: rc.operation, requestCase: rc, response, declared, validators });
      const base = {
        check: id,
        api: contract.api,
        operationId: rc.operation.id,
        method: rc.method,
        path: rc.operation.path,
        response: { status: response.status, contentType: response.headers['content-type'] },
        curl,
      };
      if ('skip' in outcome) return { ...base, status: 'skipped', message: outcome.skip, findings: [] };
      const failed = outcome.findings.length > 0;
      return {
        ...base,
        status: failed ? 'failed' : 'passed',
        message: failed ? outcome.findings.map((f) => f.message).join('; ') : undefined,
        findings: outcome.findings,
      };
    });
  });
  return {
    api: contract.api,
    baseUrl: options.baseUrl,
    contractVersion: contract.version,
    results: perCase.flat(),
    durationMs: Math.round(performance.now() - started),
  };
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return out;
}

export type { RequestCase };
