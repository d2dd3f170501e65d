import { linksInto, properties, resolved, type LinkModel } from '../src/core/contract/links.ts';
import { changesState, type Contract, type JsonObject, type OperationModel } from '../src/core/contract/model.ts';
import { isObject, unescapePointerFragment } from '../src/core/contract/pointer.ts';
import { isJsonMediaType } from '../src/core/contract/responses.ts';
import type { ValidatorCache } from '../src/core/validate/cache.ts';

/**
 * What a creation made, when its answer does not say (Defguard's `POST /api/v1/group` echoes the
 * request and carries no id; the id is only in `GET /api/v1/group-info`). The object is looked up in
 * a safe list read that yields the id its item routes take, by a field the request sent and the
 * listed items carry (`name`). Those fields are also what a run makes unique (run-unique names), so a
 * rerun neither collides with anything an earlier run left nor mistakes it for its own.
 */

/** The routes of one created object: the creation's path plus one parameter (`/things/{id}`), read or delete. */
export function itemRoutes(contract: Contract, creation: OperationModel): OperationModel[] {
  return contract.operations.filter((op) => isItemRoute(contract, creation, op));
}

export function isItemRoute(contract: Contract, creation: OperationModel, op: OperationModel): boolean {
  return (op.method === 'get' || op.method === 'delete') && itemPattern(objectPath(contract, creation)).test(op.path);
}

/**
 * Where a creation's objects live: under its own path (`POST /things` → `/things/{id}`), or, for an
 * action on a collection that has no routes of its own (`POST /device/network/start_cli`), under
 * the collection's (`/device/network/{device_id}`).
 */
export function objectPath(contract: Contract, creation: OperationModel): string {
  const own = creation.path.replace(/\/$/, '');
  const hasItems = (base: string) => contract.operations.some((op) => (op.method === 'get' || op.method === 'delete') && itemPattern(base).test(op.path));
  if (hasItems(own)) return own;
  const at = own.lastIndexOf('/');
  const last = own.slice(at + 1);
  const parent = own.slice(0, at);
  return at > 0 && !last.startsWith('{') && parent !== '' && hasItems(parent) ? parent : own;
}

function itemPattern(base: string): RegExp {
  return new RegExp(`^${escapeRegExp(base)}/\\{[^/}]+\\}/?$`);
}

/** How to find a created object in a list: the list read, its link to the item route, and where items sit. */
export interface Lookup {
  producer: OperationModel;
  status: string;
  link: LinkModel;
  /** The item route's parameter the list yields (`id`). */
  parameter: string;
  /** Pointer segments to one listed item (`['0']`, `['data', '0']`) and the item's field the parameter takes (`id`). */
  itemPath: string[];
  field: string;
  /** Top-level string fields of the creation's body that the listed items carry too: what names the object in the list. */
  keys: string[];
}

const lookups = new WeakMap<Contract, Map<string, Lookup | undefined>>();

/**
 * The safe list read that names the objects a creation makes, through a link (written first) into
 * the creation's delete route (else its read route). The list must need no path values but those
 * the creation's own request has (`GET /user/{username}/api_token` for `POST /user/{username}/api_token`).
 */
