import { CREDENTIAL_CLASSES } from '../../core/contract/model.ts';
/**
 * `x-auth-contract` → a table for the reference docs. Pure functions, no I/O.
 *
 * The extension (document-level default, operation-level override, merged per class) maps credential
 * classes to the expected answer. As written in specs/ today:
 *
 *   x-auth-contract:
 *     scheme: ApiToken                      # the credential the expectations are about
 *     classes:
 *       missing: {status: 401, body: {msg: Session is required}, wwwAuthenticate: forbidden}
 *       wrong-scheme: {status: 401, inferred: true, x-doc-notes: [...]}
 *       expired: {applies: false, reason: tokens never expire}
 *       valid: {status: 2XX}
 *     x-doc-notes: [...]
 *
 * The reader is deliberately tolerant, since the extension is young: a class may also map to a bare
 * status or a list of statuses; `statuses`/`expect(ed)`, `www-authenticate` (must | must-not |
 * required | forbidden | true | false), `errorBody`/`example` and `notes`/`description` are
 * accepted; the map may stand without `classes`, or be a list of `{class, status, …}`.
 * Anything else it meets is shown as a note rather than dropped.
 */

export interface AuthExpectation {
  credentialClass: string;
  statuses: string[];
  /** `must`, `must-not`, or whatever the spec says; undefined when it says nothing. */
  wwwAuthenticate?: string;
  body?: unknown;
  notes: string[];
  /** Where the row comes from: the document default or the operation's override. */
  origin: 'document' | 'operation';
}

/** The classes in the order a reader expects them (the model's order); unknown classes follow in spec order. */
export { CREDENTIAL_CLASSES };

const CLASS_KEYS = ['class', 'credentialClass', 'credential-class', 'credential', 'name'];
const STATUS_KEYS = ['status', 'statuses', 'expect', 'expected', 'expectedStatus', 'expected-status', 'response', 'responses'];
const WWW_KEYS = ['www-authenticate', 'wwwAuthenticate', 'WWW-Authenticate', 'www_authenticate'];
const BODY_KEYS = ['body', 'errorBody', 'error-body', 'example', 'bodyExample', 'body-example'];
const NOTE_KEYS = ['reason', 'notes', 'note', 'description', 'x-doc-notes'];
const META_KEYS = new Set(['classes', 'scheme', 'description', 'notes', 'x-doc-notes']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads one `x-auth-contract` value; returns [] for anything it cannot make sense of. */
export function readAuthContract(raw: unknown, origin: AuthExpectation['origin']): AuthExpectation[] {
  if (raw === undefined || raw === null) return [];
  const body = isObj(raw) && 'classes' in raw ? raw.classes : raw;
  const rows: AuthExpectation[] = [];
  if (Array.isArray(body)) {
    for (const entry of body) {
      if (!isObj(entry)) continue;
      const key = CLASS_KEYS.find((k) => typeof entry[k] === 'string');
      if (!key) continue;
      rows.push(readExpectation(String(entry[key]), entry, origin, new Set([key])));
    }
  } else if (isObj(body)) {
    for (const [cls, value] of Object.entries(body)) {
      if (body === raw && META_KEYS.has(cls)) continue;
      rows.push(readExpectation(cls, value, origin, new Set()));
    }
  }
  return rows;
}

/** Notes written on the contract as a whole (`description`, `notes`, `x-doc-notes` beside `classes`). */
export function authContractNotes(raw: unknown): string[] {
  if (!isObj(raw)) return [];
  const scheme = typeof raw.scheme === 'string' ? [`Expectations are for a credential of scheme \`${raw.scheme}\`.`] : [];
  return [...scheme, ...NOTE_KEYS.flatMap((k) => asStrings(raw[k]))];
}

function readExpectation(cls: string, value: unknown, origin: AuthExpectation['origin'], used: Set<string>): AuthExpectation {
  const row: AuthExpectation = { credentialClass: cls, statuses: [], notes: [], origin };
  if (!isObj(value)) {
    row.statuses = asStatuses(value);
    if (row.statuses.length === 0 && value !== undefined) row.notes.push(stringify(value));
    return row;
  }
  const take = (keys: string[]) => {
    const k = keys.find((key) => key in value);
    if (k) used.add(k);
    return k === undefined ? undefined : value[k];
  };
  row.statuses = asStatuses(take(STATUS_KEYS));
  if (value.applies === false) {
    used.add('applies');
    row.statuses = ['n/a'];
    row.notes.push('does not apply to this API');
  } else if ('applies' in value) used.add('applies');
  if (value.inferred === true) {
    used.add('inferred');
    row.notes.push('inferred (the vendor docs do not say)');
  } else if ('inferred' in value) used.add('inferred');
  const www = take(WWW_KEYS);
  if (www !== undefined) row.wwwAuthenticate = wwwText(www);
  const body = take(BODY_KEYS);
  if (body !== undefined) row.body = body;
  for (const k of NOTE_KEYS) {
    if (k in value) {
      used.add(k);
      row.notes.push(...asStrings(value[k]));
    }
  }
  for (const [k, v] of Object.entries(value)) {
    if (!used.has(k)) row.notes.push(`${k}: ${stringify(v)}`);
  }
  return row;
}

/**
 * The effective contract of an operation: the document default, with each class the operation
 * overrides replaced by the operation's row. Sorted in the canonical class order.
 */
export function effectiveAuthContract(documentLevel: unknown, operationLevel: unknown): AuthExpectation[] {
  const byClass = new Map<string, AuthExpectation>();
  for (const row of readAuthContract(documentLevel, 'document')) byClass.set(row.credentialClass, row);
  for (const row of readAuthContract(operationLevel, 'operation')) byClass.set(row.credentialClass, row);
  return sortByClass([...byClass.values()]);
}

export function sortByClass(rows: AuthExpectation[]): AuthExpectation[] {
  const rank = (c: string) => {
    const i = (CREDENTIAL_CLASSES as readonly string[]).indexOf(c);
    return i === -1 ? CREDENTIAL_CLASSES.length : i;
  };
  return rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => rank(a.row.credentialClass) - rank(b.row.credentialClass) || a.i - b.i)
    .map(({ row }) => row);
}

