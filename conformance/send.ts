import fs from 'node:fs';
import path from 'node:path';
import { Agent, request } from 'undici';
import { TargetError, UsageError } from '../src/core/errors.ts';
import { packageRoot } from '../src/core/paths.ts';
import type { ObservedResponse, RequestCase } from './types.ts';

/**
 * Every request names the runner, as HTTP clients do; some services refuse requests without a
 * User-Agent (Defguard answers 400), which would read as a valid request rejected.
 */
export const USER_AGENT = `security-api-contracts/${(JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version}`;

export interface SenderOptions {
  baseUrl: string;
  /** Per request, for headers and body each (default 10 s). */
  timeoutMs?: number;
  /** PEM file of extra trusted CAs (e.g. an appliance's self-signed certificate). */
  caFile?: string;
  /** Skip certificate verification. Off by default; the CLI prints a warning when it is on. */
  insecure?: boolean;
  /** Requests per minute; undefined means no limit. */
  ratePerMinute?: number;
  /** How many times a 429 is retried after waiting for Retry-After (default 3). */
  maxRetries?: number;
  /** Longest wait honoured from a Retry-After header (default 60 s). */
  maxRetryAfterMs?: number;
}

/**
 * The one HTTP client of the runner: owns TLS settings, timeouts, the rate limit and back-off.
 * Network failures become a TargetError, which the CLI prints as one line with exit code 2.
 */
export class Sender {
  private readonly agent: Agent;
  private readonly timeoutMs: number;
  private readonly intervalMs: number;
  private nextSlot = 0;
  readonly baseUrl: string;

  constructor(private readonly options: SenderOptions) {
    this.baseUrl = options.baseUrl;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.intervalMs = options.ratePerMinute ? 60_000 / options.ratePerMinute : 0;
    let ca: string | undefined;
    if (options.caFile) {
      try {
        ca = fs.readFileSync(options.caFile, 'utf8');
      } catch (err) {
        throw new UsageError(`--ca ${options.caFile}: ${(err as NodeJS.ErrnoException).code ?? 'cannot read'}`);
      }
    }
    this.agent = new Agent({
      connect: { ca, rejectUnauthorized: options.insecure !== true },
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    });
  }

  async send(rc: RequestCase): Promise<ObservedResponse> {
    const maxRetries = this.options.maxRetries ?? 3;
    for (let attempt = 0; ; attempt++) {
      await this.waitForSlot();
      const response = await this.sendOnce(rc);
      if (response.status !== 429 || attempt >= maxRetries) return response;
      await sleep(this.retryDelay(response.headers['retry-after'], attempt));
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private async sendOnce(rc: RequestCase): Promise<ObservedResponse> {
    const url = joinUrl(this.baseUrl, rc.url);
    const started = performance.now();
    try {
      const res = await request(url, {
        method: rc.method as never,
        headers: { 'user-agent': USER_AGENT, ...rc.headers },
        body: rc.body,
        dispatcher: this.agent,
        signal: AbortSignal.timeout(this.timeoutMs * 2),
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
      throw new TargetError(describeNetworkError(err, new URL(url).origin, this.timeoutMs));
    }
  }

  /** Spaces request starts evenly so that no more than ratePerMinute start in any minute. */
  private async waitForSlot(): Promise<void> {
    if (this.intervalMs === 0) return;
    const now = Date.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + this.intervalMs;
    if (slot > now) await sleep(slot - now);
  }

  private retryDelay(retryAfter: string | undefined, attempt: number): number {
    const cap = this.options.maxRetryAfterMs ?? 60_000;
    if (retryAfter) {
      const seconds = Number(retryAfter);
      if (Number.isFinite(seconds)) return Math.min(cap, Math.max(0, seconds * 1000));
      const date = Date.parse(retryAfter);
      if (!Number.isNaN(date)) return Math.min(cap, Math.max(0, date - Date.now()));
    }
    return Math.min(cap, 1000 * 2 ** attempt);
  }
}

export function joinUrl(baseUrl: string, pathAndQuery: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${pathAndQuery}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function isTextual(contentType: string | undefined): boolean {
  return !contentType || /json|text|xml|html|javascript|x-www-form-urlencoded/i.test(contentType);
}

function describeNetworkError(err: unknown, origin: string, timeoutMs: number): string {
  const e = err as { code?: string; name?: string; cause?: { code?: string; message?: string }; message?: string };
  const code = e.code ?? e.cause?.code ?? '';
  const text = `${code} ${e.message ?? ''} ${e.cause?.message ?? ''}`;
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|SSL|certificate/i.test(text)) {
    return `TLS failure talking to ${origin}: ${e.cause?.message ?? e.message ?? code} (trust its CA with --ca <file>, or --insecure)`;
  }
  switch (code) {
    case 'ECONNREFUSED':
      return `cannot reach ${origin}: connection refused`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot reach ${origin}: host name does not resolve`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `cannot reach ${origin}: no route to host`;
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return `${origin} did not answer within ${timeoutMs} ms`;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return `${origin} closed the connection`;
    default:
      if (e.name === 'TimeoutError' || e.name === 'AbortError') return `${origin} did not answer within ${timeoutMs} ms`;
      return `request to ${origin} failed: ${e.message ?? code ?? String(err)}`;
  }
}
