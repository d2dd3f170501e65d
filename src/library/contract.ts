import { checksFor } from '../../conformance/checks/index.ts';
import { judge, judgeUnmatched } from '../../conformance/judge.ts';
import { runContract, type RunResult } from '../../conformance/run.ts';
import { OPERATION_UNKNOWN, type CaseKind, type CheckId, type CheckResult, type ObservedResponse, type RequestCase } from '../../conformance/types.ts';
import { selectApis } from '../core/contract/discover.ts';
import { loadContract } from '../core/contract/load.ts';
import type { SourceLocation } from '../core/contract/location.ts';
import type { Contract, CredentialClass, OperationModel } from '../core/contract/model.ts';
import { lookupRoute } from '../core/contract/route.ts';
import { tokenVariable } from '../../conformance/credentials.ts';
import { projectPaths } from '../core/paths.ts';
import { validators } from '../core/validate/cache.ts';

/** A check's stable id, as every report names it. */
export type { CheckId };

/** The ids `validateResponse` may report: the checks that judge any observed answer. */
export type ResponseCheckId = CheckId;

/**
 * The checks `validateResponse` runs, by their stable ids: the registry's checks for an observed
 * answer to an operation (conformance/checks/index.ts), the ones the runner also runs on its own requests.
 */
export const RESPONSE_CHECKS: readonly ResponseCheckId[] = checksFor({ kind: 'positive', operation: { authContract: undefined } }, 'observed');

/** Check id of the violation reported when no operation of the contract matches the method and path. */
export { OPERATION_UNKNOWN };

export interface ContractViolation {
  /** The runner's check id (one of `RESPONSE_CHECKS`: `status-declared`, `content-type`, `response-schema`, `response-headers`) or `operation-unknown`. */
  check: ResponseCheckId | typeof OPERATION_UNKNOWN;
  message: string;
  /** JSON pointer into the body (`/0/severity`; `''` for the body itself) for `response-schema` violations. */
  pointer?: string;
  /** Where the expectation is written in the spec files (file, JSON pointer in that file, line). */
  location?: SourceLocation;
  /** The matched operation, when one matched. */
  operationId?: string;
}

/** A response as seen by the caller. Header names are case-insensitive; array values are joined. */
export interface ResponseInput {
  method: string;
  /** A concrete path (`/api/v1/user/admin`); a query string or a full URL is accepted and ignored beyond the path. */
  path: string;
  status: number;
  headers?: Record<string, string | string[] | number | undefined> | Headers;
  /**
   * The body: a string is taken as the raw body text; anything else is serialised as JSON. When
   * `headers` is omitted and the body is an object or array, `content-type: application/json` is assumed.
   */
  body?: unknown;
  /** The raw body text, when you have it (takes precedence over `body`). */
  text?: string;
}

/** A credential per class, without the scheme word (`Token `, `Bearer `): it is added from the contract. */
export type ClassCredentials = { valid: string } & Partial<Record<Exclude<CredentialClass, 'valid'>, string>>;

export interface AuthMatrixOptions {
  /** Per request (default 10 s). */
  timeoutMs?: number;
  concurrency?: number;
  /** Send state-changing requests to a non-loopback target (off by default, as in the CLI). */
  allowMutations?: boolean;
  /** Only these operations (by operationId); default all. */
  operationIds?: string[];
  /** Classes the target cannot honour, and why (reported as skipped). */
  unsupportedClasses?: { classes: ReadonlySet<CredentialClass>; reason: string };
  caFile?: string;
  insecure?: boolean;
}

export interface ClassCounts {
  passed: number;
  failed: number;
  skipped: number;
}

export interface AuthMatrix {
  api: string;
  target: string;
  /** Per credential class (`missing`, `wrong-scheme`, `valid`, ...): how many operations passed, failed, were skipped. */
  classes: Partial<Record<CredentialClass, ClassCounts>>;
  /** Totals over every class. */
  summary: ClassCounts;
  /** Every `auth-*` check result, as the runner reports it (requests redacted). */
  results: CheckResult[];
  durationMs: number;
}

/** The case kinds whose checks include an `auth-*` check: valid (auth-valid), no credential, one per class. */
const AUTH_KINDS: readonly CaseKind[] = ['positive', 'no-credentials', 'auth'];

/**
 * One API contract for library use: loaded and compiled once (per name or file, per process) with
 * the same loader and validator cache as the CLI. Every method is async only because the first call
 * loads the contract; later calls reuse it.
 */
export class ContractHandle {
  private loaded?: Contract;
  private pending?: Promise<Contract>;

  constructor(readonly ref: string) {}

  /** Loads (once) and returns the contract model. Call it in a `beforeAll` to make `toMatchContract` synchronous. */
  load(): Promise<Contract> {
    if (!this.pending) {
      this.pending = (async () => {
        const [entry] = selectApis(projectPaths(), [this.ref]);
        const contract = await loadContract(entry!);
        this.loaded = contract;
        return contract;
      })();
      // A failed load (unknown name, broken spec) is retried on the next call.
      this.pending.catch(() => (this.pending = undefined));
    }
    return this.pending;
  }

  /** The contract when it is already loaded, else undefined (no I/O). */
  get current(): Contract | undefined {
    return this.loaded;
  }

