import type { SourceLocation } from './location.ts';
import type { SourceMap } from './source-map.ts';

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** Methods that change state on the server; the runner treats them with care on real targets. */
export const MUTATING_METHODS: ReadonlySet<HttpMethod> = new Set(['put', 'post', 'delete', 'patch']);

/** An operation changes state unless it uses a read method or the contract marks it `x-safe: true` (a search sent as POST). */
export function changesState(op: { method: string; safe: boolean }): boolean {
  return MUTATING_METHODS.has(op.method as HttpMethod) && !op.safe;
}

import type { JsonObject } from './pointer.ts';
export type { JsonObject };

/** Classes of credential whose outcome `x-auth-contract` states (see specs/extensions/). */
export const CREDENTIAL_CLASSES = [
  'missing',
  'malformed',
  'wrong-scheme',
  'unknown',
  'revoked',
  'expired',
  'deprovisioned',
  'insufficient',
  'other-tenant',
  'other-user',
  'valid',
] as const;
export type CredentialClass = (typeof CREDENTIAL_CLASSES)[number];

/** What the API answers for one credential class on one operation. */
export interface ClassExpectation {
  /** false when the class cannot exist for this API (then `reason` says why). */
  applies: boolean;
  reason?: string;
  /** Acceptable statuses as written: `401`, `2XX`. */
  statuses: string[];
  /** Exact expected body, when `hasBody`. */
  body?: unknown;
  hasBody: boolean;
  /** Pointer of `bodySchema` in the bundled document (validator cache key). */
  bodySchemaPointer?: string;
  wwwAuthenticate: 'required' | 'forbidden' | 'any';
  /** The scheme this class's credential is sent with, when not the contract's (Defguard's ordinary users hold only sessions). */
  scheme?: string;
  /**
   * `other-user`: whether another user's object and an object that does not exist get the same
   * answer (status and body shape), so existence does not leak. Undefined when the entry does not say.
   */
  sameAsMissing?: boolean;
  inferred: boolean;
  /** Where the entry comes from: the document's default or the operation's own override. */
  from: 'document' | 'operation';
  /** Pointer of the class entry in the bundled document (the operation's override or the document default). */
  pointer: string;
  /** Where this expectation is written (the operation's override or the document default). */
  source: SourceLocation;
}

export interface AuthContract {
  /** The security scheme whose credential the classes vary. */
  scheme?: string;
  classes: Partial<Record<CredentialClass, ClassExpectation>>;
}

export interface SecurityScheme {
  name: string;
  type: string;
  in?: string;
  /** Header, query or cookie name that carries the credential (for apiKey schemes). */
  paramName?: string;
  scheme?: string;
  /** Literal text before the credential (`x-scheme-prefix`); `Bearer ` for http bearer schemes. */
  prefix: string;
  tokenPattern?: string;
}

/** `x-owned-by` on an operation: which path parameter decides ownership, and what it names. */
export interface OwnedBy {
  parameter: string;
  /** `owner`: the parameter is the owning user's name or id; `object`: it is the id of an object that belongs to one user. */
  names: 'owner' | 'object';
}

/** One alternative of an operation's `security` list: every named scheme must be satisfied. */
export type SecurityRequirement = string[];

export interface ParameterModel {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  /**
   * How a list value is written (OpenAPI `style`/`explode`): query parameters default to form style,
   * exploded (`id=1&id=2`); `explode: false` writes one comma-separated value (`id=1,2`).
   */
  explode: boolean;
  /** JSON pointer of the schema in the bundled document (the validator cache key). */
  schemaPointer?: string;
  schema?: JsonObject;
  example?: unknown;
  examples: unknown[];
  /** Pointer of the parameter object in the bundled document (a shared parameter's own place). */
  pointer: string;
  /**
   * `x-no-producer`: why no operation of the contract yields a value for this path parameter (the
   * caller must know it beforehand). Links are otherwise written or inferred (core/contract/links.ts).
   */
  noProducer?: string;
}

export interface MediaTypeModel {
  mediaType: string;
  schemaPointer?: string;
  schema?: JsonObject;
  /** Values of `example` and every named example, in declaration order. */
  examples: unknown[];
  /** The named ones (`examples: {name: {value}}`), by name in declaration order: what a client may ask a mock for. */
  namedExamples: { name: string; value: unknown }[];
}

export interface HeaderModel {
  name: string;
  required: boolean;
  schemaPointer?: string;
}

export interface ResponseModel {
  /** As written in the spec: `200`, `4XX` or `default`. */
  status: string;
  description: string;
  content: MediaTypeModel[];
  headers: HeaderModel[];
  /** Pointer of the response object in the bundled document (a shared response's own place). */
  pointer: string;
  /** Where the response is declared for this operation, in the hand-written files. */
  source: SourceLocation;
}

export interface OperationModel {
  id: string;
  method: HttpMethod;
  /** Path template as in the spec, e.g. `/api/v1/devices/{deviceId}/connections`. */
  path: string;
  summary?: string;
  tags: string[];
  /** `x-api-version` (`none`, `v1`, ...); undefined when the spec does not say. */
  apiVersion?: string;
  /** `x-required-role`; undefined when any valid credential will do. */
  requiredRole?: string;
  /** `x-safe: true`: a POST/PUT/PATCH/DELETE that changes nothing (e.g. a search sent as POST). */
  safe: boolean;
  /**
   * `x-owned-by`: the path parameter that names an object belonging to one user (`object`, e.g. a
   * device id) or the user who owns what the route reaches (`owner`, e.g. `/user/{username}/...`).
   * The `other-user` outcome of the auth contract applies here; undefined where no object is one user's.
   */
  ownedBy?: OwnedBy;
  /** Effective security: alternatives; an empty alternative means "no credential needed". */
  security: SecurityRequirement[];
  /** Effective `x-auth-contract` (document defaults merged with the operation's overrides). */
  authContract?: AuthContract;
  parameters: ParameterModel[];
  requestBody?: { required: boolean; content: MediaTypeModel[] };
  responses: ResponseModel[];
  /** JSON pointer of the operation in the bundled document. */
  pointer: string;
  /** Where the operation is written, in the hand-written files. */
  source: SourceLocation;
  /**
   * `x-trailing-slash: optional` on the path item or the document: the service treats the path with
   * and without a trailing slash alike (clients differ from the docs). Undefined when not declared.
   */
  trailingSlash?: 'optional';
}

/** One entry of the document's `servers`: its URL template and the path prefix it puts before every path. */
export interface ServerModel {
  url: string;
  /** Path part of the URL (`/cas/api`, `/api`), without a trailing slash; '' when the server has none. */
  basePath: string;
  description?: string;
}

export interface Contract {
  /** API name (folder under specs/). */
  api: string;
  rootFile: string;
  title: string;
  version: string;
  /** The bundled document: one object, every external $ref pulled into components. */
  document: JsonObject;
  /** Where every pointer of `document` is written in the hand-written files (file, pointer, line). */
  sourceMap: SourceMap;
  securitySchemes: Record<string, SecurityScheme>;
  operations: OperationModel[];
  /** The document's servers, each with its base path (mocks and traffic matching accept every one). */
  servers: ServerModel[];
  /** Document-level `x-trailing-slash: optional`: every path tolerates a trailing slash difference. */
  trailingSlash?: 'optional';
}
