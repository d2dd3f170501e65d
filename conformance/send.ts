import { request } from 'undici';
import { TargetError } from '../src/errors.ts';
import type { ObservedResponse, RequestCase } from './types.ts';

export interface SendOptions {
  baseUrl: string;
  timeoutMs: number;
}

/** Sends one case. Network failures become a TargetError: one line, exit code 2. */
export async function sendCase(rc: RequestCase, { baseUrl, timeoutMs }: SendOptions): Promise<ObservedResponse> {
  const url = joinUrl(baseUrl, rc.url);
  const started = performance.now();
  try {
    const res = await request(url, {
      method: rc.method as never,
      headers: rc.headers,
      body: rc.body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const buffer = Buffer.from(await res.body.arrayBuffer());
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) {
      if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    }
    return {
      status: res.statusCode,
      headers,
      text: buffer.toString(isTextual(headers['content-type']) ? 'utf8' : 'latin1'),
      durationMs: Math.round(performance.now() - started),
    };
  } catch (err) {
    throw new TargetError(describeNetworkError(err, new URL(url).origin, timeoutMs));
  }
}

export function joinUrl(baseUrl: string, pathAndQuery: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${pathAndQuery}`;
}

function isTextual(contentType: string | undefined): boolean {
  return !contentType || /json|text|xml|html|javascript|x-www-form-urlencoded/i.test(contentType);
}

function describeNetworkError(err: unknown, origin: string, timeoutMs: number): string {
  const e = err as { code?: string; cause?: { code?: string; message?: string }; message?: string };
  const code = e.code ?? e.cause?.code ?? '';
  switch (code) {
    case 'ECONNREFUSED':
      return `cannot reach ${origin}: connection refused`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot reach ${origin}: host name does not resolve`;
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `${origin} did not answer within ${timeoutMs} ms`;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return `${origin} closed the connection`;
    default:
      if (/certificate|self[- ]signed|TLS|SSL/i.test(`${code} ${e.message ?? ''} ${e.cause?.message ?? ''}`)) {
        return `TLS failure talking to ${origin}: ${e.cause?.message ?? e.message ?? code}`;
      }
      return `request to ${origin} failed: ${e.message ?? code ?? String(err)}`;
  }
}
