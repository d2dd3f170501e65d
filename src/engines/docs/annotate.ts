/**
 * Turns what renderers ignore — the auth contract of each operation (credential, role, license,
 * outcome per credential class, from the loaded contract's model), security schemes with their
 * `x-scheme-prefix`, and `x-doc-notes` — into Markdown sections of the descriptions, on a deep copy of
 * the bundled document. Pure: no I/O, the contract is never modified, the source specs never touched.
 */
import { authScheme } from '../../core/auth/index.ts';
import type { Contract, OperationModel, SecurityScheme } from '../../core/contract/model.ts';
import { getByPointer } from '../../core/contract/pointer.ts';
import {
  authContractTable,
  documentContractNotes,
  documentRows,
  operationContractNotes,
  operationRows,
} from './auth-contract.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export interface AnnotateOptions {
  /** Put this server first in `servers` (the local Prism mock): the page selects it for every URL and sample. */
  mockUrl?: string;
}

export function annotateDocument(contract: Contract, options: AnnotateOptions = {}): Obj {
  const doc = structuredClone(contract.document);
  const schemes = isObj(doc.components) && isObj(doc.components.securitySchemes) ? doc.components.securitySchemes : {};

  // Document level: info.description gets the document's notes and the default auth contract.
  const info: Obj = isObj(doc.info) ? doc.info : (doc.info = {});
  const docSections: string[] = [];
  const defaultTable = authContractTable(documentRows(contract));
  if (defaultTable) {
    docSections.push(section('Auth contract (default for every operation that needs a credential)', [defaultTable, bullets(documentContractNotes(contract))]));
  }
  docSections.push(notesSection([...notes(doc), ...notes(info)]));
  appendDescription(info, docSections);

  if (options.mockUrl) {
    const servers = Array.isArray(doc.servers) ? doc.servers : [];
    doc.servers = [
      { url: options.mockUrl, description: 'Local Prism mock (contracts docs --serve)' },
      ...servers,
    ];
  }

  for (const [name, scheme] of Object.entries(schemes)) {
    const model = contract.securitySchemes[name];
    if (!isObj(scheme) || !model) continue;
    const pattern = model.tokenPattern ? `; a well-formed credential matches \`${model.tokenPattern}\`` : '';
    appendDescription(scheme, [`**Sent as:** ${credentialShape(model)}${pattern}`, notesSection(notes(scheme))]);
  }

  for (const op of contract.operations) {
    const node = getByPointer(doc, op.pointer);
    if (isObj(node)) annotateOperation(node, op, contract);
  }

  const paths = isObj(doc.paths) ? doc.paths : {};
  for (const item of Object.values(paths)) {
    if (!isObj(item)) continue;
    annotateParameters(item.parameters);
    for (const method of METHODS) {
      const op = item[method];
      if (!isObj(op)) continue;
      annotateParameters(op.parameters);
      if (isObj(op.requestBody)) annotateBody(op.requestBody);
      if (isObj(op.responses)) for (const r of Object.values(op.responses)) if (isObj(r)) annotateResponse(r);
    }
  }

  const components = isObj(doc.components) ? doc.components : {};
  if (isObj(components.schemas)) for (const s of Object.values(components.schemas)) annotateSchema(s);
  if (isObj(components.parameters)) annotateParameters(Object.values(components.parameters));
  if (isObj(components.responses)) for (const r of Object.values(components.responses)) if (isObj(r)) annotateResponse(r);
  if (isObj(components.requestBodies)) for (const b of Object.values(components.requestBodies)) if (isObj(b)) annotateBody(b);
  if (isObj(components.headers)) for (const h of Object.values(components.headers)) annotateParameterLike(h);
  if (isObj(components.examples)) {
    for (const ex of Object.values(components.examples)) if (isObj(ex)) appendDescription(ex, [notesSection(notes(ex))]);
  }
  return doc;
}

/** The auth block at the top of an operation's description, from the operation's model. */
function annotateOperation(node: Obj, op: OperationModel, contract: Contract): void {
  const lines: string[] = [];
  const shape = (name: string) => {
    const scheme = contract.securitySchemes[name];
    return scheme ? credentialShape(scheme) : `\`${name}\``;
  };
  if (op.security.length === 0) {
    lines.push('- **Credential:** none in a header or cookie (`security` is empty)');
  } else {
    const described = op.security.map((alt) =>
      alt.length === 0 ? 'no credential (anonymous access is allowed)' : alt.map((n) => `${shape(n)} (scheme \`${n}\`)`).join(' **and** '),
    );
    lines.push(
      described.length === 1
        ? `- **Credential:** ${described[0]}`
        : `- **Credential, one of:**\n${described.map((d) => `  - ${d}`).join('\n')}`,
    );
  }
  lines.push(`- **Required role:** ${op.requiredRole ? `\`${op.requiredRole}\`` : 'none beyond a valid credential'}`);
  if (node['x-license-required'] === true) lines.push('- **License required:** yes — works only with a commercial (enterprise) license');
  if (op.safe) lines.push('- **Safe:** yes — changes nothing although it is not a GET');

  const table = authContractTable(operationRows(contract, op), { showOrigin: true });
  const parts = [`**Auth contract**\n\n${lines.join('\n')}`];
  if (table) {
    // With more than one way in, say which credential the outcomes are about.
    const names = new Set(op.security.flat());
    const about = authScheme(contract, op);
    const scheme = names.size > 1 && about ? [`Expectations are for a credential of scheme \`${about.name}\`.`] : [];
    parts.push(table, bullets([...scheme, ...operationContractNotes(contract, op)]));
  }
  const prefix = parts.filter(Boolean).join('\n\n');
  const description = typeof node.description === 'string' && node.description.trim() ? node.description : '';
  node.description = [prefix, description, notesSection(notes(node))].filter(Boolean).join('\n\n');
}

