import type { FastifyReply } from 'fastify';
import { sample } from 'openapi-sampler';
import type { Contract, OperationModel, ResponseModel } from '../../src/core/contract/model.ts';
import type { AnyReply } from './types.ts';

/** `declaredReply`'s wish: these statuses in order, or the operation's success answer. */
export type WantedStatuses = readonly number[] | 'success';

/**
 * The answer the contract declares for the first of `wanted` the operation has: that response's
 * first example, else a body sampled from its schema, else `fallback`; no body when the response
 * declares none. So every answer the mock makes up (refusals, bad requests, operations without a
 * handler) validates against the contract. When the operation declares none of the statuses, the
 * first is sent with `fallback` as JSON.
 */
export function declaredReply(contract: Contract, op: OperationModel, wanted: WantedStatuses, fallback?: unknown, headers?: Record<string, string>): AnyReply {
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
  else if (media?.schema) body = sample(media.schema as Parameters<typeof sample>[0], { skipReadOnly: true, quiet: true }, contract.document as Parameters<typeof sample>[2]);
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
