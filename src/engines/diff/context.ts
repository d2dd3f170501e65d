import { escapePointerFragment } from '@redocly/openapi-core';
import { HTTP_METHODS, type JsonObject } from '../../core/contract/model.ts';
import { isObject, resolveLocal } from '../../core/contract/pointer.ts';
import { UsageError } from '../../core/errors.ts';
import { newWalk, resolve, walkSchemas } from './schema.ts';
import type { DiffContext, OperationPair, OperationView } from './types.ts';

const esc = escapePointerFragment;

/** `/users/{id}` and `/users/{userId}` are the same route. */
export function routeKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path.replace(/\{[^}]*\}/g, '{}')}`;
}

function docAuthContract(doc: JsonObject): { value: unknown; pointer: string } {
  if ('x-auth-contract' in doc) return { value: doc['x-auth-contract'], pointer: '#/x-auth-contract' };
  const info = isObject(doc.info) ? doc.info : {};
  if ('x-auth-contract' in info) return { value: info['x-auth-contract'], pointer: '#/info/x-auth-contract' };
  return { value: undefined, pointer: '#/x-auth-contract' };
}

/** Keys that explain an outcome without changing it. */
const AUTH_DOC_ONLY = new Set(['description', 'x-doc-notes', 'reason', 'inferred']);

/**
 * Leaves of an object as `a/b/c` → value and the pointer it is written at; arrays are leaves
 * (compared as a whole). Flattening the document default and then the operation's override into
 * the same map is a deep merge in which the override wins leaf by leaf.
 */
export function flatten(value: unknown, pointer: string, prefix = '', out = new Map<string, { value: unknown; pointer: string }>()) {
  if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (AUTH_DOC_ONLY.has(k)) continue;
      flatten(v, `${pointer}/${esc(k)}`, prefix ? `${prefix}/${esc(k)}` : esc(k), out);
    }
  } else if (value !== undefined) {
    out.set(prefix, { value, pointer });
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

function operationViews(doc: JsonObject): OperationView[] {
  const out: OperationView[] = [];
  const paths = isObject(doc.paths) ? doc.paths : {};
  const auth = docAuthContract(doc);
  for (const [path, rawItem] of Object.entries(paths)) {
    const itemPtr = `#/paths/${esc(path)}`;
    const { node: item, pointer: itemAt } = resolve(doc, rawItem, itemPtr);
    if (!item) continue;
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      const pointer = `${itemAt}/${method}`;
      const operationId = typeof op.operationId === 'string' ? op.operationId : undefined;
      const parameters = new Map<string, { param: JsonObject; pointer: string }>();
      const pathParams = [...path.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]);
      const addParams = (list: unknown, base: string) => {
        if (!Array.isArray(list)) return;
        list.forEach((raw, i) => {
          const r = resolve(doc, raw, `${base}/parameters/${i}`);
          if (!r.node || typeof r.node.name !== 'string' || typeof r.node.in !== 'string') return;
          const name = r.node.in === 'header' ? r.node.name.toLowerCase() : r.node.name;
          const pos = pathParams.indexOf(r.node.name);
          const key = r.node.in === 'path' && pos >= 0 ? `path:#${pos}` : `${r.node.in}:${name}`;
          parameters.set(key, { param: r.node, pointer: r.pointer });
        });
      };
      addParams(item.parameters, itemAt);
      addParams(op.parameters, pointer);
      const rb = op.requestBody !== undefined ? resolve(doc, op.requestBody, `${pointer}/requestBody`) : undefined;
      const responses = new Map<string, { response: JsonObject; pointer: string }>();
      if (isObject(op.responses)) {
        for (const [status, raw] of Object.entries(op.responses)) {
          const r = resolve(doc, raw, `${pointer}/responses/${esc(status)}`);
          if (r.node) responses.set(status.toUpperCase(), { response: r.node, pointer: r.pointer });
        }
      }
      const ownSecurity = 'security' in op;
      const security = readSecurity(ownSecurity ? op.security : doc.security);
      // The document default describes credentials; an operation that takes none only has its own override.
      const takesCredential = security.some((alt) => Object.keys(alt).length > 0);
      const authContract = takesCredential ? flatten(auth.value, auth.pointer) : new Map<string, { value: unknown; pointer: string }>();
      flatten(op['x-auth-contract'], `${pointer}/x-auth-contract`, '', authContract);
      out.push({
        method,
        path,
        label: `${method.toUpperCase()} ${path}${operationId ? ` (${operationId})` : ''}`,
        operationId,
        pointer,
        op,
        parameters,
        requestBody: rb?.node ? { body: rb.node, pointer: rb.pointer } : undefined,
        responses,
        security,
        securityPointer: ownSecurity ? `${pointer}/security` : '#/security',
        requiredRole: typeof op['x-required-role'] === 'string' ? op['x-required-role'] : undefined,
        authContract,
      });
    }
  }
  return out;
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

