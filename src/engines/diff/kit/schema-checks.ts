import type { JsonObject } from '../../../core/contract/model.ts';
import { getByPointer, isObject } from '../../../core/contract/pointer.ts';
import { branches, matchBranches, resolve, typeSet, type Branch } from '../schema.ts';
import type { DiffContext, Direction, SchemaPair, Side, Slot } from '../types.ts';
import { show, type Aspect, type SchemaCheck } from './define.ts';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const defined = (m: string | undefined): m is string => m !== undefined;

// ---- enumerations -------------------------------------------------------------------------------

/** Values of `enum` (or `const`) as JSON texts; undefined when the schema does not restrict values. */
function enumOf(s: JsonObject): string[] | undefined {
  if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v));
  if ('const' in s && s.const !== null) return [JSON.stringify(s.const)];
  return undefined;
}

const listed = (values: string[], what: string) => (values.length ? `enum value${values.length > 1 ? 's' : ''} ${values.join(', ')} ${what}` : undefined);

/**
 * Values added to or removed from an enumeration. A restriction dropped counts as values added, one
 * set where there was none as values removed. The branch of an open enumeration (`anyOf: [{enum},
 * {type: string}]`) restricts nothing, so its values are not judged.
 */
export function enumValues(event: 'added' | 'removed'): SchemaCheck {
  return (pair) => {
    if (pair.openEnum) return undefined;
    const before = enumOf(pair.old);
    const after = enumOf(pair.new);
    if (event === 'added') {
      if (!before) return undefined;
      return after ? listed(after.filter((v) => !before.includes(v)), 'added') : 'enum restriction removed: any value is now allowed';
    }
    if (!after) return undefined;
    return before ? listed(before.filter((v) => !after.includes(v)), 'removed') : `values restricted to ${after.join(', ')}`;
  };
}

// ---- bounds and other constraints -----------------------------------------------------------------

const UPPER = ['maxLength', 'maximum', 'exclusiveMaximum', 'maxItems', 'maxProperties'];
const LOWER = ['minLength', 'minimum', 'exclusiveMinimum', 'minItems', 'minProperties'];
/** Numeric bounds: upper ones tighten when lowered, lower ones when raised. */
export const BOUNDS = [...UPPER, ...LOWER];
/** Keywords that close an object schema to properties it does not declare when `false`. */
export const CLOSERS = ['additionalProperties', 'unevaluatedProperties'];

/** The keyword now admits fewer values than before (a bound set or moved inward, a pattern set or changed…). */
function tightening(kw: string, o: JsonObject, n: JsonObject): string | undefined {
  const a = o[kw];
  const b = n[kw];
  if (same(a, b)) return undefined;
  if (BOUNDS.includes(kw)) {
    const upper = UPPER.includes(kw);
    if (typeof b !== 'number' || (typeof a === 'number' && (upper ? b > a : b < a))) return undefined;
    return `${kw} ${typeof a !== 'number' ? 'set to' : upper ? `lowered from ${a} to` : `raised from ${a} to`} ${b}`;
  }
  if (kw === 'uniqueItems') return b === true ? 'uniqueItems set' : undefined;
  if (CLOSERS.includes(kw)) return b === false ? `unknown properties are now rejected (${kw}: false)` : undefined;
  // A pattern or format replaced by another: whether the new one admits less cannot be known, so it counts.
  if (b === undefined) return undefined;
  return a === undefined ? `${kw} ${show(b)} added` : `${kw} changed from ${show(a)} to ${show(b)}`;
}

/** The keyword now admits more values than before (a bound dropped or moved outward, a pattern dropped…). */
function loosening(kw: string, o: JsonObject, n: JsonObject): string | undefined {
  const a = o[kw];
  const b = n[kw];
  if (a === undefined || same(a, b) || tightening(kw, o, n)) return undefined;
  if (BOUNDS.includes(kw)) return `${kw} ${b === undefined ? 'removed' : UPPER.includes(kw) ? `raised to ${show(b)}` : `lowered to ${show(b)}`} (was ${show(a)})`;
  if (kw === 'uniqueItems') return a === true ? 'uniqueItems dropped' : undefined;
  if (CLOSERS.includes(kw)) return a === false ? `unknown properties are now accepted (${kw}: false dropped)` : undefined;
  return b === undefined ? `${kw} ${show(a)} removed` : undefined;
}

/** Keywords that now admit fewer values. The branch of an open enumeration bounds nothing the union accepts. */
export const tightened = (...keywords: string[]): SchemaCheck => (pair) => (pair.openEnum ? undefined : keywords.map((kw) => tightening(kw, pair.old, pair.new)).filter(defined));

/** Keywords that now admit more values. */
export const relaxed = (...keywords: string[]): SchemaCheck => (pair) => keywords.map((kw) => loosening(kw, pair.old, pair.new)).filter(defined);

/** Keywords whose value changed at all. */
export const changed = (...keywords: string[]): SchemaCheck => (pair) =>
  keywords.filter((kw) => !same(pair.old[kw], pair.new[kw])).map((kw) => `${kw} changed from ${show(pair.old[kw])} to ${show(pair.new[kw])}`);

// ---- types ----------------------------------------------------------------------------------------

const covers = (set: Set<string>, t: string) => set.has(t) || (t === 'integer' && set.has('number'));
const typeText = (types: Set<string>) => (types.size === 1 ? [...types][0]! : `[${[...types].join(', ')}]`);

