import path from 'node:path';
import { formatLocation } from '../core/contract/location.ts';
import { contract, type ContractViolation, type ResponseInput } from './contract.ts';
import { recordedResponse } from './responses.ts';

export interface MatchContractOptions {
  /**
   * The request method. Needed for a plain fetch `Response`, which does not record it (a missing
   * method is an error, never a guess); responses of the typed clients, supertest and
   * light-my-request (`app.inject()`) carry it.
   */
  method?: string;
  /** The request path, when the response does not say (overrides what is read from the response). */
  path?: string;
}

/** What `toMatchContract` needs from a supertest (superagent) response. */
interface SupertestLike {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
  text?: string;
  req?: { method?: string; path?: string };
}

/** What `toMatchContract` needs from a light-my-request response (Fastify's `app.inject()`). */
interface InjectedLike {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  payload?: string;
  rawPayload?: Buffer;
  raw?: { req?: { method?: string; url?: string } };
}

interface MatcherResult {
  pass: boolean;
  message: () => string;
}

/** True for a WHATWG fetch `Response` (undici's, or any lookalike with a readable body). */
export function isFetchResponse(value: unknown): value is Response {
  if (typeof Response !== 'undefined' && value instanceof Response) return true;
  const v = value as Partial<Response> | null;
  return !!v && typeof v === 'object' && typeof v.text === 'function' && typeof v.clone === 'function' && typeof v.url === 'string' && typeof v.headers?.get === 'function';
}

/**
 * The vitest matcher behind `expect(res).toMatchContract(api)`. Synchronous for supertest and
 * light-my-request responses once the contract is loaded (else it returns a promise); asynchronous
 * for fetch `Response`s because their body must be read. The setup module
 * (`security-api-contracts/vitest`) fails the test when a promise it returned was not awaited.
 */
export function toMatchContract(received: unknown, api: string, options: MatchContractOptions = {}): MatcherResult | Promise<MatcherResult> {
  const subject = clientResult(received) ?? received;
  if (isFetchResponse(subject)) {
    return fromFetch(subject, api, options).then(
      (input) => judge(api, input),
      (err: Error) => ({ pass: false, message: () => err.message }),
    );
  }
  let input: ResponseInput;
  try {
    input = isInjected(subject) ? fromInjected(subject, api, options) : fromSupertest(subject, api, options);
  } catch (err) {
    return { pass: false, message: () => (err as Error).message };
  }
  return judge(api, input);
}

function judge(api: string, input: ResponseInput): MatcherResult | Promise<MatcherResult> {
  const handle = contract(api);
  if (handle.current) return toResult(api, input, handle.validateLoaded(input));
  return handle.validateResponse(input).then((violations) => toResult(api, input, violations));
}

function toResult(api: string, input: ResponseInput, violations: ContractViolation[]): MatcherResult {
  const what = `${input.method.toUpperCase()} ${input.path} → ${input.status}`;
  if (violations.length === 0) {
    return { pass: true, message: () => `expected ${what} not to match the ${api} contract, but it does` };
  }
  return { pass: false, message: () => formatViolations(api, what, violations) };
}

/**
 * The failure message: one block per violation with check id, body pointer, message and spec
 * location. Locations are shown as a path the user can open from where the tests run: relative to
 * the working directory (`node_modules/security-api-contracts/specs/…` in a project that installed
 * the package), absolute when the file is outside it.
 */
export function formatViolations(api: string, what: string, violations: ContractViolation[], cwd: string = process.cwd()): string {
  const count = violations.length === 1 ? '1 violation' : `${violations.length} violations`;
  const lines = [`expected ${what} to match the ${api} contract; ${count}:`];
  for (const v of violations) {
    const pointer = v.pointer !== undefined ? ` at body ${v.pointer === '' ? '/' : v.pointer}` : '';
    lines.push(`  ✗ ${v.check}${pointer}: ${v.message}`);
    if (v.location) lines.push(`      spec: ${formatLocation(v.location, inside(cwd, v.location.file) ? cwd : undefined)}`);
  }
  return lines.join('\n');
}

