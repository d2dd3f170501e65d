import { escapePointerFragment } from '@redocly/openapi-core';
import type { JsonObject } from '../../../core/contract/model.ts';
import { getByPointer, isObject } from '../../../core/contract/pointer.ts';
import { both, contentOf, headersOf, routeKey } from '../context.ts';
import { resolve } from '../schema.ts';
import type { DiffContext, OperationPair, OperationView, Side, Slot } from '../types.ts';
import type { Aspect } from './define.ts';

/**
 * Slots from two keyed collections: every key of either side, with the thing on each side where it
 * is. `at` is where such things are held on each side (what a change points at when one is absent).
 */
export function pairSlots<T>(
  old: Map<string, Side<T>>,
  now: Map<string, Side<T>>,
  at: { old: string; new: string },
  label: (key: string) => string,
): Slot<T>[] {
  const keys = [...new Set([...old.keys(), ...now.keys()])];
  return keys.map((key) => ({ key, label: label(key), old: old.get(key), new: now.get(key), oldAt: at.old, newAt: at.new, operations: [] }));
}

/** An aspect gathered operation by operation; each slot names the operation it belongs to. */
export function perOperation<T, H = unknown>(collect: (pair: OperationPair, ctx: DiffContext) => Slot<T, H>[]): Aspect<T, H> {
  return (ctx) => ctx.pairs.flatMap((pair) => collect(pair, ctx).map((slot) => ({ ...slot, operations: [pair.label] })));
}

/** Responses declared with the same status on both sides. */
const pairedResponses = (pair: OperationPair) => both(pair.old.responses, pair.new.responses).map(([status, old, now]) => ({ status, old, new: now }));

export const responseStatuses = perOperation((p) =>
  pairSlots(p.old.responses, p.new.responses, { old: `${p.old.pointer}/responses`, new: `${p.new.pointer}/responses` }, (s) => `response ${s}`).map((slot) => ({
    ...slot,
    holder: { old: p.old.responses, new: p.new.responses },
  })),
);

export const responseMediaTypes = perOperation((p, ctx) =>
  pairedResponses(p).flatMap((r) =>
    pairSlots(contentOf(ctx.old.document, r.old), contentOf(ctx.new.document, r.new), { old: r.old.pointer, new: r.new.pointer }, (mt) => `response ${r.status}: media type ${mt}`),
  ),
);

export const responseHeaders = perOperation((p, ctx) =>
  pairedResponses(p).flatMap((r) =>
    pairSlots(headersOf(ctx.old.document, r.old), headersOf(ctx.new.document, r.new), { old: r.old.pointer, new: r.new.pointer }, (h) => `response ${r.status}: header ${h}`),
  ),
);

/** Media types of a request body present on both sides (a body added or removed is judged as a whole). */
export const requestMediaTypes = perOperation((p, ctx) => {
  const o = p.old.requestBody;
  const n = p.new.requestBody;
  if (!o || !n) return [];
  return pairSlots(contentOf(ctx.old.document, o), contentOf(ctx.new.document, n), { old: o.pointer, new: n.pointer }, (mt) => `request media type ${mt}`);
});

const paramLabel = (side: Side<JsonObject> | undefined) => `${String(side?.value.in)} parameter '${String(side?.value.name)}'`;

export const parameters = perOperation((p) =>
  pairSlots(p.old.parameters, p.new.parameters, { old: p.old.pointer, new: p.new.pointer }, (key) => paramLabel(p.new.parameters.get(key) ?? p.old.parameters.get(key))),
);

/** Leaves of each operation's effective auth contract (`classes/revoked/status`). */
export const authOutcomes = perOperation((p) =>
  pairSlots(p.old.authContract, p.new.authContract, { old: p.old.pointer, new: p.new.pointer }, (leaf) => `x-auth-contract ${leaf}`),
);

/** One field of the operation object (`operationId`, `x-required-role`, …) as a slot. */
export function operationField(field: string): Aspect<unknown> {
  const side = (view: OperationView): Side<unknown> | undefined =>
    view.op[field] === undefined ? undefined : { value: view.op[field], pointer: `${view.pointer}/${escapePointerFragment(field)}` };
  return perOperation((p) => [{ key: field, label: field, old: side(p.old), new: side(p.new), oldAt: p.old.pointer, newAt: p.new.pointer, operations: [] }]);
}

