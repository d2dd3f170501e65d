/**
 * The auth contract in the reference docs: a table of what the API answers per credential class,
 * rendered from the loaded contract's model (`op.authContract`, merged by the core's one rule), so the
 * docs say what the runner, the mocks, lint and diff hold the API to. A contract whose
 * `x-auth-contract` lint rejects is not rendered at all: `authContractProblems` names what to fix.
 */
import { formatLocation } from '../../core/contract/location.ts';
import {
  CREDENTIAL_CLASSES,
  type ClassExpectation,
  type Contract,
  type CredentialClass,
  type JsonObject,
  type OperationModel,
} from '../../core/contract/model.ts';
import { getByPointer, isObject } from '../../core/contract/pointer.ts';
import { authContractShapeProblems } from '../lint/auth-contract-shape.ts';

const KEY = 'x-auth-contract';

/** One row of the table: a credential class and what the API answers for it. */
export interface AuthContractRow {
  cls: CredentialClass;
  expectation: ClassExpectation;
  /** Where the row is written: the document default or the operation's own `x-auth-contract`. */
  origin: 'document' | 'operation';
  /** The class entry's `x-doc-notes`. */
  notes: string[];
}

/**
 * Every `x-auth-contract` of the contract that lint would reject, as `file:line pointer: problem`
 * lines: a shape outside specs/extensions/x-auth-contract.schema.json (bare statuses, lists of
 * classes, unknown keys such as `expect` or `www-authenticate`), or a contract under `info`, which
 * nothing reads. Empty when the docs can render the contract as the rest of the suite reads it.
 */
export function authContractProblems(contract: Contract): string[] {
  const doc = contract.document;
  const at = (pointer: string) => formatLocation(contract.sourceMap.locate(pointer));
  const problems: string[] = [];
  if (isObject(doc.info) && doc.info[KEY] !== undefined) {
    problems.push(`${at(`#/info/${KEY}`)}: \`${KEY}\` under \`info\` is not read; move it to the document root (beside \`paths\`)`);
  }
  const places = [{ value: doc[KEY], pointer: `#/${KEY}` }, ...contract.operations.map((op) => ({ value: rawOperation(contract, op)[KEY], pointer: `${op.pointer}/${KEY}` }))];
  for (const place of places) {
    if (place.value === undefined) continue;
    for (const p of authContractShapeProblems(place.value)) problems.push(`${at(`${place.pointer}${p.path}`)}: \`${KEY}\`${p.path} ${p.message}`);
  }
  return [...new Set(problems)];
}

/** The operation's effective auth contract as rows, in the model's class order. */
export function operationRows(contract: Contract, op: OperationModel): AuthContractRow[] {
  const classes = op.authContract?.classes ?? {};
  return CREDENTIAL_CLASSES.flatMap((cls) => {
    const expectation = classes[cls];
    if (!expectation) return [];
    // Another user's outcome is an answer only where an object belongs to one user (`x-owned-by`);
    // where it does not apply, the row still says why.
    if (cls === 'other-user' && expectation.applies && !op.ownedBy) return [];
    // The model keeps where each entry is written; its notes are read there.
    const origin = expectation.from;
    return [{ cls, expectation, origin, notes: docNotes(getByPointer(contract.document, expectation.pointer)) }];
  });
}

/**
 * The document default as rows: each class as the operations that do not override it get it (the
 * loader gives the default to secured operations only). A class every secured operation overrides is
 * nobody's default and is left out.
 */
export function documentRows(contract: Contract): AuthContractRow[] {
  const rows = new Map<CredentialClass, AuthContractRow>();
  for (const op of contract.operations) {
    for (const row of operationRows(contract, op)) if (row.origin === 'document' && !rows.has(row.cls)) rows.set(row.cls, row);
  }
  return CREDENTIAL_CLASSES.flatMap((cls) => rows.get(cls) ?? []);
}

/** Notes written on the document's `x-auth-contract` as a whole, with the scheme it is about. */
export function documentContractNotes(contract: Contract): string[] {
  const written = contract.document[KEY];
  const scheme = isObject(written) && typeof written.scheme === 'string' ? [`Expectations are for a credential of scheme \`${written.scheme}\`.`] : [];
  return [...scheme, ...docNotes(written)];
}

/** Notes written on the operation's own `x-auth-contract` as a whole. */
export function operationContractNotes(contract: Contract, op: OperationModel): string[] {
  return docNotes(rawOperation(contract, op)[KEY]);
}

/** A Markdown table: credential class → expected status → notes. Empty string when there are no rows. */
export function authContractTable(rows: AuthContractRow[], opts: { showOrigin?: boolean } = {}): string {
  if (rows.length === 0) return '';
  const lines = ['| credential class | expected status | notes |', '|---|---|---|'];
  for (const { cls, expectation: e, origin, notes: classNotes } of rows) {
    const notes: string[] = [];
    if (opts.showOrigin && origin === 'operation') notes.push('overrides the API default');
    if (!e.applies) notes.push('does not apply to this API');
    if (e.reason) notes.push(e.reason);
    if (e.wwwAuthenticate === 'required') notes.push('WWW-Authenticate: must be sent');
    if (e.wwwAuthenticate === 'forbidden') notes.push('WWW-Authenticate: must not be sent');
    if (e.hasBody) notes.push(`body \`${JSON.stringify(e.body).replace(/`/g, "'")}\``);
    if (e.bodySchemaPointer) notes.push('body as the schema in the contract says');
    if (e.scheme) notes.push(`sent as \`${e.scheme}\``);
    if (e.sameAsMissing === true) notes.push("another user's object answers as one that does not exist (existence does not leak)");
    if (e.sameAsMissing === false) notes.push("another user's object answers differently from one that does not exist (existence leaks)");
    if (e.inferred) notes.push('inferred (the vendor docs do not say)');
    notes.push(...classNotes);
    const status = !e.applies ? 'n/a' : e.statuses.length > 0 ? e.statuses.join(' or ') : '—';
    lines.push(`| \`${cls}\` | ${cell(status)} | ${cell(joinNotes(notes)) || '—'} |`);
  }
  return lines.join('\n');
}

function rawOperation(contract: Contract, op: OperationModel): JsonObject {
  const node = getByPointer(contract.document, op.pointer);
  return isObject(node) ? node : {};
}

function docNotes(holder: unknown): string[] {
  const raw = isObject(holder) ? holder['x-doc-notes'] : undefined;
  const list = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw : [];
  return list.filter((n): n is string => typeof n === 'string' && n.trim() !== '').map((n) => n.trim());
}

/** Short notes joined by `;`, a note that is a full sentence followed by a space. */
function joinNotes(notes: string[]): string {
  return notes.reduce((text, note) => (text === '' ? note : `${text}${/[.!?]$/.test(text) ? ' ' : '; '}${note}`), '');
}

/** A table cell: no pipes or line breaks that would end the cell or the row. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
