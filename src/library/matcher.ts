import path from 'node:path';
import { formatLocation } from '../core/contract/location.ts';
import { packageRoot } from '../core/paths.ts';
import { contract, type ContractViolation, type ResponseInput } from './contract.ts';
import { recordedResponse } from './responses.ts';

export interface MatchContractOptions {
  /** The request method, for a fetch `Response` (which does not record it). Default `GET`. */
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
 * The vitest matcher behind `expect(res).toMatchContract(api)`. Synchronous for supertest responses
 * once the contract is loaded (else it returns a promise, which vitest awaits), asynchronous for
 * fetch `Response`s because their body must be read.
 */
export function toMatchContract(received: unknown, api: string, options: MatchContractOptions = {}): MatcherResult | Promise<MatcherResult> {
  if (isFetchResponse(received)) {
    return fromFetch(received, options).then(
      (input) => judge(api, input),
      (err: Error) => ({ pass: false, message: () => err.message }),
    );
  }
  let input: ResponseInput;
  try {
    input = fromSupertest(received, options);
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

/** The failure message: one block per violation with check id, body pointer, message and spec location. */
export function formatViolations(api: string, what: string, violations: ContractViolation[]): string {
  const count = violations.length === 1 ? '1 violation' : `${violations.length} violations`;
  const lines = [`expected ${what} to match the ${api} contract; ${count}:`];
  for (const v of violations) {
    const pointer = v.pointer !== undefined ? ` at body ${v.pointer === '' ? '/' : v.pointer}` : '';
    lines.push(`  ✗ ${v.check}${pointer}: ${v.message}`);
    if (v.location) lines.push(`      spec: ${formatLocation(v.location, specBase(v.location.file))}`);
  }
  return lines.join('\n');
}

/** Spec files are shown relative to the package (`specs/defguard/paths/v1/user.yaml`) when they are in it. */
function specBase(file: string): string | undefined {
  const rel = path.relative(packageRoot, file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? undefined : packageRoot;
}

async function fromFetch(res: Response, options: MatchContractOptions): Promise<ResponseInput> {
  // A typed client's response: its body was parsed by openapi-fetch, the client kept a clone.
  const recorded = recordedResponse(res);
  let text: string;
  if (recorded) text = await recorded.clone.clone().text();
  else if (!res.bodyUsed) text = await res.clone().text(); // a clone, so the caller can still read the body
  else throw new Error('toMatchContract: the Response body was already read; assert before reading it, or pass a clone');
  const target = options.path ?? (res.url ? new URL(res.url).pathname : undefined);
  if (!target) throw new Error('toMatchContract: the Response has no url; pass { path } (and { method })');
  return { method: options.method ?? recorded?.method ?? 'GET', path: target, status: res.status, headers: res.headers, text };
}

function fromSupertest(received: unknown, options: MatchContractOptions): ResponseInput {
  const res = received as SupertestLike;
  if (!res || typeof res !== 'object' || typeof res.status !== 'number' || !res.headers) {
    throw new Error('toMatchContract expects a supertest response or a fetch Response');
  }
  const method = options.method ?? res.req?.method;
  const target = options.path ?? res.req?.path;
  if (!method || !target) throw new Error('toMatchContract: cannot tell the request method and path from the response; pass { method, path }');
  // superagent leaves `text` undefined for binary bodies and parses JSON into `body`.
  return { method, path: target, status: res.status, headers: res.headers, text: typeof res.text === 'string' ? res.text : undefined, body: res.body };
}
