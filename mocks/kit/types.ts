/**
 * Handler types derived from the types openapi-typescript generates for a contract: a handler's
 * path, query and body types and every reply it may give come from `generated/<api>.ts`, so a
 * contract change that breaks a handler fails the type check.
 *
 *   const users: Handlers<operations> = { getUser: ({ params }) => ({ status: 200, body: … }) };
 *
 * The kit validates each request against its operation's schemas before a handler sees it (path
 * and query text read as the schema's types), which is what these request types promise; see
 * `mocks/kit/define.ts` for the one place the two meet.
 */
import type { StoredCredential } from './credentials.ts';
import type { Ownership } from './ownership.ts';

/** The body of a request or response: one of its declared media types' bodies; undefined when it has none. */
type ContentBody<T> = T extends { content: infer C } ? (C extends Record<string, unknown> ? C[keyof C] : undefined) : undefined;

/** Request bodies the mock reads: JSON and HTML form bodies (others are handed over unread). */
type ReadableBody<T> = T extends { content: infer C }
  ? C extends { 'application/json': infer J }
    ? J
    : C extends { 'application/x-www-form-urlencoded': infer F }
      ? F
      : undefined
  : undefined;

type Named<P> = [P] extends [undefined] ? Record<string, never> : NonNullable<P>;

export type PathParams<Op> = Op extends { parameters: { path?: infer P } } ? Named<P> : Record<string, never>;
export type QueryParams<Op> = Op extends { parameters: { query?: infer Q } } ? Named<Q> : Record<string, never>;

/** The body of a request: required bodies are always there, an optional one may be left out. */
export type RequestBody<Op> = Op extends { requestBody: infer R }
  ? ReadableBody<R>
  : Op extends { requestBody?: infer R }
    ? [R] extends [undefined]
      ? undefined
      : ReadableBody<NonNullable<R>> | undefined
    : undefined;

/** A status key as openapi-typescript writes it (`200`, `"4XX"`, `"default"`) as the number a reply carries. */
type StatusOf<S> = S extends number ? S : S extends `${infer N extends number}` ? N : never;

/** One of the operation's declared responses: its status, a body of that response's type, headers. */
export type Reply<Op> = Op extends { responses: infer R }
  ? { [S in keyof R]: { status: StatusOf<S>; body: ContentBody<R[S]>; headers?: Record<string, string> } }[keyof R]
  : never;

export interface HandlerRequest<Op> {
  params: PathParams<Op>;
  query: QueryParams<Op>;
  body: RequestBody<Op>;
  /** The credential the request authenticated with (absent on open operations). */
  credential?: StoredCredential;
  headers: Record<string, string | string[] | undefined>;
  /** Whether ownership is enforced for this request: ask `mayReach` (mocks/kit/ownership.ts). */
  ownership?: Ownership;
}

export type Handler<Op> = (req: HandlerRequest<Op>) => Reply<Op> | Promise<Reply<Op>>;

/** Handlers keyed by operationId, each typed by its operation in the generated types. */
export type Handlers<Ops> = { [K in keyof Ops]?: Handler<Ops[K]> };

/** A reply as the server sends it, whatever the operation (the kit's untyped side of a handler). */
export interface AnyReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}
