import { MUTATING_METHODS, type Contract, type HttpMethod, type OperationModel } from '../src/core/contract/model.ts';
import { isLoopbackUrl } from '../src/core/net.ts';
import { validators as sharedValidators, type ValidatorCache } from '../src/core/validate/cache.ts';
import { primaryCheck } from './checks/index.ts';
import { computeCoverage, MUTATION_NOT_SENT, type Coverage } from './coverage.ts';
import { toCurl, type Secret } from './curl.ts';
import { judge, type UnsupportedChecks } from './judge.ts';
import { planCases, type CredentialSource, type PlanOptions } from './plan.ts';
import { redactRequest } from './redact.ts';
import { Sender, type SenderOptions } from './send.ts';
import type { CheckResult, RequestCase } from './types.ts';

export interface RunOptions extends SenderOptions, Pick<PlanOptions, 'classCredentials' | 'unsupportedClasses' | 'kinds'> {
  credentials: CredentialSource;
  /** Name of the environment variable curl reproducers use in place of the credential. */
  secretVariable: string;
  /** Further secrets the run sends (class credentials from a credentials file) and their variables. */
  extraSecrets?: Secret[];
  /** Operations to cover; all of the contract's when omitted. */
  operations?: OperationModel[];
  concurrency?: number;
  validators?: ValidatorCache;
  /** Send state-changing requests (POST, PUT, PATCH, DELETE) even though the target is not loopback. */
  allowMutations?: boolean;
  /** Checks the target cannot be judged by (e.g. a mock with static answers), and why; reported as skipped. */
  unsupportedChecks?: UnsupportedChecks;
  /** Called after each case with (done, total). */
  onProgress?: (done: number, total: number) => void;
}

export interface RunResult {
  api: string;
  baseUrl: string;
  contractVersion: string;
  results: CheckResult[];
  durationMs: number;
  /**
   * Which operations had their success response judged, and why not the others. Absent where a run
   * is not planned by the runner (recorded traffic, a contract diff).
   */
  coverage?: Coverage;
}

/** plan → send → check: every case is sent once and judged by each of its checks. */
export async function runContract(contract: Contract, options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  const validators = options.validators ?? sharedValidators;
  const cases = planCases(contract, {
    credentials: options.credentials,
    validators,
    operations: options.operations,
    classCredentials: options.classCredentials,
    unsupportedClasses: options.unsupportedClasses,
    kinds: options.kinds,
  });
  const secrets: Secret[] = [
    ...new Set(Object.values(contract.securitySchemes).map((s) => options.credentials(s)).filter((v): v is string => !!v)),
  ].map((value) => ({ value, variable: options.secretVariable }));
  secrets.push(...(options.extraSecrets ?? []));
  const mutationsAllowed = options.allowMutations === true || isLoopbackUrl(options.baseUrl);
  const sender = new Sender(options);
  let done = 0;
  try {
    const runCase = async (rc: RequestCase): Promise<CheckResult[]> => {
      const common = {
        api: contract.api,
        operationId: rc.operation.id,
        method: rc.method,
        path: rc.operation.path,
        case: rc.kind,
        mutation: rc.mutation,
        credentialClass: rc.credentialClass,
        request: redactRequest(rc, secrets),
        location: rc.operation.source,
        curl: toCurl(rc, options.baseUrl, secrets),
      };
      let results: CheckResult[];
      // A case that is not sent is reported once, under its primary check, with the reason.
      const notSent = (message: string): CheckResult[] => [{ ...common, check: primaryCheck(rc), status: 'skipped', message, findings: [] }];
      if (rc.skipReason) {
        results = notSent(rc.skipReason);
      } else if (!mutationsAllowed && changesState(rc.operation)) {
        // Safe against real systems: nothing that changes state is sent unless the user opted in.
        results = notSent(MUTATION_NOT_SENT);
      } else {
        const response = await sender.send(rc);
        results = judge(contract, rc, response, { validators, origin: 'planned', unsupported: options.unsupportedChecks }).map((r) => ({ ...common, ...r }));
      }
      options.onProgress?.(++done, cases.length);
      return results;
    };
    // Deleting runs last and one request at a time, nested resources before their parents, so a
    // stateful target keeps the objects other requests use until they are done with them.
    const deletes = cases.filter((c) => c.operation.method === 'delete').sort((a, b) => depth(b) - depth(a));
    const others = cases.filter((c) => c.operation.method !== 'delete');
    const perCase = [...(await mapLimit(others, options.concurrency ?? 4, runCase)), ...(await mapLimit(deletes, 1, runCase))];
    const results = perCase.flat();
    return {
      api: contract.api,
      baseUrl: options.baseUrl,
      contractVersion: contract.version,
      results,
      durationMs: Math.round(performance.now() - started),
      coverage: computeCoverage(options.operations ?? contract.operations, results),
    };
  } finally {
    await sender.close();
  }
}

function depth(rc: RequestCase): number {
  return rc.operation.path.split('/').length;
}

/** An operation changes state unless it is a read method or the contract marks it `x-safe: true`. */
function changesState(op: OperationModel): boolean {
  return MUTATING_METHODS.has(op.method as HttpMethod) && !op.safe;
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
