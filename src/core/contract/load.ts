import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '@redocly/openapi-core';
import { SpecError } from '../errors.ts';
import type { ApiEntry } from './discover.ts';
import { formatLocation, withLine, yamlErrorLocation } from './location.ts';
import {
  HTTP_METHODS,
  type CredentialClass,
  type AuthContract,
  type ClassExpectation,

  type Contract,
  type HeaderModel,
  type JsonObject,
  type MediaTypeModel,
  type OperationModel,
  type OwnedBy,
  type ParameterModel,
  type ResponseModel,
  type ServerModel,
} from './model.ts';
import { escapePointerFragment, isObject, resolveLocal } from './pointer.ts';
import { buildSourceMap, type SourceMap } from './source-map.ts';
import { entryStatuses, isSecuredBy, mergeAuthContract, readSecurityRequirements, readSecuritySchemes } from '../auth/index.ts';

let bundleConfig: Promise<Config> | undefined;

/**
 * The compiled package carries each of its own contracts bundled at build time (`npm run build`
 * writes dist/contracts/<api>.openapi.json from specs/), so that reading a contract there needs neither the
 * bundler nor its dependencies: library users install only what validation needs. Run from the
 * sources (a checkout, where specs are edited), contracts are always bundled afresh.
 */
const COMPILED = fileURLToPath(import.meta.url).endsWith('.js');
const PREBUILT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../contracts');

function prebuiltBundle(entry: ApiEntry): JsonObject | undefined {
  if (!COMPILED) return undefined;
  const file = path.join(PREBUILT_DIR, `${entry.name}.openapi.json`);
  const manifest = path.join(PREBUILT_DIR, 'manifest.json');
  if (!fs.existsSync(file) || !fs.existsSync(manifest)) return undefined;
  // Only the package's own spec of that name: a user's file under the same name is bundled as usual.
  const roots = JSON.parse(fs.readFileSync(manifest, 'utf8')) as Record<string, string>;
  if (roots[entry.name] === undefined || path.resolve(PREBUILT_DIR, roots[entry.name]!) !== path.resolve(entry.rootFile)) return undefined;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as JsonObject;
}