/** How the credential is written on the wire, as plain text: `Authorization: Token <key>`, `Cookie: sid=<value>`. */
export function wireForm(scheme: SecurityScheme): string {
  const name = scheme.paramName ?? scheme.name;
  if (scheme.in === 'cookie') return `Cookie: ${name}=${scheme.prefix}<value>`;
  if (scheme.in === 'query') return `?${name}=${scheme.prefix}<key>`;
  if (scheme.type === 'http') {
    const word = scheme.scheme?.toLowerCase();
    if (word === 'basic') return `${name}: Basic <base64(user:password)>`;
    return `${name}: ${scheme.prefix || (scheme.scheme ? `${scheme.scheme} ` : '')}<${word === 'bearer' ? 'token' : 'credential'}>`;
  }
  if (scheme.type === 'apiKey') return `${name}: ${scheme.prefix}<key>`;
  return `${scheme.type || 'scheme'} ${scheme.name}`;
}

/** `wireForm` for a description, e.g. `` `Authorization: Token <key>` ``; says so when the key goes raw into `Authorization`. */
export function credentialShape(scheme: SecurityScheme): string {
  const raw = scheme.type === 'apiKey' && scheme.in === 'header' && scheme.prefix === '' && (scheme.paramName ?? '').toLowerCase() === 'authorization';
  return `\`${wireForm(scheme)}\`${raw ? ' (the raw key, no scheme word)' : ''}`;
}

function annotateParameters(list: unknown): void {
  if (!Array.isArray(list)) return;
  for (const p of list) annotateParameterLike(p);
}

function annotateParameterLike(p: unknown): void {
  if (!isObj(p) || typeof p.$ref === 'string') return;
  appendDescription(p, [notesSection(notes(p))]);
  annotateSchema(p.schema);
  annotateContent(p.content);
}

function annotateResponse(r: Obj): void {
  if (typeof r.$ref === 'string') return;
  const extra: string[] = [notesSection(notes(r))];
  if (Array.isArray(r['x-absent-headers']) && r['x-absent-headers'].length > 0) {
    extra.unshift(`**Never sent on this response:** ${r['x-absent-headers'].map((h) => `\`${String(h)}\``).join(', ')}`);
  }
  appendDescription(r, extra);
  if (isObj(r.headers)) for (const h of Object.values(r.headers)) annotateParameterLike(h);
  annotateContent(r.content);
}

function annotateBody(b: Obj): void {
  if (typeof b.$ref === 'string') return;
  appendDescription(b, [notesSection(notes(b))]);
  annotateContent(b.content);
}

function annotateContent(content: unknown): void {
  if (!isObj(content)) return;
  for (const media of Object.values(content)) if (isObj(media)) annotateSchema(media.schema);
}

/** Walks a schema structurally (never into examples, defaults or enums, which are data). */
function annotateSchema(schema: unknown, depth = 0): void {
  if (!isObj(schema) || depth > 64) return;
  appendDescription(schema, [notesSection(notes(schema))]);
  for (const key of ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']) {
    const map = schema[key];
    if (isObj(map)) for (const s of Object.values(map)) annotateSchema(s, depth + 1);
  }
  for (const key of ['allOf', 'anyOf', 'oneOf', 'prefixItems']) {
    const list = schema[key];
    if (Array.isArray(list)) for (const s of list) annotateSchema(s, depth + 1);
  }
  for (const key of ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedItems', 'unevaluatedProperties']) {
    annotateSchema(schema[key], depth + 1);
  }
}

function notes(node: Obj): string[] {
  const raw = node['x-doc-notes'];
  if (typeof raw === 'string') return raw.trim() ? [raw.trim()] : [];
  return Array.isArray(raw) ? raw.filter((n): n is string => typeof n === 'string' && n.trim() !== '').map((n) => n.trim()) : [];
}

function notesSection(list: string[]): string {
  return list.length === 0 ? '' : section('Doc notes', [bullets(list)]);
}

function section(title: string, body: string[]): string {
  return [`**${title}**`, ...body.filter(Boolean)].join('\n\n');
}

function bullets(list: string[]): string {
  return list.map((n) => `- ${n.replace(/\r?\n\s*/g, ' ')}`).join('\n');
}

/** Appends non-empty sections to `node.description` (created when absent). */
function appendDescription(node: Obj, sections: string[]): void {
  const extra = sections.filter(Boolean);
  if (extra.length === 0) return;
  const current = typeof node.description === 'string' ? node.description.trimEnd() : '';
  node.description = [current, ...extra].filter(Boolean).join('\n\n');
}
