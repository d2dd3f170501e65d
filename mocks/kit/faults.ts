import type { FastifyReply, FastifyRequest } from 'fastify';
import picomatch from 'picomatch';
import type { Contract, CredentialClass, JsonObject, OperationModel } from '../../src/core/contract/model.ts';
import { isObject, resolveLocal } from '../../src/core/contract/pointer.ts';
import { replyMediaType } from './replies.ts';
import type { AnyReply } from './types.ts';

/** Faults in how the mock answers at all, before it looks at the request: a delay, a 500, a dropped connection. */
export const REQUEST_FAULT_KINDS = ['latency', 'error', 'drop'] as const;
export type RequestFaultKind = (typeof REQUEST_FAULT_KINDS)[number];

export function isRequestFaultKind(kind: unknown): kind is RequestFaultKind {
  return typeof kind === 'string' && (REQUEST_FAULT_KINDS as readonly string[]).includes(kind);
}

interface RequestFault {
  operationId?: string;
  kind: RequestFaultKind;
  ms?: number;
  remaining: number;
}

/** The longest delay the mock will hold a request for, asked per request (`Prefer: delay=`) or per route. */
export const MAX_DELAY_MS = 30_000;

/** A delay in milliseconds as a client asks for it, or why it is not one the mock accepts. */
export function readDelay(value: unknown): number | { problem: string } {
  const ms = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof ms === 'number' && Number.isInteger(ms) && ms >= 0 && ms <= MAX_DELAY_MS) return ms;
  return { problem: `a delay is a whole number of milliseconds from 0 to ${MAX_DELAY_MS}; got ${JSON.stringify(value)}` };
}

/** Holds a request for `ms`: every delay the mock adds (faults, route latency, `Prefer: delay=`) waits here. */
export function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Latency set for an operation, a path glob, or every operation, until removed (`/__control/latency`). */
export interface RouteLatency {
  operationId?: string;
  /** A glob over the request path (`/api/v1/user/*`) or the operation's path template (`/api/v1/user/{username}`). */
  path?: string;
  ms: number;
}

/**
 * Request faults (`POST /__control/faults {operationId?, kind: latency|error|drop, ms?, times?}`):
 * the next `times` (default 1) requests of the operation, or of any operation, are delayed by `ms`
 * (default 200), answered 500, or have their connection dropped without an answer.
 *
 * Route latency (`POST /__control/latency {operationId?, path?, ms}`) is the lasting kind of the
 * latency fault: every request of the matching operations waits `ms` until the setting is removed.
 * The latest setting that matches a request wins, so a route can be set again; a one-off latency
 * fault adds to it.
 */
export class RequestFaults {
  private faults: RequestFault[] = [];
  private latencies: (RouteLatency & { matches: (op: OperationModel, path: string) => boolean })[] = [];

  add(body: { operationId?: string; kind: RequestFaultKind; ms?: number; times?: number }): number {
    this.faults.push({ operationId: body.operationId, kind: body.kind, ms: body.ms, remaining: body.times ?? 1 });
    return this.faults.length;
  }

  get count(): number {
    return this.faults.length;
  }

  clear(): void {
    this.faults = [];
  }

  setLatency(setting: RouteLatency): void {
    const glob = setting.path === undefined ? undefined : picomatch(setting.path, { dot: true });
    const matches = (op: OperationModel, path: string) =>
      (setting.operationId === undefined || setting.operationId === op.id) && (glob === undefined || glob(path) || glob(op.path));
    this.latencies.push({ ...setting, matches });
  }

  get routeLatencies(): RouteLatency[] {
    return this.latencies.map(({ operationId, path, ms }) => ({ operationId, path, ms }));
  }

  clearLatency(): void {
    this.latencies = [];
  }

  /** Applies route latency and the first fault that targets the operation; afterwards the reply may have been sent or hijacked. */
  apply(req: FastifyRequest, reply: FastifyReply, op: OperationModel): Promise<void> | undefined {
    // Nothing set: the request passes at the cost of two length checks.
    if (this.faults.length === 0 && this.latencies.length === 0) return undefined;
    const latency = this.routeLatency(req, op);
    const fault = this.faults.find((f) => f.remaining > 0 && (!f.operationId || f.operationId === op.id));
    if (fault) fault.remaining--;
    if (!fault && latency === 0) return undefined;
    return this.inject(latency, fault, req, reply);
  }

