import { escapePointerFragment } from '@redocly/openapi-core';
import type { JsonObject } from '../../core/contract/model.ts';
import { isObject, resolveLocal } from '../../core/contract/pointer.ts';
import { Canon, DOC_ONLY } from './canon.ts';
import type { Direction, SchemaPair } from './types.ts';

export function resolve(doc: JsonObject, node: unknown, pointer: string): { node: JsonObject | undefined; pointer: string } {
  const r = resolveLocal(doc, node, pointer);
  return { node: isObject(r.node) ? r.node : undefined, pointer: r.pointer };
}

/** A schema with its `allOf` folded in: property lists and required lists merged, other keywords from the first that sets them. */
export interface SchemaView {
  schema: JsonObject;
  pointer: string;
  props: Map<string, string>;
}

export function view(doc: JsonObject, node: unknown, pointer: string, depth = 0): SchemaView | undefined {
  const r = resolve(doc, node, pointer);
  if (!r.node) return undefined;
  const props = new Map<string, string>();
  const own = r.node;
  const addProps = (s: JsonObject, ptr: string) => {
    if (isObject(s.properties)) {
      for (const name of Object.keys(s.properties)) props.set(name, `${ptr}/properties/${escapePointerFragment(name)}`);
    }
  };
  if (!Array.isArray(own.allOf) || depth > 8) {
    addProps(own, r.pointer);
    return { schema: own, pointer: r.pointer, props };
  }
  const merged: JsonObject = {};
  const required = new Set<string>();
  const properties: JsonObject = {};
  own.allOf.forEach((branch, i) => {
    const b = view(doc, branch, `${r.pointer}/allOf/${i}`, depth + 1);
    if (!b) return;
    for (const [k, v] of Object.entries(b.schema)) {
      if (k === 'properties' || k === 'required') continue;
      if (!(k in merged)) merged[k] = v;
    }
    if (Array.isArray(b.schema.required)) for (const n of b.schema.required) if (typeof n === 'string') required.add(n);
    if (isObject(b.schema.properties)) Object.assign(properties, b.schema.properties);
    for (const [n, p] of b.props) props.set(n, p);
  });
  for (const [k, v] of Object.entries(own)) {
    if (k === 'allOf' || k === 'properties' || k === 'required') continue;
    merged[k] = v;
  }
  if (Array.isArray(own.required)) for (const n of own.required) if (typeof n === 'string') required.add(n);
  if (isObject(own.properties)) Object.assign(properties, own.properties);
  addProps(own, r.pointer);
  if (Object.keys(properties).length > 0) merged.properties = properties;
  if (required.size > 0) merged.required = [...required];
  return { schema: merged, pointer: r.pointer, props };
}

/** `type` as a set (absent → undefined, meaning "any"). */
export function typeSet(schema: JsonObject): Set<string> | undefined {
  const t = schema.type;
  if (typeof t === 'string') return new Set([t]);
  if (Array.isArray(t)) return new Set(t.filter((x): x is string => typeof x === 'string'));
  if ('const' in schema && schema.const === null) return new Set(['null']);
  return undefined;
}

function isCatchAllString(doc: JsonObject, node: unknown): boolean {
  const r = resolve(doc, node, '#');
  if (!r.node) return false;
  const keys = Object.keys(r.node).filter((k) => !DOC_ONLY.has(k));
  return keys.length === 1 && r.node.type === 'string';
}

interface Walk {
  oldDoc: JsonObject;
  newDoc: JsonObject;
  oldCanon: Canon;
  newCanon: Canon;
  /** Every pair found, in discovery order. */
  pairs: SchemaPair[];
  /** Pairs found under a key (the subtree), so that a shared component reached again only gains the operation. */
  done: Map<string, SchemaPair[]>;
  active: Set<string>;
}

export function newWalk(oldDoc: JsonObject, newDoc: JsonObject): Walk {
  return { oldDoc, newDoc, oldCanon: new Canon(oldDoc), newCanon: new Canon(newDoc), pairs: [], done: new Map(), active: new Set() };
}

/**
 * Walks two schemas in parallel and records every pair of nodes that differ somewhere below.
 * Identical subtrees (by canonical text) are skipped, which keeps the diff of a large contract
 * against a slightly changed copy fast.
 */
