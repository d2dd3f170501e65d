/**
 * The Defender for Cloud Apps filter language, evaluated against in-memory records: one evaluator
 * for every list (alerts, activities, entities, files), each list bringing a table that says which
 * record value a filter field reads.
 *
 * A request's `filters` maps a field to an object of operators; fields are AND-ed, and so are the
 * operators given for one field (the docs' introduction combines `eq` with `isset`). A list operand
 * (`eq: [a, b]`) matches when any item matches; a single value is read as a one-item list. A field
 * may hold several values (tags, groups, collaborators): `eq` matches when any of them is listed,
 * `neq` when none is, `deq` when at least one is not.
 *
 * The contract's schemas have already rejected unknown operators and wrong operand types (400)
 * before a handler runs, so the evaluator only has to give each valid operator its meaning.
 */

import type { Contract } from '../../src/core/contract/model.ts';
import { validators } from '../../src/core/validate/cache.ts';

/** Reads the value(s) a filter field compares against: a scalar, a list of values, or undefined/null when unset. */
export type FieldReader<T> = (record: T) => unknown;

/**
 * Field name → reader. `null` marks a documented field the mock does not model: it is accepted and
 * not applied. Fields missing from the table are read as a dotted path into the record
 * (`appName`, `location.city`), since the contract lets any field name through.
 */
export type FieldTable<T> = Record<string, FieldReader<T> | null>;

export type Filters = Record<string, unknown> | undefined;

const DAY_MS = 86_400_000;

/** Values of an operand (`eq: x` or `eq: [x, y]`) as a list. */
export const operandList = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The record's value(s) for a field as a list; unset values (undefined, null, '') give an empty list. */
function recordValues(v: unknown): unknown[] {
  const list = Array.isArray(v) ? v : [v];
  return list.filter((x) => x !== undefined && x !== null && x !== '');
}

/** Reads `a.b.c` from a record; a key that itself holds dots (`user.orgUnit`) is tried first. */
export function readPath(record: unknown, path: string): unknown {
  if (record === null || typeof record !== 'object') return undefined;
  const obj = record as Record<string, unknown>;
  if (path in obj) return obj[path];
  const dot = path.indexOf('.');
  if (dot < 0) return undefined;
  const head = obj[path.slice(0, dot)];
  if (Array.isArray(head)) return head.map((h) => readPath(h, path.slice(dot + 1))).flat();
  return readPath(head, path.slice(dot + 1));
}

/** Is this an entity primary key as filters write it (`{id, inst?, saas?}`)? */
const isPk = (v: unknown): v is { id: unknown; inst?: unknown; saas?: unknown } => typeof v === 'object' && v !== null && !Array.isArray(v) && 'id' in v;

/**
 * Equality as the service applies it to JSON operands: numbers and their string forms are equal
 * (`status: {eq: "2"}` matches status 2; `isAdmin: {eq: "true"}` matches true), text compares
 * without regard to case, and entity keys match on `id`, plus `inst`/`saas` where both sides give them.
 */
export function same(recordValue: unknown, operand: unknown): boolean {
  if (isPk(operand)) {
    if (!isPk(recordValue)) return same(recordValue, operand.id);
    if (!same(recordValue.id, operand.id)) return false;
    for (const k of ['inst', 'saas'] as const) {
      if (operand[k] !== undefined && operand[k] !== null && recordValue[k] !== undefined && recordValue[k] !== null && String(operand[k]) !== String(recordValue[k])) return false;
    }
    return true;
  }
  if (isPk(recordValue)) return same(recordValue.id, operand);
  if (recordValue === operand) return true;
  if (recordValue === null || operand === null || typeof recordValue === 'object' || typeof operand === 'object') return false;
  return String(recordValue).toLowerCase() === String(operand).toLowerCase();
}

/** The text of a value for the text operators (an entity key reads as its id). */
const text = (v: unknown): string => (isPk(v) ? String(v.id) : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)).toLowerCase();