  private routeLatency(req: FastifyRequest, op: OperationModel): number {
    if (this.latencies.length === 0) return 0;
    const url = req.url;
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    for (let i = this.latencies.length - 1; i >= 0; i--) if (this.latencies[i]!.matches(op, path)) return this.latencies[i]!.ms;
    return 0;
  }

  private async inject(latency: number, fault: RequestFault | undefined, req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const ms = latency + (fault?.kind === 'latency' ? (fault.ms ?? 200) : 0);
    if (ms > 0) await wait(ms);
    if (fault?.kind === 'drop') {
      req.raw.socket.destroy();
      reply.hijack();
    } else if (fault?.kind === 'error') await reply.code(500).send({ error: 'injected fault' });
  }
}

/**
 * Response faults: ways a stateful mock can be made to break its contract on purpose, so that a
 * conformance tool can be shown to notice (bench/detection.ts). Each is activated through the
 * control API (`POST /__control/faults {operationId, kind, times?}`) and rewrites the answer of the
 * matching operation after the mock built it (the server's onSend hook); `DELETE /__control/faults`
 * and `POST /__control/reset` remove them. Without `times` a response fault stays until removed.
 */
export const RESPONSE_FAULT_KINDS = [
  /** A 2xx body's first typed leaf (number, else string, else boolean) gets another JSON type. */
  'wrong-field-type',
  /** A 2xx body loses one property its schema requires. */
  'missing-required-field',
  /** A 2xx answer is sent with a 2xx status the operation does not declare. */
  'undeclared-status',
  /** A 2xx answer keeps its body but is labelled text/html. */
  'wrong-content-type',
  /** A request the mock rejects as malformed (400/422) gets a 500 instead. */
  'server-error-on-bad-input',
  /** Every refused credential (and no credential at all) gets the success answer. */
  'ignores-auth',
  /** A revoked credential gets the success answer. */
  'accepts-revoked',
  /** A 403 refusal (valid credential without the right) is sent as 401. */
  'unauthenticated-instead-of-forbidden',
  /** A credential of another tenant gets the success answer (the tenant's data leaks). */
  'other-tenant-leak',
  /** A page's totals (`pagination.total_items`/`total_pages`/`next_page`, or `total`) are wrong but well-typed. */
  'wrong-pagination-totals',
  /**
   * Another ordinary user's objects are served and changed as if they were the caller's (BOLA/IDOR).
   * Not a rewrite of a finished answer: the ownership rule itself is lifted (mocks/kit/ownership.ts),
   * so the handler answers with the other user's real object.
   */
  'ignores-ownership',
] as const;

export type ResponseFaultKind = (typeof RESPONSE_FAULT_KINDS)[number];

export function isResponseFaultKind(kind: unknown): kind is ResponseFaultKind {
  return typeof kind === 'string' && (RESPONSE_FAULT_KINDS as readonly string[]).includes(kind);
}

interface ResponseFault {
  operationId?: string;
  kind: ResponseFaultKind;
  remaining: number;
}

/** What the server hands the faults for one reply. */
export interface ReplyContext {
  op: OperationModel;
  req: FastifyRequest;
  reply: FastifyReply;
  payload: unknown;
  /** The credential class of the request, as the mock's own authentication judges it. */
  classify: () => CredentialClass;
  /** The answer the operation gives an accepted request (its handler, or its example). */
  succeed: () => Promise<AnyReply>;
}

const REFUSED: ReadonlySet<CredentialClass> = new Set(['missing', 'malformed', 'wrong-scheme', 'unknown', 'revoked', 'expired', 'deprovisioned', 'insufficient', 'other-tenant']);
const SPARE_2XX = [203, 206, 202, 226, 207, 200, 201];

export class ResponseFaults {
  private faults: ResponseFault[] = [];