/**
 * Types a value may no longer have (`lost`) or may now have (`gained`), `null` aside, between two
 * schemas that both declare `type` (integer ⊂ number). `only-…` means without the opposite.
 */
export function typeShift(kind: 'lost' | 'gained' | 'only-lost' | 'only-gained', verb: string): SchemaCheck {
  return (pair) => {
    const a = typeSet(pair.old);
    const b = typeSet(pair.new);
    if (!a || !b) return undefined;
    const lost = [...a].some((t) => t !== 'null' && !covers(b, t));
    const gained = [...b].some((t) => t !== 'null' && !covers(a, t));
    const hit = { lost, gained, 'only-lost': lost && !gained, 'only-gained': gained && !lost }[kind];
    return hit ? `type ${verb} from ${typeText(a)} to ${typeText(b)}` : undefined;
  };
}

/** `null` allowed where it was not (`added`), or no longer (`removed`): `type: [T, 'null']` in OpenAPI 3.1. */
export function nullability(event: 'added' | 'removed', message: string): SchemaCheck {
  return (pair) => {
    const a = typeSet(pair.old);
    const b = typeSet(pair.new);
    if (!a || !b || a.has('null') === b.has('null')) return undefined;
    return b.has('null') === (event === 'added') ? message : undefined;
  };
}

// ---- properties -----------------------------------------------------------------------------------

/** What a client may send or receive of one property. */
export interface PropertyFacts {
  required: boolean;
}

/** An object schema that does not close itself accepts properties it does not declare. */
export function acceptsUndeclared(schema: JsonObject): boolean {
  return schema.additionalProperties !== false && schema.unevaluatedProperties !== false;
}

const isUnion = (s: JsonObject) => Array.isArray(s.oneOf) || Array.isArray(s.anyOf);

/**
 * The properties of each pair of schemas of one direction. A property the direction does not carry
 * (`readOnly` ones are never sent, `writeOnly` ones never returned) counts as absent. A plain object
 * that became a union (or the reverse) is judged by the union rules, not property by property.
 */
export function properties(direction: Direction): Aspect<PropertyFacts, JsonObject> {
  return (ctx) =>
    ctx.schemaPairs.flatMap((pair) => {
      if (pair.direction !== direction) return [];
      if (isUnion(pair.old) !== isUnion(pair.new) && (pair.oldProps.size === 0 || pair.newProps.size === 0)) return [];
      const side = (doc: JsonObject, schema: JsonObject, props: Map<string, string>) => {
        const required = new Set(Array.isArray(schema.required) ? schema.required : []);
        const out = new Map<string, Side<PropertyFacts>>();
        for (const [name, pointer] of props) {
          const prop = resolve(doc, getByPointer(doc, pointer), pointer).node;
          if (prop && (direction === 'request' ? prop.readOnly === true : prop.writeOnly === true)) continue;
          out.set(name, { value: { required: required.has(name) }, pointer });
        }
        return out;
      };
      const old = side(ctx.old.document, pair.old, pair.oldProps);
      const now = side(ctx.new.document, pair.new, pair.newProps);
      return [...new Set([...old.keys(), ...now.keys()])].map(
        (name): Slot<PropertyFacts, JsonObject> => ({
          key: name,
          label: `property '${name}'`,
          where: pair.where,
          old: old.get(name),
          new: now.get(name),
          oldAt: pair.oldPointer,
          newAt: pair.newPointer,
          operations: [...pair.operations],
          holder: { old: pair.old, new: pair.new },
        }),
      );
    });
}

// ---- unions ---------------------------------------------------------------------------------------

function branchName(b: Branch): string {
  const n = b.node;
  if (isObject(n) && typeof n.$ref === 'string') return n.$ref.split('/').pop() ?? n.$ref;
  if (isObject(n) && typeof n.title === 'string') return n.title;
  if (isObject(n) && n.type !== undefined) return `{type: ${JSON.stringify(n.type)}${Array.isArray(n.enum) ? ', enum' : ''}}`;
  return b.pointer;
}

/**
 * Branches of `oneOf`/`anyOf` added and removed between two schemas. A plain schema that became a
 * union (or the reverse) counts as a union of one branch, so wrapping `T` into `oneOf: [T, U]` is
 * one branch added, not a change of everything.
 */
function unionSlots(pair: SchemaPair, ctx: DiffContext): Slot<unknown>[] {
  const out: Slot<unknown>[] = [];
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
    const slot = (b: Branch, side: 'old' | 'new'): Slot<unknown> => ({
      key: `${kw} ${branchName(b)}`,
      label: `${kw} branch ${branchName(b)}`,
      where: pair.where,
      [side]: { value: b.node, pointer: b.pointer },
      oldAt: pair.oldPointer,
      newAt: pair.newPointer,
      operations: [...pair.operations],
    });
    out.push(...m.removed.map((b) => slot(b, 'old')), ...m.added.map((b) => slot(b, 'new')));
  }
  return out;
}

/** Union branches of each pair of schemas of one direction: added ones are new, removed ones gone. */
export const unionBranches = (direction: Direction): Aspect<unknown> => (ctx) => ctx.schemaPairs.filter((p) => p.direction === direction).flatMap((p) => unionSlots(p, ctx));