export function walkSchemas(
  w: Walk,
  oldNode: unknown,
  newNode: unknown,
  oldPtr: string,
  newPtr: string,
  direction: Direction,
  where: string,
  operation: string,
  opts: { openEnum?: boolean; parameter?: boolean } = {},
): SchemaPair[] {
  const o = view(w.oldDoc, oldNode, oldPtr);
  const n = view(w.newDoc, newNode, newPtr);
  if (!o || !n) return [];
  const key = `${direction}|${o.pointer}|${n.pointer}|${opts.openEnum ? 1 : 0}|${opts.parameter ? 1 : 0}`;
  const cached = w.done.get(key);
  if (cached) {
    for (const p of cached) p.operations.add(operation);
    return cached;
  }
  if (w.active.has(key)) return [];
  if (w.oldCanon.of(oldNode) === w.newCanon.of(newNode)) {
    w.done.set(key, []);
    return [];
  }
  w.active.add(key);
  const pair: SchemaPair = {
    direction,
    old: o.schema,
    new: n.schema,
    oldPointer: o.pointer,
    newPointer: n.pointer,
    oldProps: o.props,
    newProps: n.props,
    where,
    openEnum: opts.openEnum === true,
    parameter: opts.parameter === true,
    operations: new Set([operation]),
  };
  w.pairs.push(pair);
  const subtree: SchemaPair[] = [pair];
  const sub = (a: unknown, b: unknown, ap: string, bp: string, suffix: string, extra: { openEnum?: boolean } = {}) =>
    subtree.push(...walkSchemas(w, a, b, ap, bp, direction, `${where}${suffix}`, operation, { parameter: opts.parameter, ...extra }));

  // Properties present on both sides.
  for (const [name, op] of o.props) {
    const np = n.props.get(name);
    if (!np) continue;
    sub(propAt(w.oldDoc, o, name), propAt(w.newDoc, n, name), op, np, `/${name}`);
  }
  if (o.schema.items !== undefined && n.schema.items !== undefined) {
    sub(o.schema.items, n.schema.items, `${o.pointer}/items`, `${n.pointer}/items`, '/[]');
  }
  if (isObject(o.schema.additionalProperties) && isObject(n.schema.additionalProperties)) {
    sub(o.schema.additionalProperties, n.schema.additionalProperties, `${o.pointer}/additionalProperties`, `${n.pointer}/additionalProperties`, '/{*}');
  }
  // Union branches: equal ones drop out, the rest are paired by reference name or by type, and walked.
  for (const kw of ['oneOf', 'anyOf'] as const) {
    const ob = branches(o, kw);
    const nb = branches(n, kw);
    if (!ob && !nb) continue;
    // A single schema that became a union (or the reverse) is judged by the union rules as a whole.
    if (!ob || !nb) continue;
    const open = kw === 'anyOf' && (ob.some((b) => isCatchAllString(w.oldDoc, b.node)) || nb.some((b) => isCatchAllString(w.newDoc, b.node)));
    for (const [a, b] of matchBranches(w, ob, nb).paired) {
      sub(a.node, b.node, a.pointer, b.pointer, `/${kw}`, { openEnum: open });
    }
  }
  w.active.delete(key);
  w.done.set(key, subtree);
  return subtree;
}

function propAt(doc: JsonObject, v: SchemaView, name: string): unknown {
  const ptr = v.props.get(name);
  if (isObject(v.schema.properties) && name in v.schema.properties) return v.schema.properties[name];
  return ptr ? { $ref: ptr } : undefined;
}

export interface Branch {
  node: unknown;
  pointer: string;
}

export function branches(v: SchemaView, kw: 'oneOf' | 'anyOf'): Branch[] | undefined {
  const list = v.schema[kw];
  if (!Array.isArray(list)) return undefined;
  return list.map((node, i) => ({
    node,
    pointer: isObject(node) && typeof node.$ref === 'string' && node.$ref.startsWith('#') ? node.$ref : `${v.pointer}/${kw}/${i}`,
  }));
}

/**
 * Matches union branches of two schemas: identical ones first (by canonical text), then the rest by
 * `$ref` name, then by `type` and position. What is left over was added or removed.
 */
export function matchBranches(
  w: { oldCanon: Canon; newCanon: Canon; oldDoc: JsonObject; newDoc: JsonObject },
  ob: Branch[],
  nb: Branch[],
): { paired: Array<[Branch, Branch]>; removed: Branch[]; added: Branch[] } {
  const restOld = [...ob];
  const restNew = [...nb];
  const take = (pred: (a: Branch, b: Branch) => boolean): Array<[Branch, Branch]> => {
    const out: Array<[Branch, Branch]> = [];
    for (let i = 0; i < restOld.length; i++) {
      const j = restNew.findIndex((b) => pred(restOld[i]!, b));
      if (j < 0) continue;
      out.push([restOld[i]!, restNew[j]!]);
      restOld.splice(i--, 1);
      restNew.splice(j, 1);
    }
    return out;
  };
  take((a, b) => w.oldCanon.of(a.node) === w.newCanon.of(b.node));
  const refName = (br: Branch) => (isObject(br.node) && typeof br.node.$ref === 'string' ? br.node.$ref.split('/').pop() : undefined);
  const paired = take((a, b) => refName(a) !== undefined && refName(a) === refName(b));
  const typeKey = (doc: JsonObject, br: Branch) => {
    const r = resolve(doc, br.node, br.pointer).node;
    const t = r ? typeSet(r) : undefined;
    return t ? [...t].sort().join(',') : r && 'enum' in r ? 'enum' : undefined;
  };
  paired.push(...take((a, b) => {
    const ta = typeKey(w.oldDoc, a);
    return ta !== undefined && ta === typeKey(w.newDoc, b) && ta !== 'object';
  }));
  if (restOld.length === 1 && restNew.length === 1) paired.push(...take(() => true));
  return { paired, removed: restOld, added: restNew };
}