  constructor(private readonly contract: Contract) {}

  add(body: { operationId?: string; kind: ResponseFaultKind; times?: number }): number {
    this.faults.push({ operationId: body.operationId, kind: body.kind, remaining: body.times ?? Number.POSITIVE_INFINITY });
    return this.faults.length;
  }

  clear(): void {
    this.faults = [];
  }

  /** True when some response fault that rewrites answers targets this operation (the hook does nothing otherwise). */
  active(operationId: string): boolean {
    return this.faults.some((f) => f.kind !== 'ignores-ownership' && f.remaining > 0 && (!f.operationId || f.operationId === operationId));
  }

  /** True when the `ignores-ownership` fault is on for this operation (each request it serves counts against `times`). */
  ignoresOwnership(operationId: string): boolean {
    const fault = this.faults.find((f) => f.kind === 'ignores-ownership' && f.remaining > 0 && (!f.operationId || f.operationId === operationId));
    if (fault) fault.remaining--;
    return fault !== undefined;
  }

  /** Applies the first matching fault that changes this reply, and returns the payload to send. */
  async apply(ctx: ReplyContext): Promise<unknown> {
    for (const fault of this.faults) {
      if (fault.remaining <= 0 || (fault.operationId && fault.operationId !== ctx.op.id)) continue;
      const out = await this.rewrite(fault.kind, ctx);
      if (out === NO_CHANGE) continue;
      fault.remaining--;
      return out;
    }
    return ctx.payload;
  }

  private async rewrite(kind: ResponseFaultKind, ctx: ReplyContext): Promise<unknown> {
    const { reply, op } = ctx;
    const status = reply.statusCode;
    const ok = status >= 200 && status < 300;
    switch (kind) {
      case 'wrong-field-type':
        return ok ? mutateJson(ctx.payload, (body) => retypeFirstLeaf(body)) : NO_CHANGE;
      case 'missing-required-field':
        return ok ? mutateJson(ctx.payload, (body) => dropRequired(this.contract, this.schemaOf(op, status), body)) : NO_CHANGE;
      case 'undeclared-status': {
        if (!ok) return NO_CHANGE;
        const declared = new Set(op.responses.map((r) => r.status));
        if (declared.has('2XX') || declared.has('default')) return NO_CHANGE;
        const spare = SPARE_2XX.find((s) => !declared.has(String(s)));
        if (spare === undefined) return NO_CHANGE;
        reply.code(spare);
        return ctx.payload;
      }
      case 'wrong-content-type':
        if (!ok) return NO_CHANGE;
        reply.header('content-type', 'text/html; charset=utf-8');
        return ctx.payload;
      case 'server-error-on-bad-input':
        if (status !== 400 && status !== 422) return NO_CHANGE;
        reply.code(500).header('content-type', 'application/json; charset=utf-8');
        return JSON.stringify({ error: 'internal error', detail: 'TypeError: Cannot read properties of undefined' });
      case 'ignores-auth':
        return (status === 401 || status === 403) && REFUSED.has(ctx.classify()) ? this.succeed(ctx) : NO_CHANGE;
      case 'accepts-revoked':
        return status >= 400 && ctx.classify() === 'revoked' ? this.succeed(ctx) : NO_CHANGE;
      case 'other-tenant-leak':
        return status >= 400 && ctx.classify() === 'other-tenant' ? this.succeed(ctx) : NO_CHANGE;
      case 'unauthenticated-instead-of-forbidden': {
        if (status !== 403) return NO_CHANGE;
        const cls = ctx.classify();
        if (cls === 'valid') return NO_CHANGE;
        reply.code(401);
        return ctx.payload;
      }
      case 'wrong-pagination-totals':
        return ok ? mutateJson(ctx.payload, wrongTotals) : NO_CHANGE;
      case 'ignores-ownership':
        return NO_CHANGE; // acts before the handler (ignoresOwnership), not on its answer
    }
  }

