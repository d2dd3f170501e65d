import type { JsonObject } from '../../core/contract/model.ts';
import { getByPointer, isObject } from '../../core/contract/pointer.ts';
import { branches, matchBranches, resolve, type Branch } from './schema.ts';
import type { DiffContext, DiffRule, Direction, Finding, OperationPair, SchemaPair, Severity } from './types.ts';

/** A rule judging each pair of differing schema nodes of one direction. */
export function schemaRule(def: {
  id: string;
  title: string;
  severity: Severity;
  direction?: Direction;
  check(pair: SchemaPair, ctx: DiffContext): Finding | Finding[] | undefined;
}): DiffRule {
  return {
    id: def.id,
    title: def.title,
    severity: def.severity,
    *run(ctx) {
      for (const pair of ctx.schemaPairs) {
        if (def.direction && pair.direction !== def.direction) continue;
        const found = def.check(pair, ctx);
        for (const f of found === undefined ? [] : Array.isArray(found) ? found : [found]) {
          yield {
            oldPointer: pair.oldPointer,
            newPointer: pair.newPointer,
            operations: [...pair.operations],
            ...f,
            message: `${pair.where}: ${f.message}`,
          };
        }
      }
    },
  };
}

/** A rule judging each pair of matched operations. */
export function operationRule(def: {
  id: string;
  title: string;
  severity: Severity;
  check(pair: OperationPair, ctx: DiffContext): Finding | Finding[] | undefined;
}): DiffRule {
  return {
    id: def.id,
    title: def.title,
    severity: def.severity,
    *run(ctx) {
      for (const pair of ctx.pairs) {
        const found = def.check(pair, ctx);
        for (const f of found === undefined ? [] : Array.isArray(found) ? found : [found]) {
          yield { oldPointer: pair.old.pointer, newPointer: pair.new.pointer, operations: [pair.label], ...f };
        }
      }
    },
  };
}

export const show = (v: unknown): string => (v === undefined ? 'none' : JSON.stringify(v));

export function num(s: JsonObject, kw: string): number | undefined {
  return typeof s[kw] === 'number' ? (s[kw] as number) : undefined;
}

/** Tightening of an upper bound (`maxLength`, `maximum`, …): set where there was none, or lowered. */
export function upperTightened(o: JsonObject, n: JsonObject, kw: string): string | undefined {
  const a = num(o, kw);
  const b = num(n, kw);
  if (b === undefined || (a !== undefined && b >= a)) return undefined;
  return `${kw} ${a === undefined ? 'set to' : `lowered from ${a} to`} ${b}`;
}

export function lowerTightened(o: JsonObject, n: JsonObject, kw: string): string | undefined {
  const a = num(o, kw);
  const b = num(n, kw);
  if (b === undefined || (a !== undefined && b <= a)) return undefined;
  return `${kw} ${a === undefined ? 'set to' : `raised from ${a} to`} ${b}`;
}

export const UPPER_BOUNDS = ['maxLength', 'maximum', 'exclusiveMaximum', 'maxItems', 'maxProperties'];
export const LOWER_BOUNDS = ['minLength', 'minimum', 'exclusiveMinimum', 'minItems', 'minProperties'];

/** Values of `enum` (or `const`) as JSON texts; undefined when the schema does not restrict values. */
export function enumValues(s: JsonObject): string[] | undefined {
  if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v));
  if ('const' in s && s.const !== null) return [JSON.stringify(s.const)];
  return undefined;
}

/** The resolved schema of a property, by its pointer. */
export function propSchema(doc: JsonObject, pointer: string): JsonObject | undefined {
  return resolve(doc, getByPointer(doc, pointer), pointer).node;
}

/** Properties a direction does not carry: `readOnly` ones are never sent, `writeOnly` ones never returned. */
export function carried(doc: JsonObject, pointer: string, direction: Direction): boolean {
  const s = propSchema(doc, pointer);
  if (!s) return true;
  return direction === 'request' ? s.readOnly !== true : s.writeOnly !== true;
}

export function requiredOf(s: JsonObject): Set<string> {
  return new Set(Array.isArray(s.required) ? s.required.filter((x): x is string => typeof x === 'string') : []);
}