/** The request body of each operation (resolved), keyed as one slot. */
export const requestBody = perOperation((p) => [{ key: 'requestBody', label: 'request body', old: p.old.requestBody, new: p.new.requestBody, oldAt: p.old.pointer, newAt: p.new.pointer, operations: [] }]);

/** One field of the document (`info.version`), unless the comparison is limited to mapped operations. */
export function documentField(pointer: string): Aspect<unknown> {
  return (ctx) => {
    if (ctx.mapped) return [];
    const side = (doc: JsonObject) => {
      const value = getByPointer(doc, pointer);
      return value === undefined ? undefined : { value, pointer };
    };
    return [{ key: pointer, label: pointer.replace(/^#\//, '').replace(/\//g, '.'), old: side(ctx.old.document), new: side(ctx.new.document), oldAt: '#', newAt: '#', operations: [] }];
  };
}

const pathAt = (view: OperationView) => `#/paths/${escapePointerFragment(view.path)}`;

/** Operations only in one contract (paired operations are compared by the other aspects). */
export const operations: Aspect<OperationView> = (ctx) => [
  ...ctx.removed.map((v) => ({ key: v.pointer, label: `operation ${v.label}`, old: { value: v, pointer: v.pointer }, oldAt: '#/paths', newAt: '#/paths', operations: [v.label] })),
  ...ctx.added.map((v) => ({ key: v.pointer, label: `operation ${v.label}`, new: { value: v, pointer: v.pointer }, oldAt: '#/paths', newAt: '#/paths', operations: [v.label] })),
];

/** Paths of both contracts by route (`/users/{id}` and `/users/{userId}` are one), with the operations on each. */
export const paths: Aspect<{ path: string; operations: string[] }> = (ctx) => {
  if (ctx.mapped) return []; // mapped operations are compared as pairs, whatever their paths
  const routes = (views: OperationView[]) => {
    const out = new Map<string, Side<{ path: string; operations: string[] }>>();
    for (const v of views) {
      const key = routeKey('', v.path);
      const known = out.get(key);
      if (known) known.value.operations.push(v.label);
      else out.set(key, { value: { path: v.path, operations: [v.label] }, pointer: pathAt(v) });
    }
    return out;
  };
  const old = routes([...ctx.pairs.map((p) => p.old), ...ctx.removed]);
  const now = routes([...ctx.pairs.map((p) => p.new), ...ctx.added]);
  return pairSlots(old, now, { old: '#/paths', new: '#/paths' }, (key) => `path ${(now.get(key) ?? old.get(key))?.value.path}`).map((slot) => ({
    ...slot,
    operations: (slot.old ?? slot.new)?.value.operations ?? [],
  }));
};

/** True when some operation of the new contract still serves the path of this (removed) operation. */
export function pathStillServed(ctx: DiffContext, view: OperationView): boolean {
  return [...ctx.pairs.map((p) => p.new), ...ctx.added].some((v) => routeKey('', v.path) === routeKey('', view.path));
}

/** Security schemes declared on both sides, resolved. */
export const securitySchemes: Aspect<JsonObject> = (ctx) => {
  const schemes = (doc: JsonObject) => {
    const all = isObject(doc.components) && isObject(doc.components.securitySchemes) ? doc.components.securitySchemes : {};
    const out = new Map<string, Side<JsonObject>>();
    for (const [name, raw] of Object.entries(all)) {
      const r = resolve(doc, raw, `#/components/securitySchemes/${escapePointerFragment(name)}`);
      if (r.node) out.set(name, { value: r.node, pointer: r.pointer });
    }
    return out;
  };
  return pairSlots(schemes(ctx.old.document), schemes(ctx.new.document), { old: '#/components/securitySchemes', new: '#/components/securitySchemes' }, (name) => name).map((slot) => ({
    ...slot,
    operations: ctx.pairs.filter((p) => p.new.security.some((alt) => slot.label in alt)).map((p) => p.label),
  }));
};
