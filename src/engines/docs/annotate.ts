/**
 * Turns the contract extensions that renderers ignore (`x-required-role`, `x-license-required`,
 * security alternatives with `x-scheme-prefix`, `x-auth-contract`, `x-doc-notes`) into Markdown
 * sections of the descriptions, on a deep copy of the bundled document. Pure: no I/O, the input is
 * never modified, and the source specs are never touched.
 */
import { authContractNotes, authContractTable, effectiveAuthContract, readAuthContract, sortByClass } from './auth-contract.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export interface AnnotateOptions {
  /** Put this server first in `servers` (the local Prism mock): the page selects it for every URL and sample. */
  mockUrl?: string;
}

export function annotateDocument(document: Obj, options: AnnotateOptions = {}): Obj {
  const doc = structuredClone(document);
  const schemes = isObj(doc.components) && isObj(doc.components.securitySchemes) ? doc.components.securitySchemes : {};
  const docAuthContract = doc['x-auth-contract'] ?? (isObj(doc.info) ? doc.info['x-auth-contract'] : undefined);

  // Document level: info.description gets the document's notes and the default auth contract.
  const info: Obj = isObj(doc.info) ? doc.info : (doc.info = {});
  const docSections: string[] = [];
  const defaultRows = sortByClass(readAuthContract(docAuthContract, 'document'));
  if (defaultRows.length > 0) {
    docSections.push(
      section('Auth contract (default for every operation)', [
        authContractTable(defaultRows),
        bullets(authContractNotes(docAuthContract)),
      ]),
    );
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
    if (!isObj(scheme)) continue;
    const pattern = typeof scheme['x-token-pattern'] === 'string' ? `; a well-formed credential matches \`${scheme['x-token-pattern']}\`` : '';
    appendDescription(scheme, [`**Sent as:** ${credentialShape(name, scheme)}${pattern}`, notesSection(notes(scheme))]);
  }

  const paths = isObj(doc.paths) ? doc.paths : {};
  for (const item of Object.values(paths)) {
    if (!isObj(item)) continue;
    annotateParameters(item.parameters);
    for (const method of METHODS) {
      const op = item[method];
      if (!isObj(op)) continue;
      annotateOperation(op, doc, schemes, docAuthContract);
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

/** The auth block at the top of an operation's description. */
function annotateOperation(op: Obj, doc: Obj, schemes: Obj, docAuthContract: unknown): void {
  const security = Array.isArray(op.security) ? op.security : Array.isArray(doc.security) ? doc.security : [];
  const lines: string[] = [];
  const alternatives = security.filter(isObj).map((alt) => Object.keys(alt));
  if (alternatives.length === 0) {
    lines.push('- **Credential:** none in a header or cookie (`security` is empty)');
  } else {
    const described = alternatives.map((alt) =>
      alt.length === 0 ? 'no credential (anonymous access is allowed)' : alt.map((n) => `${credentialShape(n, schemes[n])} (scheme \`${n}\`)`).join(' **and** '),
    );
    lines.push(
      described.length === 1
        ? `- **Credential:** ${described[0]}`
        : `- **Credential, one of:**\n${described.map((d) => `  - ${d}`).join('\n')}`,
    );
  }
  const role = op['x-required-role'];
  lines.push(`- **Required role:** ${typeof role === 'string' ? `\`${role}\`` : 'none beyond a valid credential'}`);
  if (op['x-license-required'] === true) lines.push('- **License required:** yes — works only with a commercial (enterprise) license');
  if (op['x-safe'] === true) lines.push('- **Safe:** yes — changes nothing although it is not a GET');

  const opContract = op['x-auth-contract'];
  // The API's default describes its credential; an operation that takes none only gets its own rows.
  const rows = effectiveAuthContract(alternatives.length === 0 ? undefined : docAuthContract, opContract);
  const table = authContractTable(rows, { showOrigin: true });
  const parts = [`**Auth contract**\n\n${lines.join('\n')}`];
  if (table) parts.push(table, bullets(authContractNotes(opContract)));
  const prefix = parts.filter(Boolean).join('\n\n');
  const description = typeof op.description === 'string' && op.description.trim() ? op.description : '';
  op.description = [prefix, description, notesSection(notes(op))].filter(Boolean).join('\n\n');
}

/** How the credential is written on the wire, e.g. `Authorization: Token <key>`. */
export function credentialShape(name: string, scheme: unknown): string {
  if (!isObj(scheme)) return `\`${name}\``;
  const type = String(scheme.type ?? '');
  const prefix = typeof scheme['x-scheme-prefix'] === 'string' ? scheme['x-scheme-prefix'] : undefined;
  if (type === 'apiKey') {
    const param = String(scheme.name ?? name);
    if (scheme.in === 'cookie') return `\`Cookie: ${param}=${prefix ?? ''}<value>\``;
    if (scheme.in === 'query') return `\`?${param}=${prefix ?? ''}<key>\``;
    const raw = prefix === '' ? ' (the raw key, no scheme word)' : '';
    return `\`${param}: ${prefix ?? ''}<key>\`${raw}`;
  }
  if (type === 'http') {
    const s = String(scheme.scheme ?? '').toLowerCase();
    if (s === 'bearer') return `\`Authorization: ${prefix ?? 'Bearer '}<token>\``;
    if (s === 'basic') return '`Authorization: Basic <base64(user:password)>`';
    return `\`Authorization: ${prefix ?? `${scheme.scheme ?? ''} `}<credential>\``;
  }
  return `${type || 'scheme'} \`${name}\``;
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