export function lookupFor(contract: Contract, creation: OperationModel): Lookup | undefined {
  let perContract = lookups.get(contract);
  if (!perContract) lookups.set(contract, (perContract = new Map()));
  if (perContract.has(creation.id)) return perContract.get(creation.id);
  const creationParams = new Set(creation.parameters.filter((p) => p.in === 'path').map((p) => p.name));
  const routes = itemRoutes(contract, creation).sort((a, b) => (a.method === 'delete' ? 0 : 1) - (b.method === 'delete' ? 0 : 1));
  let found: Lookup | undefined;
  for (const route of routes) {
    const own = route.parameters.filter((p) => p.in === 'path' && !creationParams.has(p.name)).map((p) => p.name);
    if (own.length !== 1) continue;
    const links = [...linksInto(contract, route)].sort((a, b) => (a.origin === 'written' ? 0 : 1) - (b.origin === 'written' ? 0 : 1));
    for (const link of links) {
      const producer = contract.operations.find((o) => o.id === link.producer.operationId);
      if (!producer || changesState(producer)) continue;
      if (producer.parameters.some((p) => p.in === 'path' && !creationParams.has(p.name))) continue;
      const param = link.parameters.find((p) => p.name === own[0]);
      if (!param || param.source.kind !== 'response-body') continue;
      if (link.parameters.some((p) => p !== param && !(p.source.kind === 'request-path' && creationParams.has(p.source.name)))) continue;
      const segments = param.source.pointer.split('/').slice(1).map(unescapePointerFragment);
      const at = segments.lastIndexOf('0');
      if (at < 0 || at !== segments.length - 2) continue;
      const itemPath = segments.slice(0, at + 1);
      const itemProps = itemProperties(contract, producer, link.producer.status, itemPath);
      const keys = bodyStringFields(contract, creation).filter((k) => itemProps.has(k) && k !== segments[at + 1]);
      if (keys.length === 0) continue;
      found = { producer, status: link.producer.status, link, parameter: own[0]!, itemPath, field: segments[at + 1]!, keys };
      break;
    }
    if (found) break;
  }
  perContract.set(creation.id, found);
  return found;
}

/**
 * Words that name an object rather than point at another one. `username` and `email` are left out:
 * in a creation's body they more often name an existing account (`POST .../admin_access {username}`)
 * than the new object, and changing them would send the run somewhere else.
 */
const NAMING_FIELDS = new Set(['name', 'title', 'display_name', 'displayName', 'label', 'hostname', 'description']);

/**
 * The body fields a run makes unique: among the fields that name the object in its list (the lookup
 * keys), or for a creation no list shows its top-level string fields, those called like a name. Only
 * creations whose objects have their own routes (`/things/{id}`) make objects a rerun can collide with.
 */
export function namingFields(contract: Contract, creation: OperationModel): string[] {
  if (itemRoutes(contract, creation).length === 0) return [];
  const lookup = lookupFor(contract, creation);
  return (lookup ? lookup.keys : bodyStringFields(contract, creation)).filter((k) => NAMING_FIELDS.has(k));
}

/** A short tag unique to one run, appended to the names of what it creates. */
export function runTag(): string {
  return Math.random().toString(36).slice(2, 7).padEnd(5, '0');
}

/**
 * The creation's body with its naming fields made unique to the run (`string` → `string-k3x9q`,
 * `jo@example.com` → `jo-k3x9q@example.com`), each kept as it was when the schema refuses the changed
 * value (an enum, a pattern, a maximum length).
 */
export function withRunUniqueNames(contract: Contract, op: OperationModel, body: unknown, tag: string, validators: ValidatorCache): unknown {
  if (!isObject(body)) return body;
  // A change to a created object names it as its creation did (Defguard finds the OpenID provider
  // to change by the body's `name`), so its body takes the same run-unique names.
  const creation = changesState(op) && op.method !== 'post' ? creationOf(contract, op) : op;
  if (!creation) return body;
  const media = op.requestBody?.content.find((c) => isJsonMediaType(c.mediaType));
  if (!media?.schemaPointer) return body;
  const pointer = media.schemaPointer;
  const errors = (value: unknown) => validators.validate(contract, pointer, value).length;
  const baseline = errors(body);
  let out: JsonObject = body;
  for (const field of namingFields(contract, creation)) {
    const value = out[field];
    if (typeof value !== 'string' || value === '') continue;
    const at = value.indexOf('@');
    const unique = at > 0 ? `${value.slice(0, at)}-${tag}${value.slice(at)}` : `${value}-${tag}`;
    const next = { ...out, [field]: unique };
    if (errors(next) <= baseline) out = next;
  }
  return out;
}

