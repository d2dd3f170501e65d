import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { bundle, createConfig, escapePointerFragment, type Config } from '@redocly/openapi-core';
import { SpecError } from '../errors.ts';
import type { ApiEntry } from './discover.ts';
import { formatLocation, withLine, yamlErrorLocation, type SourceLocation } from './location.ts';
import {
  CREDENTIAL_CLASSES,
  HTTP_METHODS,
  type AuthContract,
  type ClassExpectation,

  type Contract,
  type HeaderModel,
  type JsonObject,
  type MediaTypeModel,
  type OperationModel,
  type ParameterModel,
  type ResponseModel,
  type SecurityRequirement,
  type SecurityScheme,
  type ServerModel,
} from './model.ts';
import { isObject, resolveLocal } from './pointer.ts';

let bundleConfig: Promise<Config> | undefined;

/** Bundles the API's split files into one document with @redocly/openapi-core. */
export async function bundleApi(entry: ApiEntry): Promise<JsonObject> {
  if (!fs.existsSync(entry.rootFile)) throw new SpecError(`${entry.rootFile}: file not found`);
  bundleConfig ??= createConfig({});
  let result;
  try {
    result = await bundle({ ref: entry.rootFile, config: await bundleConfig, dereference: false });
  } catch (err) {
    const yaml = yamlErrorLocation(oneLine(err));
    throw new SpecError(yaml ? `${formatLocation(yaml.location)}: ${yaml.reason}` : `${entry.rootFile}: ${oneLine(err)}`);
  }
  const errors = result.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    const lines = await Promise.all(
      errors.map(async (p) => {
        const yaml = yamlErrorLocation(p.message);
        if (yaml) return `${formatLocation(yaml.location)}: ${yaml.reason}`;
        const loc = p.location[0];
        const where = loc
          ? formatLocation(await withLine({ file: loc.source.absoluteRef, pointer: loc.pointer ?? '#/' }))
          : entry.rootFile;
        return `${where}: ${p.message}`;
      }),
    );
    throw new SpecError(`cannot load API '${entry.name}':\n  ${lines.join('\n  ')}`);
  }
  const doc = result.bundle.parsed as unknown;
  if (!isObject(doc) || typeof doc.openapi !== 'string') {
    throw new SpecError(`${entry.rootFile} #/openapi: not an OpenAPI document (no 'openapi' field)`);
  }
  return doc;
}

const contracts = new Map<string, Promise<Contract>>();

/** The one way every command gets a contract. Loaded once per root file and process. */
export function loadContract(entry: ApiEntry): Promise<Contract> {
  let pending = contracts.get(entry.rootFile);
  if (!pending) {
    pending = buildContract(entry);
    contracts.set(entry.rootFile, pending);
    pending.catch(() => contracts.delete(entry.rootFile));
  }
  return pending;
}

async function buildContract(entry: ApiEntry): Promise<Contract> {
  const document = await bundleApi(entry);
  const sourcePaths = pathItemSources(entry.rootFile);
  const info = isObject(document.info) ? document.info : {};
  const securitySchemes = readSecuritySchemes(document);
  const operations: OperationModel[] = [];
  const paths = isObject(document.paths) ? document.paths : {};
  for (const [pathTemplate, rawItem] of Object.entries(paths)) {
    const itemPointer = `#/paths/${escapePointerFragment(pathTemplate)}`;
    const { node: item, pointer: resolvedItemPointer } = resolveLocal(document, rawItem, itemPointer);
    if (!isObject(item)) continue;
    const trailingSlash = readTrailingSlash(item['x-trailing-slash'] ?? document['x-trailing-slash']);
    const itemSource = sourcePaths.get(pathTemplate) ?? {
      file: entry.rootFile,
      pointer: itemPointer,
    };
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      const opPointer = `${resolvedItemPointer}/${method}`;
      const source = await withLine({ file: itemSource.file, pointer: `${itemSource.pointer}/${method}` });
      operations.push({
        id: typeof op.operationId === 'string' ? op.operationId : `${method.toUpperCase()} ${pathTemplate}`,
        method,
        path: pathTemplate,
        summary: typeof op.summary === 'string' ? op.summary : undefined,
        tags: Array.isArray(op.tags) ? op.tags.filter((t): t is string => typeof t === 'string') : [],
        apiVersion: typeof op['x-api-version'] === 'string' ? op['x-api-version'] : undefined,
        requiredRole: typeof op['x-required-role'] === 'string' ? op['x-required-role'] : undefined,
        safe: op['x-safe'] === true,
        security: readSecurity(op.security ?? document.security),
        authContract: await readAuthContract(document, op, opPointer, entry.rootFile, source),
        parameters: readParameters(document, item, op, resolvedItemPointer, opPointer),
        requestBody: readRequestBody(document, op.requestBody, `${opPointer}/requestBody`),
        responses: await readResponses(document, op.responses, `${opPointer}/responses`, source),
        pointer: opPointer,
        source,
        trailingSlash,
      });
    }
  }
  return {
    api: entry.name,
    rootFile: entry.rootFile,
    title: typeof info.title === 'string' ? info.title : entry.name,
    version: typeof info.version === 'string' ? info.version : '0.0.0',
    document,
    securitySchemes,
    operations,
    servers: readServers(document),
    trailingSlash: readTrailingSlash(document['x-trailing-slash']),
  };
}

