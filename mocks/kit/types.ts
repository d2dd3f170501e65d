/**
 * Handler types derived from the types openapi-typescript generates for a contract: a handler's
 * path, query and body types and the replies it may give come from `generated/<api>.ts`, so a
 * contract change that breaks a handler fails the type check.
 */
import type { StoredCredential } from './credentials.ts';

type JsonContent<T> = T extends { content: { 'application/json': infer B } } ? B : T extends { content: { 'application/x-www-form-urlencoded': infer F } } ? F : undefined;

export type PathParams<Op> = Op extends { parameters: { path?: infer P } } ? (P extends undefined ? Record<string, never> : NonNullable<P>) : Record<string, never>;
export type QueryParams<Op> = Op extends { parameters: { query?: infer Q } } ? (Q extends undefined ? Record<string, never> : NonNullable<Q>) : Record<string, never>;
export type RequestBody<Op> = Op extends { requestBody?: infer R } ? JsonContent<NonNullable<R>> : undefined;

/** One of the operation's declared responses: its status and a body of that response's type. */
export type Reply<Op> = Op extends { responses: infer R }
  ? { [S in keyof R]: { status: S extends number ? S : S extends `${infer N extends number}` ? N : never; body: JsonContent<R[S]>; headers?: Record<string, string> } }[keyof R]
  : never;

export interface HandlerRequest<Op> {
  params: PathParams<Op>;
  query: QueryParams<Op>;
  body: RequestBody<Op>;
  /** The credential the request authenticated with (absent on open operations). */
  credential?: StoredCredential;
  headers: Record<string, string | string[] | undefined>;
}

export type Handler<Op> = (req: HandlerRequest<Op>) => Reply<Op> | Promise<Reply<Op>>;

/** Handlers keyed by operationId, each typed by its operation in the generated types. */
export type Handlers<Ops> = { [K in keyof Ops]?: Handler<Ops[K]> };