/** The creation whose objects a route changes (`PUT /things/{id}` → `POST /things`). */
function creationOf(contract: Contract, op: OperationModel): OperationModel | undefined {
  return contract.operations.find((c) => c.method === 'post' && !c.safe && itemPattern(c.path.replace(/\/$/, '')).test(op.path));
}

export type Identified = { values: Record<string, unknown>; item: unknown; answer: unknown } | { reason: string };

/**
 * Finds the one listed item whose key fields equal what the creation sent. Exactly one must match:
 * two would mean the run cannot tell its object from another's, and it must not adopt (and later
 * delete) the wrong one.
 */
export function findCreated(lookup: Lookup, listBody: unknown, sent: JsonObject): Identified {
  const keys = lookup.keys.filter((k) => typeof sent[k] === 'string');
  const where = `${lookup.producer.method.toUpperCase()} ${lookup.producer.path}`;
  if (keys.length === 0) return { reason: `the request sent none of ${lookup.keys.join(', ')} to look it up by in ${where}` };
  const items = itemsAt(listBody, lookup.itemPath);
  const matches = items.filter((item) => isObject(item) && keys.every((k) => item[k] === sent[k]));
  const what = keys.map((k) => `${k}=${String(sent[k])}`).join(', ');
  if (matches.length === 0) return { reason: `no item of ${where} has ${what}` };
  if (matches.length > 1) return { reason: `${matches.length} items of ${where} have ${what}; the run cannot tell which one it made` };
  const item = matches[0] as JsonObject;
  const value = item[lookup.field];
  if (value === undefined || value === null) return { reason: `the item of ${where} with ${what} carries no ${lookup.field}` };
  return { values: { [lookup.parameter]: value }, item, answer: wrapItem(listBody, lookup.itemPath, item) };
}

/** The list answer with only the found item in it, shaped as the list answers, so its links read that one object. */
function wrapItem(root: unknown, path: string[], item: unknown): unknown {
  const build = (node: unknown, i: number): unknown => {
    if (i === path.length - 1) return [item];
    const part = path[i]!;
    if (Array.isArray(node)) return build(node[0], i + 1);
    return { ...(isObject(node) ? node : {}), [part]: build(isObject(node) ? node[part] : undefined, i + 1) };
  };
  return build(root, 0);
}

function itemsAt(root: unknown, path: string[]): unknown[] {
  let nodes: unknown[] = [root];
  for (const part of path) {
    const next: unknown[] = [];
    for (const node of nodes) {
      if (Array.isArray(node)) {
        if (part === '0') next.push(...node);
      } else if (isObject(node) && part in node) next.push(node[part]);
    }
    nodes = next;
  }
  return nodes;
}

function bodyStringFields(contract: Contract, creation: OperationModel): string[] {
  const media = creation.requestBody?.content.find((c) => isJsonMediaType(c.mediaType));
  if (!media?.schema) return [];
  const props = properties(contract.document, resolved(contract.document, media.schema));
  return Object.entries(props)
    .filter(([, raw]) => {
      const s = resolved(contract.document, raw);
      const isString = s.type === 'string' || (Array.isArray(s.type) && s.type.includes('string'));
      return isString && s.enum === undefined && s.const === undefined && s.readOnly !== true;
    })
    .map(([name]) => name);
}

/** Property names of the listed items: the list answer's schema followed down the item's path. */
function itemProperties(contract: Contract, producer: OperationModel, status: string, itemPath: string[]): Set<string> {
  const response = producer.responses.find((r) => r.status === status);
  const media = response?.content.find((c) => isJsonMediaType(c.mediaType));
  if (!media?.schema) return new Set();
  let schema = resolved(contract.document, media.schema);
  for (const part of itemPath) {
    if (part === '0' && (schema.type === 'array' || schema.items !== undefined)) schema = resolved(contract.document, schema.items);
    else schema = resolved(contract.document, properties(contract.document, schema)[part]);
  }
  return new Set(Object.keys(properties(contract.document, schema)));
}


function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