/** `x-trailing-slash: optional` → 'optional'; anything else (absent, `exact`) → undefined. */
function readTrailingSlash(raw: unknown): 'optional' | undefined {
  return raw === 'optional' ? 'optional' : undefined;
}

/** Each server's URL and the path prefix it puts before the contract's paths (variables kept as written). */
function readServers(doc: JsonObject): ServerModel[] {
  const servers = Array.isArray(doc.servers) ? doc.servers.filter(isObject) : [];
  return servers
    .filter((s) => typeof s.url === 'string')
    .map((s) => {
      const url = s.url as string;
      const afterHost = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
      const basePath = afterHost.split(/[?#]/)[0]!.replace(/\/+$/, '');
      return { url, basePath, description: typeof s.description === 'string' ? s.description : undefined };
    });
}

/**
 * For each path of the root document: the file and pointer where its path item is written, so that
 * findings point into the hand-written file rather than into the bundle.
 */
function pathItemSources(rootFile: string): Map<string, SourceLocation> {
  const out = new Map<string, SourceLocation>();
  let root: unknown;
  try {
    root = YAML.parse(fs.readFileSync(rootFile, 'utf8'));
  } catch {
    return out; // the bundler already reported the parse error
  }
  const paths = isObject(root) && isObject(root.paths) ? root.paths : {};
  for (const [p, item] of Object.entries(paths)) {
    const ref = isObject(item) && typeof item.$ref === 'string' ? item.$ref : undefined;
    if (ref && !ref.startsWith('#')) {
      const [file = '', fragment = ''] = ref.split('#');
      out.set(p, { file: path.resolve(path.dirname(rootFile), file), pointer: `#${fragment}` });
    } else {
      out.set(p, { file: rootFile, pointer: `#/paths/${escapePointerFragment(p)}` });
    }
  }
  return out;
}

function readSecuritySchemes(doc: JsonObject): Record<string, SecurityScheme> {
  const components = isObject(doc.components) ? doc.components : {};
  const schemes = isObject(components.securitySchemes) ? components.securitySchemes : {};
  const out: Record<string, SecurityScheme> = {};
  for (const [name, raw] of Object.entries(schemes)) {
    const { node } = resolveLocal(doc, raw, `#/components/securitySchemes/${escapePointerFragment(name)}`);
    if (!isObject(node)) continue;
    const type = String(node.type ?? '');
    const httpScheme = typeof node.scheme === 'string' ? node.scheme : undefined;
    const defaultPrefix = type === 'http' && httpScheme?.toLowerCase() === 'bearer' ? 'Bearer ' : '';
    out[name] = {
      name,
      type,
      in: typeof node.in === 'string' ? node.in : type === 'http' ? 'header' : undefined,
      paramName: typeof node.name === 'string' ? node.name : type === 'http' ? 'Authorization' : undefined,
      scheme: httpScheme,
      prefix: typeof node['x-scheme-prefix'] === 'string' ? node['x-scheme-prefix'] : defaultPrefix,
      tokenPattern: typeof node['x-token-pattern'] === 'string' ? node['x-token-pattern'] : undefined,
    };
  }
  return out;
}

/**
 * The operation's effective `x-auth-contract`: the document's classes, each replaced by the
 * operation's entry for that class when it has one. Undefined when neither says anything.
 */
async function readAuthContract(
  doc: JsonObject,
  op: JsonObject,
  opPointer: string,
  rootFile: string,
  opSource: SourceLocation,
): Promise<AuthContract | undefined> {
  const base = isObject(doc['x-auth-contract']) ? doc['x-auth-contract'] : undefined;
  const own = isObject(op['x-auth-contract']) ? op['x-auth-contract'] : undefined;
  if (!base && !own) return undefined;
  const classes: AuthContract['classes'] = {};
  for (const cls of CREDENTIAL_CLASSES) {
    const fromOp = own && isObject(own.classes) ? own.classes[cls] : undefined;
    const fromDoc = base && isObject(base.classes) ? base.classes[cls] : undefined;
    const raw = isObject(fromOp) ? fromOp : isObject(fromDoc) ? fromDoc : undefined;
    if (!raw) continue;
    const where = isObject(fromOp)
      ? { pointer: `${opPointer}/x-auth-contract/classes/${cls}`, source: { file: opSource.file, pointer: `${opSource.pointer}/x-auth-contract/classes/${cls}` } }
      : { pointer: `#/x-auth-contract/classes/${cls}`, source: { file: rootFile, pointer: `#/x-auth-contract/classes/${cls}` } };
    classes[cls] = await readExpectation(raw, where.pointer, where.source);
  }
  const scheme = typeof own?.scheme === 'string' ? own.scheme : typeof base?.scheme === 'string' ? base.scheme : undefined;
  return { scheme, classes };
}

async function readExpectation(raw: JsonObject, pointer: string, source: SourceLocation): Promise<ClassExpectation> {
  const status = raw.status;
  const statuses = (Array.isArray(status) ? status : status === undefined ? [] : [status]).map(String);
  const www = raw.wwwAuthenticate;
  return {
    applies: raw.applies !== false,
    reason: typeof raw.reason === 'string' ? raw.reason : undefined,
    statuses,
    body: raw.body,
    hasBody: 'body' in raw,
    bodySchemaPointer: isObject(raw.bodySchema) ? `${pointer}/bodySchema` : undefined,
    wwwAuthenticate: www === 'required' || www === 'forbidden' ? www : 'any',
    inferred: raw.inferred === true,
    source: await withLine(source),
  };
}


function readSecurity(raw: unknown): SecurityRequirement[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isObject).map((alt) => Object.keys(alt));
}

function readParameters(
  doc: JsonObject,
  item: JsonObject,
  op: JsonObject,
  itemPointer: string,
  opPointer: string,
): ParameterModel[] {
  const byKey = new Map<string, ParameterModel>();
  const collect = (list: unknown, listPointer: string) => {
    if (!Array.isArray(list)) return;
    list.forEach((raw, i) => {
      const { node, pointer } = resolveLocal(doc, raw, `${listPointer}/${i}`);
      if (!isObject(node) || typeof node.name !== 'string' || typeof node.in !== 'string') return;
      const schema = isObject(node.schema) ? node.schema : undefined;
      const examples = namedExampleValues(doc, node);
      // An operation-level parameter overrides a path-level one with the same name and location.
      byKey.set(`${node.in}:${node.name}`, {
        name: node.name,
        in: node.in as ParameterModel['in'],
        required: node.required === true || node.in === 'path',
        // OpenAPI: only the form style (the default for query and cookie) explodes by default.
        explode: typeof node.explode === 'boolean' ? node.explode : (node.style ?? (node.in === 'query' || node.in === 'cookie' ? 'form' : 'simple')) === 'form',
        schemaPointer: schema ? `${pointer}/schema` : undefined,
        schema,
        example: examples[0],
        examples,
      });
    });
  };
  collect(item.parameters, `${itemPointer}/parameters`);
  collect(op.parameters, `${opPointer}/parameters`);
  return [...byKey.values()];
}

function readContent(doc: JsonObject, content: unknown, pointer: string): MediaTypeModel[] {
  if (!isObject(content)) return [];
  return Object.entries(content).map(([mediaType, raw]) => {
    const mtPointer = `${pointer}/${escapePointerFragment(mediaType)}`;
    const media = isObject(raw) ? raw : {};
    const schema = isObject(media.schema) ? media.schema : undefined;
    return {
      mediaType,
      schemaPointer: schema ? `${mtPointer}/schema` : undefined,
      schema,
      examples: namedExampleValues(doc, media),
    };
  });
}

function readRequestBody(doc: JsonObject, raw: unknown, pointer: string): OperationModel['requestBody'] {
  if (raw === undefined) return undefined;
  const { node, pointer: resolved } = resolveLocal(doc, raw, pointer);
  if (!isObject(node)) return undefined;
  return { required: node.required === true, content: readContent(doc, node.content, `${resolved}/content`) };
}

async function readResponses(
  doc: JsonObject,
  raw: unknown,
  pointer: string,
  opSource: SourceLocation,
): Promise<ResponseModel[]> {
  if (!isObject(raw)) return [];
  const out: ResponseModel[] = [];
  for (const [status, value] of Object.entries(raw)) {
    const key = escapePointerFragment(status);
    const { node, pointer: resolved } = resolveLocal(doc, value, `${pointer}/${key}`);
    if (!isObject(node)) continue;
    out.push({
      status,
      description: typeof node.description === 'string' ? node.description : '',
      content: readContent(doc, node.content, `${resolved}/content`),
      headers: readHeaders(doc, node.headers, `${resolved}/headers`),
      source: await withLine({ file: opSource.file, pointer: `${opSource.pointer}/responses/${key}` }),
    });
  }
  return out;
}

function readHeaders(doc: JsonObject, raw: unknown, pointer: string): HeaderModel[] {
  if (!isObject(raw)) return [];
  return Object.entries(raw).map(([name, value]) => {
    const { node, pointer: resolved } = resolveLocal(doc, value, `${pointer}/${escapePointerFragment(name)}`);
    const header = isObject(node) ? node : {};
    return {
      name,
      required: header.required === true,
      schemaPointer: isObject(header.schema) ? `${resolved}/schema` : undefined,
    };
  });
}

/** `example` first, then every entry of `examples` (resolving `$ref`s to components/examples). */
function namedExampleValues(doc: JsonObject, holder: JsonObject): unknown[] {
  const values: unknown[] = [];
  if ('example' in holder) values.push(holder.example);
  if (isObject(holder.examples)) {
    for (const raw of Object.values(holder.examples)) {
      const { node } = resolveLocal(doc, raw, '');
      if (isObject(node) && 'value' in node) values.push(node.value);
    }
  }
  return values;
}


function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n').filter(Boolean).slice(0, 3).join(' ');
}
