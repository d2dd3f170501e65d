import { escapePointerFragment } from '@redocly/openapi-core';
import { isSecured, mergeAuthContract, type AuthContractOrigin } from '../../core/auth/index.ts';
import type { Contract, JsonObject } from '../../core/contract/model.ts';
import { getByPointer, isObject } from '../../core/contract/pointer.ts';
import { UsageError } from '../../core/errors.ts';
import { newWalk, resolve, walkSchemas } from './schema.ts';
import type { DiffContext, Direction, OperationPair, OperationView, Side } from './types.ts';

const esc = escapePointerFragment;

/** `/users/{id}` and `/users/{userId}` are the same route. */
export function routeKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path.replace(/\{[^}]*\}/g, '{}')}`;
}

/** Keys that explain an outcome without changing it. */
const AUTH_DOC_ONLY = new Set(['description', 'x-doc-notes', 'reason', 'inferred']);

/**
 * Leaves of an object as `a/b/c` → value and the pointer it is written at; arrays are leaves
 * (compared as a whole), and keys that only explain are left out.
 */
function flatten(value: unknown, pointer: string, prefix: string, out: Map<string, Side<unknown>>): void {
  if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (!AUTH_DOC_ONLY.has(k)) flatten(v, `${pointer}/${esc(k)}`, `${prefix}/${esc(k)}`, out);
    }
  } else if (value !== undefined) {
    out.set(prefix, { value, pointer });
  }
}

/**
 * The operation's effective `x-auth-contract` by the core's one merge rule, as leaves with the
 * pointer each is written at (the operation's override or the document default).
 */
function authLeaves(doc: JsonObject, op: JsonObject, pointer: string, secured: boolean): Map<string, Side<unknown>> {
  const out = new Map<string, Side<unknown>>();
  const merged = mergeAuthContract(doc['x-auth-contract'], op['x-auth-contract'], secured);
  if (!merged) return out;
  const at = (from: AuthContractOrigin | undefined) => (from === 'operation' ? `${pointer}/x-auth-contract` : '#/x-auth-contract');
  if (merged.scheme !== undefined) out.set('scheme', { value: merged.scheme, pointer: `${at(merged.schemeFrom)}/scheme` });
  for (const [cls, entry] of Object.entries(merged.classes)) {
    flatten(entry.raw, `${at(entry.from)}/classes/${esc(cls)}`, `classes/${esc(cls)}`, out);
  }
  return out;
}

function readSecurity(raw: unknown): Array<Record<string, string[]>> {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isObject).map((alt) => {
    const out: Record<string, string[]> = {};
    for (const [name, scopes] of Object.entries(alt)) out[name] = Array.isArray(scopes) ? scopes.map(String).sort() : [];
    return out;
  });
}

/** Each operation of the contract (the loader's model says which there are and where) with what the rules compare. */
function operationViews(contract: Contract): OperationView[] {
  const doc = contract.document;
  return contract.operations.flatMap((model) => {
    const op = getByPointer(doc, model.pointer);
    if (!isObject(op)) return [];
    const { method, path, pointer } = model;
    const itemAt = pointer.slice(0, pointer.lastIndexOf('/'));
    const item = getByPointer(doc, itemAt);
    const operationId = typeof op.operationId === 'string' ? op.operationId : undefined;
    const parameters = new Map<string, Side<JsonObject>>();
    const pathParams = [...path.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]);
    const addParams = (list: unknown, base: string) => {
      if (!Array.isArray(list)) return;
      list.forEach((raw, i) => {
        const r = resolve(doc, raw, `${base}/parameters/${i}`);
        if (!r.node || typeof r.node.name !== 'string' || typeof r.node.in !== 'string') return;
        const name = r.node.in === 'header' ? r.node.name.toLowerCase() : r.node.name;
        const pos = pathParams.indexOf(r.node.name);
        const key = r.node.in === 'path' && pos >= 0 ? `path:#${pos}` : `${r.node.in}:${name}`;
        parameters.set(key, { value: r.node, pointer: r.pointer });
      });
    };
    if (isObject(item)) addParams(item.parameters, itemAt);
    addParams(op.parameters, pointer);
    const rb = op.requestBody !== undefined ? resolve(doc, op.requestBody, `${pointer}/requestBody`) : undefined;
    const responses = new Map<string, Side<JsonObject>>();
    if (isObject(op.responses)) {
      for (const [status, raw] of Object.entries(op.responses)) {
        const r = resolve(doc, raw, `${pointer}/responses/${esc(status)}`);
        if (r.node) responses.set(status.toUpperCase(), { value: r.node, pointer: r.pointer });
      }
    }
    const ownSecurity = 'security' in op;
    const security = readSecurity(ownSecurity ? op.security : doc.security);
    return [{
      method,
      path,
      label: `${method.toUpperCase()} ${path}${operationId ? ` (${operationId})` : ''}`,
      operationId,
      pointer,
      op,
      parameters,
      requestBody: rb?.node ? { value: rb.node, pointer: rb.pointer } : undefined,
      responses,
      security,
      securityPointer: ownSecurity ? `${pointer}/security` : '#/security',
      requiredRole: model.requiredRole,
      authContract: authLeaves(doc, op, pointer, isSecured(model)),
    }];
  });
}