/** A Markdown table: credential class → expected status → notes. Empty string when there are no rows. */
export function authContractTable(rows: AuthExpectation[], opts: { showOrigin?: boolean } = {}): string {
  if (rows.length === 0) return '';
  const lines = ['| credential class | expected status | notes |', '|---|---|---|'];
  for (const row of rows) {
    const notes: string[] = [];
    if (row.wwwAuthenticate !== undefined) notes.push(`WWW-Authenticate: ${row.wwwAuthenticate}`);
    if (row.body !== undefined) notes.push(`body e.g. \`${stringify(row.body).replace(/`/g, "'")}\``);
    notes.push(...row.notes);
    if (opts.showOrigin && row.origin === 'operation') notes.push('(overrides the API default)');
    const status = row.statuses.length > 0 ? row.statuses.join(' or ') : '—';
    lines.push(`| \`${cell(row.credentialClass)}\` | ${cell(status)} | ${cell(notes.join('; ')) || '—'} |`);
  }
  return lines.join('\n');
}

function asStatuses(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.flatMap(asStatuses);
  if (typeof value === 'number' || typeof value === 'string') return [String(value)];
  if (isObj(value)) {
    const k = STATUS_KEYS.find((key) => key in value);
    return k ? asStatuses(value[k]) : [];
  }
  return [];
}

function wwwText(value: unknown): string {
  if (value === true || value === 'required' || value === 'must') return 'must be sent';
  if (value === false || value === 'forbidden' || value === 'must-not' || value === 'absent') return 'must not be sent';
  if (value === 'optional' || value === 'may') return 'may be sent';
  if (isObj(value)) {
    if (value.must === true || value.required === true) return `must be sent${value.value ? ` (${stringify(value.value)})` : ''}`;
    if (value.must === false || value.mustNot === true || value['must-not'] === true) return 'must not be sent';
  }
  return typeof value === 'string' ? value : stringify(value);
}

function asStrings(value: unknown): string[] {
  if (typeof value === 'string') return value.trim() ? [value.trim()] : [];
  if (Array.isArray(value)) return value.flatMap(asStrings);
  return [];
}

function stringify(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A table cell: no pipes or line breaks that would end the cell or the row. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
