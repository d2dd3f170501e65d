import type { SourceLocation } from './location.ts';
import { changesState, type Contract, type JsonObject, type OperationModel, type ParameterModel, type ResponseModel } from './model.ts';
import { escapePointerFragment, getByPointer, isObject, resolveLocal, unescapePointerFragment } from './pointer.ts';
import { isJsonMediaType } from './responses.ts';

/**
 * Which operation yields the values another operation takes: OpenAPI `links` written on responses,
 * and, where none is written, links inferred from names and schemas. The runner's discovery phase,
 * its workflows and lint's producer rule all read links from here, and nowhere else.
 */

/** Where a link takes a parameter's value from (an OpenAPI runtime expression, parsed). */
export type ValueSource =
  | { kind: 'response-body'; pointer: string }
  | { kind: 'response-header'; name: string }
  | { kind: 'request-path'; name: string }
  | { kind: 'request-query'; name: string }
  | { kind: 'request-body'; pointer: string }
  | { kind: 'constant'; value: unknown };

export interface LinkParameter {
  /** Parameter of the consumer the value is for. */
  name: string;
  source: ValueSource;
  /** As written (`$response.body#/0/id`) or as the inference would write it. */
  expression: string;
}

export interface LinkModel {
  /** The link's key as written, or `inferred:<parameter>` for an inferred one. */
  name: string;
  producer: { operationId: string; status: string };
  consumer: string;
  parameters: LinkParameter[];
  origin: 'written' | 'inferred';
  /** For an inferred link: what it was inferred from, in words. */
  reason?: string;
  /** The link object's pointer (written), or the producer response's (inferred). */
  pointer: string;
  source: SourceLocation;
}