  /**
   * The operation a concrete method and path belong to, matched as the mocks and check-traffic match
   * it (src/core/contract/route.ts): below any server base path, with the trailing-slash spellings
   * the contract declares optional.
   */
  async findOperation(method: string, path: string): Promise<OperationModel | undefined> {
    const contract = await this.load();
    return lookupRoute(contract, method, pathOnly(path)).match?.operation;
  }

  /** Judges one response with the runner's response checks; an empty list means it conforms. */
  async validateResponse(response: ResponseInput): Promise<ContractViolation[]> {
    await this.load();
    return this.validateLoaded(response);
  }

  /** `validateResponse` without waiting: only after `load()` has resolved. */
  validateLoaded(response: ResponseInput): ContractViolation[] {
    if (!this.loaded) throw new Error(`contract '${this.ref}' is not loaded yet; await contract('${this.ref}').load() first`);
    const contract = this.loaded;
    const method = response.method.toUpperCase();
    const path = pathOnly(response.path);
    const lookup = lookupRoute(contract, method, path);
    if (!lookup.match) {
      const verdict = judgeUnmatched(contract, { method, path, otherMethods: lookup.otherMethods });
      return [{ check: OPERATION_UNKNOWN, message: verdict.message!, location: verdict.findings[0]!.location }];
    }
    const operation = lookup.match.operation;
    // Library mode sees only the answer: it is judged as an observed answer to a valid request.
    const requestCase: RequestCase = { kind: 'positive', operation, method, url: path, headers: {}, secretHeaders: [] };
    const violations: ContractViolation[] = [];
    for (const verdict of judge(contract, requestCase, toObserved(response), { validators, origin: 'observed' })) {
      for (const finding of verdict.findings) {
        violations.push({ check: verdict.check, message: finding.message, pointer: finding.bodyPointer, location: finding.location, operationId: operation.id });
      }
    }
    return violations;
  }

  /**
   * Runs the auth checks (`auth-*` only) against a running implementation, through the runner: for
   * every secured operation, the valid credential and one request per credential class.
   */
  async authMatrix(target: string, credentials: ClassCredentials, options: AuthMatrixOptions = {}): Promise<AuthMatrix> {
    const contract = await this.load();
    const { valid, ...others } = credentials;
    if (!valid) throw new Error('authMatrix needs credentials.valid');
    const operations = options.operationIds
      ? contract.operations.filter((op) => options.operationIds!.includes(op.id))
      : contract.operations;
    const variable = tokenVariable(contract.api);
    const run: RunResult = await runContract(contract, {
      baseUrl: target,
      operations,
      kinds: AUTH_KINDS,
      credentials: () => valid,
      secretVariable: variable,
      classCredentials: others,
      extraSecrets: Object.entries(others).map(([cls, value]) => ({ value: value!, variable: `${variable}_${cls.replace(/\W+/g, '_').toUpperCase()}` })),
      unsupportedClasses: options.unsupportedClasses,
      timeoutMs: options.timeoutMs,
      concurrency: options.concurrency,
      allowMutations: options.allowMutations,
      caFile: options.caFile,
      insecure: options.insecure,
    });
    const results = run.results.filter((r) => r.check.startsWith('auth-'));
    const classes: AuthMatrix['classes'] = {};
    const summary: ClassCounts = { passed: 0, failed: 0, skipped: 0 };
    for (const r of results) {
      const cls = classOf(r);
      const counts = (classes[cls] ??= { passed: 0, failed: 0, skipped: 0 });
      counts[r.status]++;
      summary[r.status]++;
    }
    return { api: contract.api, target, classes, summary, results, durationMs: run.durationMs };
  }
}

function classOf(r: CheckResult): CredentialClass {
  if (r.credentialClass) return r.credentialClass;
  if (r.check === 'auth-valid') return 'valid';
  if (r.check === 'auth-required') return 'missing';
  return r.check.slice('auth-'.length) as CredentialClass;
}

const handles = new Map<string, ContractHandle>();

/**
 * The contract of one API: a folder name under the package's `specs/` (`'defguard'`) or a path to
 * an OpenAPI 3.x file. The same handle (and the loaded, compiled contract) is returned for the same name.
 */
export function contract(ref: string): ContractHandle {
  let handle = handles.get(ref);
  if (!handle) {
    handle = new ContractHandle(ref);
    handles.set(ref, handle);
  }
  return handle;
}

function pathOnly(path: string): string {
  let p = path;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(p)) p = new URL(p).pathname;
  return p.split(/[?#]/)[0] || '/';
}

function toObserved(response: ResponseInput): ObservedResponse {
  const headers: Record<string, string> = {};
  if (response.headers instanceof Headers) {
    response.headers.forEach((value, key) => (headers[key.toLowerCase()] = value));
  } else if (response.headers) {
    for (const [key, value] of Object.entries(response.headers)) {
      if (value !== undefined) headers[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    }
  }
  let text: string;
  if (typeof response.text === 'string') text = response.text;
  else if (response.body === undefined) text = '';
  else if (typeof response.body === 'string') text = response.body;
  else if (Buffer.isBuffer(response.body)) text = response.body.toString('latin1');
  else {
    text = JSON.stringify(response.body);
    if (!response.headers && typeof response.body === 'object' && response.body !== null) headers['content-type'] = 'application/json';
  }
  return { status: response.status, headers, text, durationMs: 0 };
}