/** Finds an operation by operationId or `METHOD /path`. */
function findOperation(views: OperationView[], selector: string, side: string): OperationView {
  const m = /^([A-Za-z]+)\s+(\/.*)$/.exec(selector.trim());
  const found = m
    ? views.find((v) => routeKey(v.method, v.path) === routeKey(m[1]!, m[2]!))
    : views.find((v) => v.operationId === selector);
  if (!found) throw new UsageError(`--operation: no operation '${selector}' in the ${side} contract`);
  return found;
}

export function buildContext(oldContract: Contract, newContract: Contract, mapping: Array<[string, string]> = []): DiffContext {
  const oldDoc = oldContract.document;
  const newDoc = newContract.document;
  const oldOps = operationViews(oldContract);
  const newOps = operationViews(newContract);
  const pairs: OperationPair[] = [];
  const removed: OperationView[] = [];
  let added: OperationView[] = [];
  if (mapping.length > 0) {
    for (const [a, b] of mapping) {
      const o = findOperation(oldOps, a, 'old');
      const n = findOperation(newOps, b, 'new');
      pairs.push({ old: o, new: n, label: o.label === n.label ? o.label : `${o.label} → ${n.label}` });
    }
  } else {
    const byKey = new Map(newOps.map((v) => [routeKey(v.method, v.path), v]));
    const seen = new Set<string>();
    for (const o of oldOps) {
      const key = routeKey(o.method, o.path);
      const n = byKey.get(key);
      if (n) {
        pairs.push({ old: o, new: n, label: n.label });
        seen.add(key);
      } else removed.push(o);
    }
    added = newOps.filter((n) => !seen.has(routeKey(n.method, n.path)));
  }
  const w = newWalk(oldDoc, newDoc);
  for (const pair of pairs) walkOperation(w, pair);
  return {
    old: { contract: oldContract, document: oldDoc },
    new: { contract: newContract, document: newDoc },
    pairs,
    removed,
    added,
    mapped: mapping.length > 0,
    schemaPairs: w.pairs,
    oldCanon: w.oldCanon,
    newCanon: w.newCanon,
  };
}

/**
 * The entries of a map-valued field (`content`, `headers`) of an object, resolved, keyed by their
 * lower-case name (media types and header names are case-insensitive).
 */
function entriesOf(doc: JsonObject, holder: Side<JsonObject>, field: 'content' | 'headers'): Map<string, Side<JsonObject>> {
  const out = new Map<string, Side<JsonObject>>();
  const map = holder.value[field];
  if (!isObject(map)) return out;
  for (const [name, raw] of Object.entries(map)) {
    const r = resolve(doc, raw, `${holder.pointer}/${field}/${esc(name)}`);
    if (r.node) out.set(name.toLowerCase(), { value: r.node, pointer: r.pointer });
  }
  return out;
}

/** Media types of a request body or response. */
export const contentOf = (doc: JsonObject, holder: Side<JsonObject>) => entriesOf(doc, holder, 'content');

/** Headers of a response. */
export const headersOf = (doc: JsonObject, response: Side<JsonObject>) => entriesOf(doc, response, 'headers');

/** Pairs of things present on both sides of two keyed collections. */
export function both<T>(old: Map<string, Side<T>>, now: Map<string, Side<T>>): Array<[string, Side<T>, Side<T>]> {
  return [...old].flatMap(([key, o]) => {
    const n = now.get(key);
    return n ? [[key, o, n] as [string, Side<T>, Side<T>]] : [];
  });
}

/** Walks every schema both sides of an operation share: parameters, request bodies, response bodies and headers. */
function walkOperation(w: ReturnType<typeof newWalk>, pair: OperationPair): void {
  const label = pair.label;
  const walk = (o: Side<JsonObject>, n: Side<JsonObject>, direction: Direction, where: string, parameter = false) =>
    walkSchemas(w, o.value.schema, n.value.schema, `${o.pointer}/schema`, `${n.pointer}/schema`, direction, where, label, { parameter });
  for (const [, o, n] of both(pair.old.parameters, pair.new.parameters)) walk(o, n, 'request', `parameter ${String(o.value.in)} '${String(n.value.name)}'`, true);
  if (pair.old.requestBody && pair.new.requestBody) {
    for (const [mt, o, n] of both(contentOf(w.oldDoc, pair.old.requestBody), contentOf(w.newDoc, pair.new.requestBody))) walk(o, n, 'request', `request ${mt} body`);
  }
  for (const [status, o, n] of both(pair.old.responses, pair.new.responses)) {
    for (const [mt, om, nm] of both(contentOf(w.oldDoc, o), contentOf(w.newDoc, n))) walk(om, nm, 'response', `response ${status} ${mt} body`);
    for (const [name, oh, nh] of both(headersOf(w.oldDoc, o), headersOf(w.newDoc, n))) walk(oh, nh, 'response', `response ${status} header ${name}`, true);
  }
}