/** Bundles the API's split files into one document with @redocly/openapi-core. */
export async function bundleApi(entry: ApiEntry): Promise<JsonObject> {
  if (!fs.existsSync(entry.rootFile)) throw new SpecError(`${entry.rootFile}: file not found`);
  const prebuilt = prebuiltBundle(entry);
  if (prebuilt) return prebuilt;
  const { bundle, createConfig } = await importBundler();
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

/** The bundler, loaded when a contract has to be bundled (it is the CLI's, not the library's). */
async function importBundler(): Promise<typeof import('@redocly/openapi-core')> {
  try {
    return await import('@redocly/openapi-core');
  } catch (e) {
    if ((e as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw e;
    throw new SpecError(
      'reading an OpenAPI file other than the bundled contracts needs @redocly/openapi-core, which comes with the command-line tools: npm install --save-dev security-api-contracts-cli',
    );
  }
}

const contracts = new Map<string, Promise<Contract>>();

/** The one way every command gets a contract. Loaded once per API name, root file and process. */
export function loadContract(entry: ApiEntry): Promise<Contract> {
  // Keyed by name and file: the same file loaded under another name (a path, then the API's folder
  // name) is another contract as far as reports and mocks are concerned.
  const key = `${entry.name}\u0000${entry.rootFile}`;
  let pending = contracts.get(key);
  if (!pending) {
    pending = buildContract(entry);
    contracts.set(key, pending);
    pending.catch(() => contracts.delete(key));
  }
  return pending;
}

async function buildContract(entry: ApiEntry): Promise<Contract> {
  const document = await bundleApi(entry);
  const sourceMap = buildSourceMap(entry.rootFile, document);
  const info = isObject(document.info) ? document.info : {};
  const securitySchemes = readSecuritySchemes(document);
  const operations: OperationModel[] = [];
  const paths = isObject(document.paths) ? document.paths : {};
  for (const [pathTemplate, rawItem] of Object.entries(paths)) {
    const itemPointer = `#/paths/${escapePointerFragment(pathTemplate)}`;
    const { node: item, pointer: resolvedItemPointer } = resolveLocal(document, rawItem, itemPointer);
    if (!isObject(item)) continue;
    const trailingSlash = readTrailingSlash(item['x-trailing-slash'] ?? document['x-trailing-slash']);
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      const opPointer = `${resolvedItemPointer}/${method}`;
      const security = readSecurityRequirements(op.security ?? document.security);
      operations.push({
        id: typeof op.operationId === 'string' ? op.operationId : `${method.toUpperCase()} ${pathTemplate}`,
        method,
        path: pathTemplate,
        summary: typeof op.summary === 'string' ? op.summary : undefined,
        tags: Array.isArray(op.tags) ? op.tags.filter((t): t is string => typeof t === 'string') : [],
        apiVersion: typeof op['x-api-version'] === 'string' ? op['x-api-version'] : undefined,
        requiredRole: typeof op['x-required-role'] === 'string' ? op['x-required-role'] : undefined,
        safe: op['x-safe'] === true,
        ownedBy: readOwnedBy(op['x-owned-by']),
        security,
        authContract: readAuthContract(document, op, opPointer, isSecuredBy(security), sourceMap),
        parameters: readParameters(document, item, op, resolvedItemPointer, opPointer),
        requestBody: readRequestBody(document, op.requestBody, `${opPointer}/requestBody`),
        responses: readResponses(document, op.responses, `${opPointer}/responses`, sourceMap),
        pointer: opPointer,
        source: sourceMap.locate(opPointer),
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
    sourceMap,
    securitySchemes,
    operations,
    servers: readServers(document),
    trailingSlash: readTrailingSlash(document['x-trailing-slash']),
  };
}

/** `x-owned-by: {owner: username}` or `{object: device_id}`; anything else (lint reports it) → undefined. */
export function readOwnedBy(raw: unknown): OwnedBy | undefined {
  if (!isObject(raw)) return undefined;
  const keys = Object.keys(raw);
  if (keys.length !== 1) return undefined;
  const names = keys[0];
  const parameter = raw[names!];
  if ((names !== 'owner' && names !== 'object') || typeof parameter !== 'string' || parameter === '') return undefined;
  return { parameter, names };
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
 * The operation's effective `x-auth-contract`, by the one merge rule (src/core/auth/contract.ts),
 * each class entry located where it is written (the operation's override or the document default).
 */
function readAuthContract(doc: JsonObject, op: JsonObject, opPointer: string, secured: boolean, sourceMap: SourceMap): AuthContract | undefined {
  const merged = mergeAuthContract(doc['x-auth-contract'], op['x-auth-contract'], secured);
  if (!merged) return undefined;
  const classes: AuthContract['classes'] = {};
  for (const [cls, entry] of Object.entries(merged.classes) as Array<[CredentialClass, NonNullable<(typeof merged.classes)[CredentialClass]>]>) {
    const pointer = entry.from === 'operation' ? `${opPointer}/x-auth-contract/classes/${cls}` : `#/x-auth-contract/classes/${cls}`;
    classes[cls] = readExpectation(entry.raw, entry.from, pointer, sourceMap);
  }
  return { scheme: merged.scheme, classes };
}

function readExpectation(raw: JsonObject, from: ClassExpectation['from'], pointer: string, sourceMap: SourceMap): ClassExpectation {
  const www = raw.wwwAuthenticate;
  return {
    applies: raw.applies !== false,
    reason: typeof raw.reason === 'string' ? raw.reason : undefined,
    statuses: entryStatuses(raw),
    body: raw.body,
    hasBody: 'body' in raw,
    bodySchemaPointer: isObject(raw.bodySchema) ? `${pointer}/bodySchema` : undefined,
    wwwAuthenticate: www === 'required' || www === 'forbidden' ? www : 'any',
    scheme: typeof raw.scheme === 'string' ? raw.scheme : undefined,
    sameAsMissing: typeof raw.sameAsMissing === 'boolean' ? raw.sameAsMissing : undefined,
    inferred: raw.inferred === true,
    from,
    pointer,
    source: sourceMap.locate(pointer),
  };
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
        pointer,
        noProducer: typeof node['x-no-producer'] === 'string' ? node['x-no-producer'] : undefined,
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
      namedExamples: namedExamples(doc, media),
    };
  });
}

function readRequestBody(doc: JsonObject, raw: unknown, pointer: string): OperationModel['requestBody'] {
  if (raw === undefined) return undefined;
  const { node, pointer: resolved } = resolveLocal(doc, raw, pointer);
  if (!isObject(node)) return undefined;
  return { required: node.required === true, content: readContent(doc, node.content, `${resolved}/content`) };
}

function readResponses(doc: JsonObject, raw: unknown, pointer: string, sourceMap: SourceMap): ResponseModel[] {
  if (!isObject(raw)) return [];
  const out: ResponseModel[] = [];
  for (const [status, value] of Object.entries(raw)) {
    const declaredAt = `${pointer}/${escapePointerFragment(status)}`;
    const { node, pointer: resolved } = resolveLocal(doc, value, declaredAt);
    if (!isObject(node)) continue;
    out.push({
      status,
      description: typeof node.description === 'string' ? node.description : '',
      content: readContent(doc, node.content, `${resolved}/content`),
      headers: readHeaders(doc, node.headers, `${resolved}/headers`),
      pointer: resolved,
      // Where the operation declares it (a shared response is located at the operation's reference).
      source: sourceMap.locate(declaredAt),
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
  const values: unknown[] = 'example' in holder ? [holder.example] : [];
  return [...values, ...namedExamples(doc, holder).map((e) => e.value)];
}

/** The entries of `examples` that hold a value, with their names (`$ref`s to components/examples resolved). */
function namedExamples(doc: JsonObject, holder: JsonObject): { name: string; value: unknown }[] {
  if (!isObject(holder.examples)) return [];
  const out: { name: string; value: unknown }[] = [];
  for (const [name, raw] of Object.entries(holder.examples)) {
    const { node } = resolveLocal(doc, raw, '');
    if (isObject(node) && 'value' in node) out.push({ name, value: node.value });
  }
  return out;
}


function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n').filter(Boolean).slice(0, 3).join(' ');
}
