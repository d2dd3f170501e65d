/**
 * Records calls made against a stateful mock (fastify `inject`) as HAR 1.2 entries, the way a
 * browser or proxy would export them, so check-traffic can be tested on real answers.
 */
import type { FastifyInstance } from 'fastify';
import { sample } from 'openapi-sampler';
import type { Contract } from '../src/core/contract/model.ts';
import { matchRoute } from '../src/core/contract/route.ts';

export interface Call {
  api: string;
  method: string;
  /** Path as the client sends it (prefix, trailing slash, query). */
  path: string;
  comment?: string;
}

/** `<api> <METHOD> <path>  # comment` lines of test/fixtures/real-clients/calls.txt. */
export function parseCalls(text: string): Call[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [main = '', comment] = l.split(/\s+#\s+/);
      const [api = '', method = '', path = ''] = main.trim().split(/\s+/);
      return { api, method, path, comment };
    });
}

export interface HarEntryOut {
  startedDateTime: string;
  time: number;
  request: Record<string, unknown>;
  response: Record<string, unknown>;
  cache: Record<string, never>;
  timings: { send: number; wait: number; receive: number };
}

export function har(entries: HarEntryOut[]): unknown {
  return { log: { version: '1.2', creator: { name: 'security-api-contracts tests', version: '1' }, entries } };
}

/** A request body a client would send for the call: the operation's example, or one sampled from its schema. */
export function bodyFor(contract: Contract, method: string, path: string, emptyBody = false): { body?: string; contentType?: string } {
  const op = matchRoute(contract, method, path)?.operation;
  const media = op?.requestBody?.content[0];
  if (!op || !media) return {};
  if (emptyBody) return { body: '', contentType: 'application/json' };
  const value = media.examples[0] ?? (media.schema ? sample(media.schema as never, { skipReadOnly: true, quiet: true }, contract.document as never) : {});
  if (media.mediaType === 'application/x-www-form-urlencoded') {
    return { body: new URLSearchParams(value as Record<string, string>).toString(), contentType: media.mediaType };
  }
  return { body: JSON.stringify(value), contentType: media.mediaType };
}

/** Sends one call to the mock and returns it as a HAR entry (with `origin` as the recorded host). */
export async function record(
  app: FastifyInstance,
  origin: string,
  call: { method: string; path: string; headers?: Record<string, string>; body?: string; contentType?: string },
): Promise<HarEntryOut> {
  const headers: Record<string, string> = { 'user-agent': 'Mozilla/5.0 (test)', accept: 'application/json, text/event-stream', ...call.headers };
  if (call.contentType) headers['content-type'] = call.contentType;
  const started = Date.now();
  const res = await app.inject({ method: call.method as never, url: call.path, headers, payload: call.body });
  const time = Date.now() - started;
  const resHeaders = Object.entries(res.headers).flatMap(([name, v]) => (Array.isArray(v) ? v : [v]).map((value) => ({ name, value: String(value) })));
  const contentType = String(res.headers['content-type'] ?? '');
  const binary = /pcap|octet-stream/.test(contentType);
  return {
    startedDateTime: new Date(started).toISOString(),
    time,
    request: {
      method: call.method,
      url: origin + call.path,
      httpVersion: 'HTTP/1.1',
      headers: Object.entries(headers).map(([name, value]) => ({ name, value })),
      queryString: [...new URL(origin + call.path).searchParams].map(([name, value]) => ({ name, value })),
      cookies: [],
      headersSize: -1,
      bodySize: call.body?.length ?? 0,
      ...(call.body !== undefined ? { postData: { mimeType: call.contentType ?? '', text: call.body } } : {}),
    },
    response: {
      status: res.statusCode,
      statusText: res.statusMessage,
      httpVersion: 'HTTP/1.1',
      headers: resHeaders,
      cookies: [],
      content: binary
        ? { size: res.rawPayload.length, mimeType: contentType, text: res.rawPayload.toString('base64'), encoding: 'base64' }
        : { size: res.body.length, mimeType: contentType, text: res.body },
      redirectURL: String(res.headers.location ?? ''),
      headersSize: -1,
      bodySize: res.rawPayload.length,
    },
    cache: {},
    timings: { send: 0, wait: time, receive: 0 },
  };
}