/** A value as a number for ordering: numbers as they are, ISO date strings as epoch milliseconds. */
function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'boolean') return Number(v);
  if (typeof v === 'string' && v.trim() !== '') {
    if (/^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

/** Does one operator hold for the record's values (`vals`, already without unset values)? */
function holds(op: string, operand: unknown, vals: unknown[], now: number): boolean {
  const items = operandList(operand);
  const strings = items.map(text);
  const anyEq = () => vals.some((v) => items.some((o) => same(v, o)));
  const numbers = () => vals.map(num).filter((n): n is number => n !== undefined);
  switch (op) {
    case 'eq':
    case 'cabinetmatchedrulesequals':
    case 'descendantof':
      // `eq: null` (or a list holding null) selects records without a value.
      if (items.some((o) => o === null) && vals.length === 0) return true;
      return anyEq();
    case 'neq':
    case 'ndescendantof':
      if (items.some((o) => o === null) && vals.length === 0) return false;
      return !anyEq();
    case 'deq':
      return vals.some((v) => !items.some((o) => same(v, o)));
    case 'isset':
      return operand === false ? vals.length === 0 : vals.length > 0;
    case 'isnotset':
      return operand === false ? vals.length > 0 : vals.length === 0;
    case 'contains':
    case 'Contains':
      return vals.some((v) => strings.some((s) => text(v).includes(s)));
    case 'ncontains':
      return !vals.some((v) => strings.some((s) => text(v).includes(s)));
    case 'startswith':
    case 'startswithsingle':
      return vals.some((v) => strings.some((s) => text(v).startsWith(s)));
    case 'doesnotstartwith':
      return !vals.some((v) => strings.some((s) => text(v).startsWith(s)));
    case 'endswith':
      return vals.some((v) => strings.some((s) => text(v).endsWith(s)));
    case 'text':
      return vals.some((v) => text(v).includes(text(operand)));
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const bound = num(operand);
      if (bound === undefined) return false;
      return numbers().some((n) => (op === 'gt' ? n > bound : op === 'gte' ? n >= bound : op === 'lt' ? n < bound : n <= bound));
    }
    case 'gte_ndays':
    case 'lte_ndays': {
      const days = num(operand);
      if (days === undefined) return false;
      const edge = now - days * DAY_MS;
      return numbers().some((n) => (op === 'gte_ndays' ? n >= edge : n <= edge));
    }
    case 'range': {
      const windows = operandList(operand).filter((r): r is { start?: unknown; end?: unknown } => typeof r === 'object' && r !== null);
      return numbers().some((n) =>
        windows.some((w) => {
          const start = num(w.start);
          const end = num(w.end);
          return (start === undefined || n >= start) && (end === undefined || n <= end);
        }),
      );
    }
    default:
      // Every operator the contract admits is handled above; anything else cannot reach a handler.
      return true;
  }
}

/** True when the record passes every filter. */
export function matches<T>(record: T, filters: Filters, table: FieldTable<T>, now = Date.now()): boolean {
  for (const [field, ops] of Object.entries(filters ?? {})) {
    if (!ops || typeof ops !== 'object' || Array.isArray(ops)) continue;
    const reader = field in table ? table[field] : (r: T) => readPath(r, field);
    if (reader === null || reader === undefined) continue;
    const vals = recordValues(reader(record));
    for (const [op, operand] of Object.entries(ops as Record<string, unknown>)) {
      if (!holds(op, operand, vals, now)) return false;
    }
  }
  return true;
}

/** The records that pass the filters, in their original order. */
export function applyFilters<T>(records: T[], filters: Filters, table: FieldTable<T>): T[] {
  const now = Date.now();
  return records.filter((r) => matches(r, filters, table, now));
}

/** Orders records by a key (numbers, or ISO dates read as numbers); records without a key go last. Stable. */
export function sortRecords<T>(records: T[], key: (r: T) => unknown, direction: 'asc' | 'desc'): T[] {
  const dir = direction === 'asc' ? 1 : -1;
  return records
    .map((r, i) => ({ r, i, k: num(key(r)) }))
    .sort((a, b) => {
      if (a.k === undefined || b.k === undefined) return a.k === b.k ? a.i - b.i : a.k === undefined ? 1 : -1;
      return a.k === b.k ? a.i - b.i : (a.k - b.k) * dir;
    })
    .map((x) => x.r);
}

/** One page of a list: skip/limit applied, hasNext and total from the whole (filtered) list. */
export function pageOf<T>(all: T[], request: { skip?: number; limit?: number } | undefined, defaultLimit = 100) {
  const skip = request?.skip ?? 0;
  const limit = request?.limit ?? defaultLimit;
  return { data: all.slice(skip, skip + limit), hasNext: skip + limit < all.length, total: all.length };
}

/** An entity primary key as filters and the fetch-entity path carry it. */
export interface EntityPk {
  id: string;
  saas?: number;
  inst?: number;
}

/** The entity key of the fetch-entity path: base64 of `{"id", "saas", "inst"}`, or undefined when it is not that. */
export function decodeEntityPk(pk: string): EntityPk | undefined {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(pk)) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(pk.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8'));
    if (!isPk(parsed) || typeof parsed.id !== 'string') return undefined;
    const out: EntityPk = { id: parsed.id };
    if (parsed.saas !== undefined && parsed.saas !== null) out.saas = Number(parsed.saas);
    if (parsed.inst !== undefined && parsed.inst !== null) out.inst = Number(parsed.inst);
    return out;
  } catch {
    return undefined;
  }
}

export function encodeEntityPk(pk: EntityPk): string {
  return Buffer.from(JSON.stringify(pk)).toString('base64');
}

/**
 * Undocumented routes (governance log, managed devices, reopening alerts) take an open body in the
 * contract, so the kit lets any JSON object through; real clients send them the shared list body.
 * This checks such a body the way the documented lists' schemas do: `filters` against the given
 * filter schema (the generic one: documented operators only), `skip`/`limit` whole numbers with
 * `limit` at most 100. Returns the first problem as text, or undefined.
 */
export function listBodyProblem(contract: Contract, body: unknown, filtersSchema = '#/components/schemas/AnyFieldFilter'): string | undefined {
  if (body === undefined || body === null) return undefined;
  const b = body as Record<string, unknown>;
  for (const key of ['skip', 'limit'] as const) {
    const v = b[key];
    if (v !== undefined && !(Number.isInteger(v) && (v as number) >= 0)) return `${key} must be a whole number of at least 0.`;
  }
  if (typeof b.limit === 'number' && b.limit > 100) return 'limit must be at most 100.';
  if (b.sortDirection !== undefined && b.sortDirection !== 'asc' && b.sortDirection !== 'desc') return "sortDirection must be 'asc' or 'desc'.";
  if (b.filters === undefined) return undefined;
  if (typeof b.filters !== 'object' || b.filters === null || Array.isArray(b.filters)) return 'filters must be an object of fields.';
  const whole = filtersSchema.endsWith('/AnyFieldFilter');
  for (const [field, ops] of whole ? Object.entries(b.filters) : [['', b.filters] as const]) {
    const problem = validators.validate(contract, filtersSchema, ops)[0];
    if (problem) return `filters${field ? `.${field}` : ''}${problem.instancePath.replace(/\//g, '.')} ${problem.message}`;
  }
  return undefined;
}