/** Parses an OpenAPI runtime expression; undefined for one the runner cannot evaluate. */
export function parseRuntimeExpression(expression: unknown): ValueSource | undefined {
  if (typeof expression !== 'string') return { kind: 'constant', value: expression };
  if (!expression.startsWith('$')) return { kind: 'constant', value: expression };
  let m = /^\$response\.body(?:#(.*))?$/.exec(expression);
  if (m) return { kind: 'response-body', pointer: m[1] ?? '' };
  m = /^\$response\.header\.(.+)$/.exec(expression);
  if (m) return { kind: 'response-header', name: m[1]!.toLowerCase() };
  m = /^\$request\.path\.(.+)$/.exec(expression);
  if (m) return { kind: 'request-path', name: m[1]! };
  m = /^\$request\.query\.(.+)$/.exec(expression);
  if (m) return { kind: 'request-query', name: m[1]! };
  m = /^\$request\.body(?:#(.*))?$/.exec(expression);
  if (m) return { kind: 'request-body', pointer: m[1] ?? '' };
  return undefined;
}

/** What an exchange with the producer offers a link to read values from. */
export interface ProducedExchange {
  responseBody: unknown;
  responseHeaders: Record<string, string>;
  requestPath: Record<string, unknown>;
  requestQuery: Record<string, unknown>;
  requestBody?: unknown;
}

/**
 * The values a link parameter takes from one exchange. A pointer that passes through an array at
 * index 0 (`/0/id`) reads every item of that array, first one first: a link written on a list
 * names each listed object, not only the first.
 */
export function valuesOf(source: ValueSource, exchange: ProducedExchange): unknown[] {
  switch (source.kind) {
    case 'constant':
      return [source.value];
    case 'response-body':
      return everyItem(exchange.responseBody, source.pointer);
    case 'request-body':
      return everyItem(exchange.requestBody, source.pointer);
    case 'response-header': {
      const v = exchange.responseHeaders[source.name];
      return v === undefined ? [] : [v];
    }
    case 'request-path':
      return source.name in exchange.requestPath ? [exchange.requestPath[source.name]] : [];
    case 'request-query':
      return source.name in exchange.requestQuery ? [exchange.requestQuery[source.name]] : [];
  }
}

function everyItem(root: unknown, pointer: string): unknown[] {
  const parts = pointer.split('/').slice(1).map(unescapePointerFragment);
  let nodes: unknown[] = [root];
  for (const part of parts) {
    const next: unknown[] = [];
    for (const node of nodes) {
      if (Array.isArray(node)) {
        if (part === '0') next.push(...node);
        else if (/^\d+$/.test(part) && Number(part) < node.length) next.push(node[Number(part)]);
      } else if (isObject(node) && part in node) next.push(node[part]);
    }
    nodes = next;
  }
  return nodes.filter((v) => v !== undefined && v !== null && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'));
}

interface LinkIndex {
  all: LinkModel[];
  byConsumer: Map<string, LinkModel[]>;
  byProducer: Map<string, LinkModel[]>;
}

const cache = new WeakMap<Contract, LinkIndex>();

/** Built once per contract: every link, and the links by consumer and by producer (the runner asks per answer). */
function index(contract: Contract): LinkIndex {
  let found = cache.get(contract);
  if (!found) {
    const written = writtenLinks(contract);
    const all = [...written, ...inferredLinks(contract, written)];
    const group = (key: (l: LinkModel) => string) => {
      const map = new Map<string, LinkModel[]>();
      for (const l of all) map.set(key(l), [...(map.get(key(l)) ?? []), l]);
      return map;
    };
    found = { all, byConsumer: group((l) => l.consumer), byProducer: group((l) => l.producer.operationId) };
    cache.set(contract, found);
  }
  return found;
}

/** Every link of the contract: the written ones, then inferred ones for parameters no written link feeds. */
export function contractLinks(contract: Contract): LinkModel[] {
  return index(contract).all;
}

/** Links that feed the consumer operation (written first). */
export function linksInto(contract: Contract, consumer: OperationModel): LinkModel[] {
  return index(contract).byConsumer.get(consumer.id) ?? [];
}

/** Links out of one of the producer's responses. */
export function linksFrom(contract: Contract, producer: OperationModel, status?: string): LinkModel[] {
  const out = index(contract).byProducer.get(producer.id) ?? [];
  return status === undefined ? out : out.filter((l) => l.producer.status === status);
}

export interface UnproducedParameter {
  operation: OperationModel;
  parameter: ParameterModel;
}

/**
 * Path parameters no link (written or inferred) gives a value to and which carry no `x-no-producer`
 * reason: a runner against a server whose data it does not know can only guess them.
 */
export function unproducedPathParameters(contract: Contract): UnproducedParameter[] {
  const out: UnproducedParameter[] = [];
  for (const op of contract.operations) {
    const fed = new Set(linksInto(contract, op).flatMap((l) => l.parameters.map((p) => p.name)));
    for (const p of op.parameters) {
      if (p.in === 'path' && !fed.has(p.name) && !p.noProducer) out.push({ operation: op, parameter: p });
    }
  }
  return out;
}

function writtenLinks(contract: Contract): LinkModel[] {
  const byPointer = new Map(contract.operations.map((op) => [op.pointer, op]));
  const byId = new Map(contract.operations.map((op) => [op.id, op]));
  const out: LinkModel[] = [];
  for (const op of contract.operations) {
    for (const response of op.responses) {
      const node = getByPointer(contract.document, response.pointer);
      if (!isObject(node) || !isObject(node.links)) continue;
      for (const [name, raw] of Object.entries(node.links)) {
        const declaredAt = `${response.pointer}/links/${escapePointerFragment(name)}`;
        const { node: link, pointer } = resolveLocal(contract.document, raw, declaredAt);
        if (!isObject(link)) continue;
        // A link to another contract's operation (an `operationRef` to another file) feeds nothing here.
        const target =
          typeof link.operationId === 'string'
            ? byId.get(link.operationId)
            : typeof link.operationRef === 'string' && link.operationRef.startsWith('#')
              ? byPointer.get(link.operationRef)
              : undefined;
        if (!target) continue;
        const parameters: LinkParameter[] = [];
        for (const [key, expression] of Object.entries(isObject(link.parameters) ? link.parameters : {})) {
          const source = parseRuntimeExpression(expression);
          // `path.id` names the parameter's location; a bare name is the parameter with that name.
          const name = key.replace(/^(path|query|header|cookie)\./, '');
          if (source) parameters.push({ name, source, expression: String(expression) });
        }
        out.push({
          name,
          producer: { operationId: op.id, status: response.status },
          consumer: target.id,
          parameters,
          origin: 'written',
          pointer,
          source: contract.sourceMap.locate(pointer),
        });
      }
    }
  }
  return out;
}

/** Names of the fields that hold an object's own identifier, most specific last. */
const ID_FIELDS = ['id', 'pk', 'uuid', 'UUID', '_id'];

/**
 * Inference, in the order a reader would guess: a path parameter `{p}` after `/collection` is fed by
 * the collection's list (or the creation's answer) through a field named `p`, else its id field;
 * failing that, by any list anywhere whose items carry a field named `p` (`username` from the users
 * list feeds `/device/user/{username}`). Other path parameters the producer shares with the
 * consumer are passed through from the producer's own request.
 */
function inferredLinks(contract: Contract, written: readonly LinkModel[]): LinkModel[] {
  const out: LinkModel[] = [];
  for (const consumer of contract.operations) {
    const fed = new Set(written.filter((l) => l.consumer === consumer.id).flatMap((l) => l.parameters.map((p) => p.name)));
    const pathParams = consumer.parameters.filter((p) => p.in === 'path');
    for (const param of pathParams) {
      // A parameter the contract says nothing yields (`x-no-producer`) is not guessed at either.
      if (param.noProducer) continue;
      const found = fed.has(param.name) ? undefined : (collectionProducer(contract, consumer, param, 'read') ?? namedFieldProducer(contract, consumer, param));
      if (found) out.push(inferredLink(consumer, param, pathParams, found));
      // The creation's answer feeds the created object's routes too: the runner's workflows follow it.
      const creation = collectionProducer(contract, consumer, param, 'creation');
      const creationWritten = written.some((l) => l.consumer === consumer.id && l.producer.operationId === creation?.producer.id);
      if (creation && !creationWritten) out.push(inferredLink(consumer, param, pathParams, creation));
    }
  }
  return out;
}

function inferredLink(consumer: OperationModel, param: ParameterModel, pathParams: readonly ParameterModel[], found: Found): LinkModel {
  const shared = pathParams
    .filter((q) => q.name !== param.name && found.producer.parameters.some((pp) => pp.in === 'path' && pp.name === q.name))
    .map((q) => ({ name: q.name, source: { kind: 'request-path', name: q.name } as ValueSource, expression: `$request.path.${q.name}` }));
  return {
    name: `inferred:${param.name}`,
    producer: { operationId: found.producer.id, status: found.response.status },
    consumer: consumer.id,
    parameters: [{ name: param.name, source: { kind: 'response-body', pointer: found.pointer }, expression: `$response.body#${found.pointer}` }, ...shared],
    origin: 'inferred',
    reason: found.reason,
    pointer: found.response.pointer,
    source: found.response.source,
  };
}

interface Found {
  producer: OperationModel;
  response: ResponseModel;
  pointer: string;
  reason: string;
}

/** Reads that yield objects without changing anything: GETs, and POST searches marked `x-safe`. */
function isProducingRead(op: OperationModel): boolean {
  return !changesState(op);
}

/** A creation: a POST that is not a search (its answer describes the object it made). */
export function isCreation(op: OperationModel): boolean {
  return op.method === 'post' && !op.safe;
}

function collectionProducer(contract: Contract, consumer: OperationModel, param: ParameterModel, kind: 'read' | 'creation'): Found | undefined {
  const at = consumer.path.indexOf(`/{${param.name}}`);
  if (at <= 0) return undefined;
  const collection = consumer.path.slice(0, at);
  // Services that route with a trailing slash list at `/things/` and read at `/things/{pk}/`.
  const candidates = contract.operations.filter(
    (op) => (op.path === collection || op.path === `${collection}/`) && op.id !== consumer.id && (kind === 'read' ? isProducingRead(op) : isCreation(op)),
  );
  for (const producer of candidates) {
    const fallbacks = isIdentifierName(param.name) ? ID_FIELDS : /name$/i.test(param.name) ? ['name'] : [];
    for (const field of [param.name, ...fallbacks]) {
      const hit = fieldInSuccess(contract, producer, field);
      if (hit) return { producer, ...hit, reason: `'${param.name}' follows ${collection}; its ${producer.method.toUpperCase()} answer carries '${field}'` };
    }
  }
  return undefined;
}

/** `id`, `pk`, `device_id`, `deviceId`, `UUID`: a name that says "the identifier of something". */
function isIdentifierName(name: string): boolean {
  return /^(id|pk|uuid)$/i.test(name) || /(_id|Id|ID|_pk|Uuid|UUID)$/.test(name);
}

/** Too generic to tie a parameter to a list elsewhere by name alone: every list has an `id`. */
const GENERIC_NAMES = new Set(['id', 'pk', 'uuid', 'name', 'key', 'key_id', '_id']);

function namedFieldProducer(contract: Contract, consumer: OperationModel, param: ParameterModel): Found | undefined {
  if (GENERIC_NAMES.has(param.name.toLowerCase())) return undefined;
  const spellings = new Set([param.name, snakeToCamel(param.name), camelToSnake(param.name)]);
  const found: Found[] = [];
  for (const producer of contract.operations) {
    if (producer.id === consumer.id || !isProducingRead(producer) || producer.parameters.some((p) => p.in === 'path')) continue;
    for (const field of spellings) {
      const hit = fieldInSuccess(contract, producer, field);
      if (hit) found.push({ producer, ...hit, reason: `${producer.method.toUpperCase()} ${producer.path} lists objects with a '${field}' field` });
    }
  }
  // A list names many objects; a single object (the caller's own session) only one.
  return found.find((f) => f.pointer.includes('/0/')) ?? found[0];
}

const snakeToCamel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const camelToSnake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Where, in one of the producer's JSON 2xx bodies, a scalar field of that name sits (`/id`, `/0/id`, `/data/0/id`). */
function fieldInSuccess(contract: Contract, producer: OperationModel, field: string): { response: ResponseModel; pointer: string } | undefined {
  for (const response of producer.responses) {
    if (!/^2\d\d$/.test(response.status)) continue;
    for (const media of response.content) {
      if (!isJsonMediaType(media.mediaType) || !media.schema) continue;
      const pointer = findField(contract.document, media.schema, field, 0);
      if (pointer !== undefined) return { response, pointer };
    }
  }
  return undefined;
}

function findField(doc: JsonObject, raw: unknown, field: string, depth: number): string | undefined {
  if (depth > 2) return undefined;
  const schema = resolved(doc, raw);
  const items = schema.items;
  if (schema.type === 'array' || items !== undefined) {
    const inner = findInObject(doc, resolved(doc, items), field);
    return inner === undefined ? undefined : `/0${inner}`;
  }
  const own = findInObject(doc, schema, field);
  if (own !== undefined) return own;
  // A page wrapper: `{ data: [...], total }` or `{ results: [...] }`.
  for (const [name, prop] of Object.entries(properties(doc, schema))) {
    const p = resolved(doc, prop);
    if (p.type === 'array' || p.items !== undefined) {
      const inner = findField(doc, p, field, depth + 1);
      if (inner !== undefined) return `/${escapePointerFragment(name)}${inner}`;
    }
  }
  return undefined;
}

function findInObject(doc: JsonObject, schema: JsonObject, field: string): string | undefined {
  const prop = properties(doc, schema)[field];
  if (prop === undefined) return undefined;
  const type = resolved(doc, prop).type;
  const scalar = (t: unknown) => t === 'string' || t === 'integer' || t === 'number';
  return scalar(type) || (Array.isArray(type) && type.some(scalar)) ? `/${escapePointerFragment(field)}` : undefined;
}

/** Own and composed (`allOf`) properties of an object schema (of a bundled document). */
export function properties(doc: JsonObject, schema: JsonObject): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(isObject(schema.properties) ? schema.properties : {}) };
  for (const part of Array.isArray(schema.allOf) ? schema.allOf : []) Object.assign(out, properties(doc, resolved(doc, part)));
  return out;
}

/** The object a schema (or a local `$ref` to one) stands for; an empty object when it is none. */
export function resolved(doc: JsonObject, raw: unknown): JsonObject {
  const { node } = resolveLocal(doc, raw, '');
  return isObject(node) ? node : {};
}