/** Property events of a pair: names only on one side, and requiredness changes. */
export function propertyChanges(pair: SchemaPair, ctx: DiffContext) {
  const oldReq = requiredOf(pair.old);
  const newReq = requiredOf(pair.new);
  const removed: Array<{ name: string; oldPtr: string; wasRequired: boolean }> = [];
  const added: Array<{ name: string; newPtr: string; required: boolean }> = [];
  const madeRequired: Array<{ name: string; oldPtr: string; newPtr: string }> = [];
  const madeOptional: Array<{ name: string; oldPtr: string; newPtr: string }> = [];
  // A plain object that became a union (or the reverse) is judged by the union rules, not property by property.
  const union = (s: JsonObject) => Array.isArray(s.oneOf) || Array.isArray(s.anyOf);
  if (union(pair.old) !== union(pair.new) && (pair.oldProps.size === 0 || pair.newProps.size === 0)) {
    return { removed, added, madeRequired, madeOptional };
  }
  for (const [name, oldPtr] of pair.oldProps) {
    if (!carried(ctx.old.document, oldPtr, pair.direction)) continue;
    const newPtr = pair.newProps.get(name);
    if (!newPtr) {
      removed.push({ name, oldPtr, wasRequired: oldReq.has(name) });
      continue;
    }
    if (!carried(ctx.new.document, newPtr, pair.direction)) continue;
    if (!oldReq.has(name) && newReq.has(name)) madeRequired.push({ name, oldPtr, newPtr });
    if (oldReq.has(name) && !newReq.has(name)) madeOptional.push({ name, oldPtr, newPtr });
  }
  for (const [name, newPtr] of pair.newProps) {
    if (pair.oldProps.has(name) || !carried(ctx.new.document, newPtr, pair.direction)) continue;
    added.push({ name, newPtr, required: newReq.has(name) });
  }
  return { removed, added, madeRequired, madeOptional };
}

export function isAnonymous(security: Array<Record<string, string[]>>): boolean {
  return security.length === 0 || security.some((alt) => Object.keys(alt).length === 0);
}

export function describeAlt(alt: Record<string, string[]>): string {
  const parts = Object.entries(alt).map(([name, scopes]) => (scopes.length ? `${name}[${scopes.join(' ')}]` : name));
  return parts.length ? parts.join(' + ') : '(none)';
}

/** True when a credential satisfying `have` also satisfies `need`. */
export function satisfies(have: Record<string, string[]>, need: Record<string, string[]>): boolean {
  return Object.entries(need).every(([name, scopes]) => name in have && scopes.every((s) => have[name]!.includes(s)));
}

export { isObject };

/**
 * Branches of `oneOf`/`anyOf` added and removed between two schemas. A plain schema that became a
 * union (or the reverse) counts as a union of one branch, so wrapping `T` into `oneOf: [T, U]` is
 * one branch added, not a change of everything.
 */
export function unionChanges(pair: SchemaPair, ctx: DiffContext): Array<{ kw: string; added: Branch[]; removed: Branch[] }> {
  const out = [];
  const ov = { schema: pair.old, pointer: pair.oldPointer, props: pair.oldProps };
  const nv = { schema: pair.new, pointer: pair.newPointer, props: pair.newProps };
  for (const kw of ['oneOf', 'anyOf'] as const) {
    const ob = branches(ov, kw);
    const nb = branches(nv, kw);
    if (!ob && !nb) continue;
    const other = kw === 'oneOf' ? 'anyOf' : 'oneOf';
    if ((!ob && Array.isArray(pair.old[other])) || (!nb && Array.isArray(pair.new[other]))) continue;
    const strip = (s: JsonObject) => Object.fromEntries(Object.entries(s).filter(([k]) => k !== 'oneOf' && k !== 'anyOf'));
    const m = matchBranches(
      { oldCanon: ctx.oldCanon, newCanon: ctx.newCanon, oldDoc: ctx.old.document, newDoc: ctx.new.document },
      ob ?? [{ node: strip(pair.old), pointer: pair.oldPointer }],
      nb ?? [{ node: strip(pair.new), pointer: pair.newPointer }],
    );
    if (m.added.length || m.removed.length) out.push({ kw, added: m.added, removed: m.removed });
  }
  return out;
}

export function branchName(b: Branch): string {
  const n = b.node;
  if (isObject(n) && typeof n.$ref === 'string') return n.$ref.split('/').pop() ?? n.$ref;
  if (isObject(n) && typeof n.title === 'string') return n.title;
  if (isObject(n) && n.type !== undefined) return `{type: ${JSON.stringify(n.type)}${Array.isArray(n.enum) ? ', enum' : ''}}`;
  return b.pointer;
}
