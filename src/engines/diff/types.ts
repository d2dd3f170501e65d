import type { SourceLocation } from '../../core/contract/location.ts';
import type { Contract, JsonObject } from '../../core/contract/model.ts';
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
  /** JSON pointer into the old bundled document: the thing itself, or where it would be when it is new. */
  oldPointer: string;
  /** JSON pointer into the new bundled document: the thing itself, or where it was when it is gone. */
  newPointer: string;
  /** Where `oldPointer` is written in the old side's hand-written files. */
  oldLocation: SourceLocation;
  /** Where `newPointer` is written in the new side's hand-written files. */
  newLocation: SourceLocation;
  /** Operations the change affects, as `GET /api/v1/alerts (listAlertsV1)`; empty for document-wide changes. */
  operations: string[];
}

/** What a rule finds: a change before its rule id, severity and locations are added. */
export interface Finding {
  message: string;
  oldPointer: string;
  newPointer: string;
  operations: string[];
}

/** A rule as its file writes it; the registry gives it its id (the file name). */
export interface RuleDefinition {
  title: string;
  /** Classification of what this rule finds. */
  severity: Severity;
  run(ctx: DiffContext): Iterable<Finding>;
}

export interface DiffRule extends RuleDefinition {
  id: string;
}

/** A thing as it stands on one side, and the pointer it is written at in that side's bundled document. */
export interface Side<T> {
  value: T;
  pointer: string;
}

/**
 * One thing of a kind (a response status, a media type, a parameter, a property, an auth outcome…)
 * as it stands on each side of the comparison. Absent on a side: added or removed.
 */
export interface Slot<T, H = unknown> {
  /** What identifies the thing on both sides: a status, a media type, `query:limit`, a property name. */
  key: string;
  /** What the thing is, for messages: `response 404`, `query parameter 'limit'`. */
  label: string;
  /** Where it is, when messages lead with that: `response 200 application/json body/items`. */
  where?: string;
  old?: Side<T>;
  new?: Side<T>;
  /** Where the thing would be on each side when it is absent there: the object that holds such things. */
  oldAt: string;
  newAt: string;
  operations: string[];
  /** The objects holding the thing on each side, for rules that judge by them (an open or closed schema). */
  holder?: { old: H; new: H };
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
  parameters: Map<string, Side<JsonObject>>;
  requestBody?: Side<JsonObject>;
  /** Responses by status as written (`200`, `4XX`, `default`). */
  responses: Map<string, Side<JsonObject>>;
  /** Effective security alternatives with their scopes (sorted). */
  security: Array<Record<string, string[]>>;
  /** Pointer of the effective `security` (operation's own or the document's). */
  securityPointer: string;
  requiredRole?: string;
  /**
   * The effective `x-auth-contract` (the core's merge of document default and operation override),
   * flattened to leaf paths (`classes/revoked/status`) with the pointer each leaf is written at.
   */
  authContract: Map<string, Side<unknown>>;
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
  contract: Contract;
  /** The contract's bundled document (`contract.document`). */
  document: JsonObject;
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