export function buildContext(
  oldDoc: JsonObject,
  newDoc: JsonObject,
  mapping: Array<[string, string]> = [],
): DiffContext {
  const oldOps = operationViews(oldDoc);
  const newOps = operationViews(newDoc);
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
    old: { document: oldDoc, version: version(oldDoc) },
    new: { document: newDoc, version: version(newDoc) },
    pairs,
    removed,
    added,
    mapped: mapping.length > 0,
    schemaPairs: w.pairs,
    oldCanon: w.oldCanon,
    newCanon: w.newCanon,
  };
}

function version(doc: JsonObject): string {
  return isObject(doc.info) && typeof doc.info.version === 'string' ? doc.info.version : '';
}

/** Content map of a request body or response: media type (lower case) → media type object and its pointer. */
export function contentOf(doc: JsonObject, holder: JsonObject | undefined, holderPtr: string): Map<string, { media: JsonObject; pointer: string }> {
  const out = new Map<string, { media: JsonObject; pointer: string }>();
  if (!holder || !isObject(holder.content)) return out;
  for (const [mt, raw] of Object.entries(holder.content)) {
    const r = resolveLocal(doc, raw, `${holderPtr}/content/${esc(mt)}`);
    if (isObject(r.node)) out.set(mt.toLowerCase(), { media: r.node, pointer: r.pointer });
  }
  return out;
}

/** Response headers by lower-case name. */
export function headersOf(doc: JsonObject, response: JsonObject, ptr: string): Map<string, { header: JsonObject; pointer: string }> {
  const out = new Map<string, { header: JsonObject; pointer: string }>();
  if (!isObject(response.headers)) return out;
  for (const [name, raw] of Object.entries(response.headers)) {
    const r = resolve(doc, raw, `${ptr}/headers/${esc(name)}`);
    if (r.node) out.set(name.toLowerCase(), { header: r.node, pointer: r.pointer });
  }
  return out;
}

function walkOperation(w: ReturnType<typeof newWalk>, pair: OperationPair): void {
  const label = pair.label;
  for (const [key, o] of pair.old.parameters) {
    const n = pair.new.parameters.get(key);
    if (!n) continue;
    const where = `parameter ${o.param.in} '${String(n.param.name)}'`;
    walkSchemas(w, o.param.schema, n.param.schema, `${o.pointer}/schema`, `${n.pointer}/schema`, 'request', where, label, { parameter: true });
  }
  if (pair.old.requestBody && pair.new.requestBody) {
    const oc = contentOf(w.oldDoc, pair.old.requestBody.body, pair.old.requestBody.pointer);
    const nc = contentOf(w.newDoc, pair.new.requestBody.body, pair.new.requestBody.pointer);
    for (const [mt, o] of oc) {
      const n = nc.get(mt);
      if (n) walkSchemas(w, o.media.schema, n.media.schema, `${o.pointer}/schema`, `${n.pointer}/schema`, 'request', `request ${mt} body`, label);
    }
  }
  for (const [status, o] of pair.old.responses) {
    const n = pair.new.responses.get(status);
    if (!n) continue;
    const oc = contentOf(w.oldDoc, o.response, o.pointer);
    const nc = contentOf(w.newDoc, n.response, n.pointer);
    for (const [mt, om] of oc) {
      const nm = nc.get(mt);
      if (nm) walkSchemas(w, om.media.schema, nm.media.schema, `${om.pointer}/schema`, `${nm.pointer}/schema`, 'response', `response ${status} ${mt} body`, label);
    }
    const oh = headersOf(w.oldDoc, o.response, o.pointer);
    const nh = headersOf(w.newDoc, n.response, n.pointer);
    for (const [name, h] of oh) {
      const nhh = nh.get(name);
      if (nhh) walkSchemas(w, h.header.schema, nhh.header.schema, `${h.pointer}/schema`, `${nhh.pointer}/schema`, 'response', `response ${status} header ${name}`, label, { parameter: true });
    }
  }
}
