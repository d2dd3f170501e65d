import type { JsonObject } from '../../core/contract/model.ts';
import type { Canon } from './canon.ts';

/** How a change affects existing clients. */
export type Severity = 'breaking' | 'non-breaking' | 'info';
export const SEVERITIES: readonly Severity[] = ['breaking', 'non-breaking', 'info'];

/** Which side of the wire a schema describes: what clients send, or what they receive. */
export type Direction = 'request' | 'response';

/** One classified difference between two contracts. */
export interface Change {
  /** Stable rule id, e.g. `response-property-removed`. */
  id: string;
  severity: Severity;
  message: string;
  /** JSON pointer into the old bundled document (absent when the thing is new). */
  oldPointer?: string;
  /** JSON pointer into the new bundled document (absent when the thing is gone). */
  newPointer?: string;
  /** Operations the change affects, as `GET /api/v1/alerts (listAlertsV1)`; empty for document-wide changes. */
  operations: string[];
}

/** What a rule returns: a change without its severity (the rule's own) and operations (filled in when missing). */
export interface Finding {
  message: string;
  oldPointer?: string;
  newPointer?: string;
  operations?: string[];
  /** Overrides the rule's own id for a finer variant (rare; kept stable like any id). */
  id?: string;
}

export interface DiffRule {
  id: string;
  title: string;
  /** Default classification of what this rule finds. */
  severity: Severity;
  run(ctx: DiffContext): Iterable<Finding>;
}

/** One side of an operation, as the rules see it: the raw (bundled) objects plus resolved views. */
export interface OperationView {
  method: string;
  path: string;
  /** `GET /path (operationId)` */
  label: string;
  operationId?: string;
  pointer: string;
  op: JsonObject;
  /** Effective parameters (path item + operation), keyed by `in:name` (`path:#0` for path parameters by position). */
  parameters: Map<string, { param: JsonObject; pointer: string }>;
  requestBody?: { body: JsonObject; pointer: string };
  /** Responses by status as written (`200`, `4XX`, `default`). */
  responses: Map<string, { response: JsonObject; pointer: string }>;
  /** Effective security alternatives; `undefined` scopes never occur (empty list instead). */
  security: Array<Record<string, string[]>>;
  /** Pointer of the effective `security` (operation's own or the document's). */
  securityPointer: string;
  requiredRole?: string;
  /**
   * Effective `x-auth-contract` (document default deep-merged with the operation's override),
   * flattened to leaf paths (`classes/revoked/status`) with the pointer each leaf is written at.
   */
  authContract: Map<string, { value: unknown; pointer: string }>;
}

export interface OperationPair {
  old: OperationView;
  new: OperationView;
  label: string;
}

/** Two schema nodes at the same place of both contracts (after `$ref` resolution and `allOf` merging). */
export interface SchemaPair {
  direction: Direction;
  old: JsonObject;
  new: JsonObject;
  oldPointer: string;
  newPointer: string;
  /** Pointers of each property's schema, after `allOf` merging. */
  oldProps: Map<string, string>;
  newProps: Map<string, string>;
  /** Where in the message: `response 200 application/json body /items/severity`. */
  where: string;
  /** The node is an `anyOf` branch next to a catch-all `{type: string}`: an open enumeration. */
  openEnum: boolean;
  /** A parameter's schema (not a body). */
  parameter: boolean;
  operations: Set<string>;
}

export interface DocumentView {
  document: JsonObject;
  version: string;
}

export interface DiffContext {
  old: DocumentView;
  new: DocumentView;
  /** Operations present on both sides (or mapped with `--operation`). */
  pairs: OperationPair[];
  /** Operations only in the old contract. */
  removed: OperationView[];
  /** Operations only in the new contract. */
  added: OperationView[];
  /** True when the comparison was restricted to mapped operations (document-wide rules stay quiet). */
  mapped: boolean;
  schemaPairs: SchemaPair[];
  /** Canonical text of schemas of each side (`$ref`s inlined, documentation dropped). */
  oldCanon: Canon;
  newCanon: Canon;
}