  /** Replaces a refusal with what an accepted request gets. */
  private async succeed(ctx: ReplyContext): Promise<unknown> {
    const result = await ctx.succeed();
    ctx.reply.code(result.status);
    if (result.headers) ctx.reply.headers(result.headers);
    ctx.reply.removeHeader('www-authenticate');
    const media = replyMediaType(ctx.op, result);
    ctx.reply.header('content-type', media);
    if (result.body === undefined) return '';
    return typeof result.body === 'string' && !/json/i.test(media) ? result.body : JSON.stringify(result.body);
  }

  private schemaOf(op: OperationModel, status: number): JsonObject | undefined {
    return op.responses.find((r) => r.status === String(status))?.content[0]?.schema;
  }
}

const NO_CHANGE = Symbol('no change');

function mutateJson(payload: unknown, fn: (body: unknown) => boolean): unknown {
  if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return NO_CHANGE;
  let body: unknown;
  try {
    body = JSON.parse(String(payload));
  } catch {
    return NO_CHANGE;
  }
  return fn(body) ? JSON.stringify(body) : NO_CHANGE;
}

/** Depth-first, the first property holding a number (else a string, else a boolean) changes JSON type. */
function retypeFirstLeaf(body: unknown): boolean {
  for (const type of ['number', 'string', 'boolean'] as const) {
    const hit = findLeaf(body, type);
    if (hit) {
      const [holder, key] = hit;
      const v = holder[key];
      holder[key] = type === 'number' ? `${String(v)}-as-text` : type === 'string' ? 12345 : String(v);
      return true;
    }
  }
  return false;
}

function findLeaf(node: unknown, type: 'number' | 'string' | 'boolean'): [Record<string, unknown>, string] | undefined {
  if (Array.isArray(node)) {
    for (const item of node) {
      const hit = findLeaf(item, type);
      if (hit) return hit;
    }
    return undefined;
  }
  if (!node || typeof node !== 'object') return undefined;
  const obj = node as Record<string, unknown>;
  for (const [k, v] of Object.entries(obj)) if (typeof v === type) return [obj, k];
  for (const v of Object.values(obj)) {
    const hit = findLeaf(v, type);
    if (hit) return hit;
  }
  return undefined;
}

/** Removes the first property the schema requires, at the top level or in the first array item. */
function dropRequired(contract: Contract, schema: JsonObject | undefined, body: unknown): boolean {
  const resolve = (s: unknown): JsonObject => {
    const { node } = resolveLocal(contract.document, s, '');
    return isObject(node) ? node : {};
  };
  const required = (s: JsonObject): string[] => {
    const own = Array.isArray(s.required) ? (s.required as string[]) : [];
    const parts = Array.isArray(s.allOf) ? (s.allOf as unknown[]).flatMap((p) => required(resolve(p))) : [];
    return [...own, ...parts];
  };
  let node = body;
  let s = schema ? resolve(schema) : undefined;
  for (let depth = 0; depth < 4 && s; depth++) {
    if (Array.isArray(node)) {
      if (node.length === 0 || !s.items) return false;
      node = node[0];
      s = resolve(s.items);
      continue;
    }
    if (!node || typeof node !== 'object') return false;
    const obj = node as Record<string, unknown>;
    const key = required(s).find((k) => k in obj);
    if (key) {
      delete obj[key];
      return true;
    }
    return false;
  }
  return false;
}

/**
 * Totals that disagree with the page: `pagination` claims more items and pages than exist and a next
 * page that does not; a `{data, hasNext, total}` page gets a total 37 higher than the items it holds.
 */
function wrongTotals(body: unknown): boolean {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return false;
  const obj = body as Record<string, unknown>;
  const items = Array.isArray(obj.data) ? obj.data.length : 0;
  const p = obj.pagination as Record<string, unknown> | undefined;
  if (p && typeof p === 'object' && typeof p.total_items === 'number') {
    p.total_items = items + 37;
    p.total_pages = Number(p.total_pages ?? 1) + 5;
    p.next_page = Number(p.current_page ?? 1) + 1;
    return true;
  }
  if (typeof obj.total === 'number') {
    // A total counted by another query (e.g. before filtering); `hasNext` still follows the real data.
    obj.total = items + 37;
    return true;
  }
  return false;
}
