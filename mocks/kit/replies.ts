import type { FastifyReply } from 'fastify';
import type { Contract, OperationModel, ResponseModel } from '../../src/core/contract/model.ts';
import { sampleSchema } from '../../src/core/contract/sample.ts';
import type { AnyReply } from './types.ts';

/**
 * `declaredReply`'s wish: these statuses in order, the operation's success answer, or a declared
 * response a client chose (a scenario, see `chooseDeclared`).
 */
export type WantedStatuses = readonly number[] | 'success' | DeclaredChoice;

/**
 * The answer the contract declares for the first of `wanted` the operation has: that response's
 * first example (or the named one chosen), else a body sampled from its schema, else `fallback`;
 * no body when the response declares none. So every answer the mock makes up (refusals, bad
 * requests, operations without a handler, scenarios) validates against the contract. When the
 * operation declares none of the statuses, the first is sent with `fallback` as JSON.
 */
export function declaredReply(contract: Contract, op: OperationModel, wanted: WantedStatuses, fallback?: unknown, headers?: Record<string, string>): AnyReply {
  if (isChoice(wanted)) {
    if (wanted.response.content.length === 0) return { status: wanted.status, headers };
    const body = wanted.example ? wanted.example.value : exampleBody(contract, wanted.response);
    return { status: wanted.status, body: body === NONE ? fallback : body, headers };
  }
  const declared = wanted === 'success' ? successResponse(op) : firstDeclared(op, wanted);
  if (!declared) {
    if (wanted === 'success') return { status: 500, body: { error: 'no success response declared' } };
    return { status: wanted[0] ?? 500, body: fallback, headers };
  }
  const status = declared.status === '2XX' ? 200 : Number(declared.status);
  if (declared.content.length === 0) return { status, headers };
  const example = exampleBody(contract, declared);
  return { status, body: example === NONE ? fallback : example, headers };
}

/** One declared response of an operation, at a status it covers, with one of its named examples if asked for. */
export interface DeclaredChoice {
  response: ResponseModel;
  status: number;
  example?: { name: string; value: unknown };
}

/** Why a client's choice is not one the operation declares, with what it does declare. */
export interface UndeclaredChoice {
  problem: string;
  /** The statuses the operation declares, as the contract writes them (`404`, `4XX`). */
  declaredCodes: string[];
  /** Its named examples by status. */
  examples: Record<string, string[]>;
}

function isChoice(wanted: WantedStatuses): wanted is DeclaredChoice {
  return typeof wanted === 'object' && !Array.isArray(wanted);
}

/**
 * The declared response a client asks for by status and/or example name (Prism's `Prefer: code=`,
 * `example=`). A status picks the response declared for it exactly, else its range (`4XX`), else
 * `default`. A name alone is looked for in the success response first, then in the others in the
 * order the contract declares them. Anything the operation does not declare is an
 * `UndeclaredChoice`: never another answer in its place.
 */
export function chooseDeclared(op: OperationModel, wish: { status?: number; example?: string }): DeclaredChoice | UndeclaredChoice {
  const undeclared = (problem: string): UndeclaredChoice => ({
    problem,
    declaredCodes: op.responses.map((r) => r.status),
    examples: Object.fromEntries(op.responses.map((r) => [r.status, exampleNames(r)]).filter(([, names]) => names!.length > 0)),
  });
  let candidates: ResponseModel[];
  if (wish.status !== undefined) {
    const code = wish.status;
    const response =
      op.responses.find((r) => r.status === String(code)) ??
      op.responses.find((r) => r.status === `${Math.floor(code / 100)}XX`) ??
      op.responses.find((r) => r.status === 'default');
    if (!response) return undeclared(`${op.id} declares no ${code} response; declared: ${op.responses.map((r) => r.status).join(', ')}`);
    if (wish.example === undefined) return { response, status: code };
    candidates = [response];
  } else {
    const success = successResponse(op);
    candidates = success ? [success, ...op.responses.filter((r) => r !== success)] : op.responses;
  }
  for (const response of candidates) {
    const example = response.content.flatMap((m) => m.namedExamples).find((e) => e.name === wish.example);
    if (example) return { response, status: wish.status ?? statusOf(response), example };
  }
  const where = wish.status !== undefined ? `its ${candidates[0]!.status} response` : 'any of its responses';
  const names = wish.status !== undefined ? exampleNames(candidates[0]!) : [...new Set(op.responses.flatMap(exampleNames))];
  return undeclared(`${op.id} has no example named '${wish.example}' in ${where}; named examples: ${names.length > 0 ? names.join(', ') : 'none'}`);
}

function exampleNames(response: ResponseModel): string[] {
  return response.content.flatMap((m) => m.namedExamples.map((e) => e.name));
}

/** The status a response is sent with: its own, 200 for `2XX`, 500 for `default` and other ranges' first code. */
function statusOf(response: ResponseModel): number {
  if (/^\d+$/.test(response.status)) return Number(response.status);
  const range = /^([1-5])XX$/.exec(response.status);
  return range ? Number(range[1]) * 100 : 500;
}

function firstDeclared(op: OperationModel, statuses: readonly number[]): ResponseModel | undefined {
  for (const status of statuses) {
    const declared = op.responses.find((r) => r.status === String(status));
    if (declared) return declared;
  }
  return undefined;
}

function successResponse(op: OperationModel): ResponseModel | undefined {
  return op.responses.find((r) => /^2\d\d$/.test(r.status)) ?? op.responses.find((r) => r.status === '2XX');
}

const NONE = Symbol('no example');
// Examples and sampled bodies do not change while the mock runs: worked out once per response.
const examples = new WeakMap<ResponseModel, unknown>();

function exampleBody(contract: Contract, response: ResponseModel): unknown {
  if (examples.has(response)) return examples.get(response);
  const media = response.content[0];
  let body: unknown = NONE;
  if (media && media.examples.length > 0) body = media.examples[0];
  else if (media?.schema) body = sampleSchema(contract, media.schema);
  examples.set(response, body);
  return body;
}

/**
 * Sends a reply in the media type its response declares: a text body (a `string` where the response
 * has a text media type) as it is, anything else as JSON. Fastify is handed the serialised text,
 * so a body that is itself a JSON string stays a JSON string.
 */
export function sendReply(reply: FastifyReply, op: OperationModel, result: AnyReply) {
  reply.code(result.status);
  if (result.headers) reply.headers(result.headers);
  if (result.body === undefined) return reply.send();
  const mediaType = replyMediaType(op, result);
  if (!/json/i.test(mediaType) && (typeof result.body === 'string' || Buffer.isBuffer(result.body))) return reply.type(mediaType).send(result.body);
  return reply.type(mediaType).send(JSON.stringify(result.body));
}

/** The declared media type a reply's body is sent as (JSON when the response declares none). */
export function replyMediaType(op: OperationModel, result: AnyReply): string {
  const content = op.responses.find((r) => r.status === String(result.status))?.content ?? [];
  const json = content.find((c) => /json/i.test(c.mediaType));
  if (typeof result.body === 'string' || Buffer.isBuffer(result.body)) {
    const text = content.find((c) => !/json/i.test(c.mediaType));
    if (text) return text.mediaType;
  }
  return json?.mediaType ?? content[0]?.mediaType ?? 'application/json';
}