function inside(dir: string, file: string): boolean {
  const rel = path.relative(dir, path.resolve(file));
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** The `response` of an openapi-fetch result (`{ data, error, response }`), so the whole result can be passed. */
function clientResult(value: unknown): Response | undefined {
  if (!value || typeof value !== 'object' || !('response' in value)) return undefined;
  const v = value as { response?: unknown };
  if (!('data' in value) && !('error' in value)) return undefined;
  return isFetchResponse(v.response) ? v.response : undefined;
}

function isInjected(value: unknown): value is InjectedLike {
  const v = value as Partial<InjectedLike> | null;
  return !!v && typeof v === 'object' && typeof v.statusCode === 'number' && !!v.headers && typeof (v as { status?: unknown }).status !== 'number';
}

/** The option hint in errors: `'defguard', { method: 'POST' }`. */
function callWith(api: string, extra: string): string {
  return `expect(res).toMatchContract(${JSON.stringify(api).replace(/"/g, "'")}, { ${extra} })`;
}

async function fromFetch(res: Response, api: string, options: MatchContractOptions): Promise<ResponseInput> {
  // A typed client's response: the client recorded the request method, and kept a clone of the body
  // (openapi-fetch parsed the original).
  const recorded = recordedResponse(res);
  const method = options.method ?? recorded?.method;
  if (!method) {
    throw new Error(
      `toMatchContract: a fetch Response does not record the request method, and guessing one would judge it against the wrong operation; ` +
        `pass it: await ${callWith(api, "method: 'POST'")} (responses of the package's typed clients carry it)`,
    );
  }
  let text: string;
  if (recorded?.clone) text = await recorded.clone.clone().text();
  else if (!res.bodyUsed) text = await res.clone().text(); // a clone, so the caller can still read the body
  else if (recorded) throw new Error('toMatchContract: the client was made with keepResponseBody: false, so the body it parsed cannot be judged');
  else throw new Error('toMatchContract: the Response body was already read; assert before reading it, or pass a clone');
  const url = res.url || recorded?.url;
  const target = options.path ?? (url ? new URL(url).pathname : undefined);
  if (!target) throw new Error(`toMatchContract: the Response has no url; pass the path: await ${callWith(api, `method: '${method.toUpperCase()}', path: '/api/…'`)}`);
  return { method, path: target, status: res.status, headers: res.headers, text };
}

/** light-my-request keeps the fake request on `raw.req`, with its method and url (path and query). */
function fromInjected(res: InjectedLike, api: string, options: MatchContractOptions): ResponseInput {
  const method = options.method ?? res.raw?.req?.method;
  const target = options.path ?? res.raw?.req?.url;
  if (!method || !target) throw new Error(`toMatchContract: the injected response does not carry its request; pass ${callWith(api, "method: 'GET', path: '/api/…'")}`);
  const text = typeof res.payload === 'string' ? res.payload : res.rawPayload?.toString('latin1');
  return { method, path: target, status: res.statusCode, headers: res.headers, text };
}

function fromSupertest(received: unknown, api: string, options: MatchContractOptions): ResponseInput {
  if (received && typeof (received as PromiseLike<unknown>).then === 'function') {
    throw new Error(`toMatchContract received a promise; await the request first: expect(await …).toMatchContract('${api}')`);
  }
  const res = received as SupertestLike;
  if (!res || typeof res !== 'object' || typeof res.status !== 'number' || !res.headers) {
    throw new Error('toMatchContract expects a fetch Response, a typed-client result, a supertest response or a light-my-request (app.inject) response');
  }
  const method = options.method ?? res.req?.method;
  const target = options.path ?? res.req?.path;
  if (!method || !target) throw new Error(`toMatchContract: cannot tell the request method and path from the response; pass ${callWith(api, "method: 'GET', path: '/api/…'")}`);
  // superagent leaves `text` undefined for binary bodies and parses JSON into `body`.
  return { method, path: target, status: res.status, headers: res.headers, text: typeof res.text === 'string' ? res.text : undefined, body: res.body };
}
