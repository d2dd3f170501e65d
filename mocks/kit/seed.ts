import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import YAML, { LineCounter, isNode } from 'yaml';
import type { Contract } from '../../src/core/contract/model.ts';
import { MockError } from '../../src/core/errors.ts';
import { validators } from '../../src/core/validate/cache.ts';
import { CredentialStore } from './credentials.ts';
import type { ApiModule, SeedDocument } from './define.ts';

/**
 * Where a seed document came from, for messages: a file (with its text, for line numbers) or a
 * label. `at` is where the document sits in that file (`[api]` in a `{ <api>: <state> }` file), and
 * `api` the API it seeds, named in messages about a `--seed` file that may hold several.
 */
export interface SeedSource {
  name: string;
  text?: string;
  at?: string[];
  api?: string;
}

/** What of a module its seed depends on: its seed file and schemas, and the state its snapshot gives. */
type SeededModule = Pick<ApiModule, 'api' | 'seed' | 'seedSchemas' | 'createState' | 'snapshot' | 'makeSecret' | 'tenant'>;

const parsedFiles = new Map<string, SeedDocument>();

/**
 * The seed a stateful mock starts from: the module's seed file, each of its collections replaced
 * by the collection of the same name in `given` (a `--seed` document, the state another run of the
 * mock served). A key of `given` that is not one of the module's collections, and the first record
 * of a collection with a declared schema that does not fit that contract schema, stop the start
 * with a MockError naming the file, the API, the collection, the record's index and the failing
 * field (the CLI exits 2). Records of seed files and of `--seed` go through the same check.
 */
export function loadSeed(contract: Contract, module: SeededModule, given?: unknown, source: SeedSource = { name: '--seed' }): SeedDocument {
  const fromFile = seedFileOf(contract, module);
  if (given === undefined) return fromFile;
  const at = (path: string[]) => `${where(source, path)}${source.api ? ` (${source.api})` : ''}`;
  if (!isSeedDocument(given)) throw new MockError(`${at([])}: the seed of '${module.api}' must be a map of collections, got ${JSON.stringify(given)?.slice(0, 60)}`);
  const known = seedCollections(contract, module);
  const unknown = Object.keys(given).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    throw new MockError(`${at([unknown[0]!])}: '${unknown[0]}' is not a collection of '${module.api}' (its collections: ${known.join(', ')})`);
  }
  checkSeed(contract, module, given, source);
  return { ...fromFile, ...given };
}

function seedFileOf(contract: Contract, module: SeededModule): SeedDocument {
  const file = module.seed?.file;
  return file ? readSeedFile(contract, module, fileURLToPath(file)) : {};
}

const collectionsOf = new WeakMap<object, string[]>();

/**
 * The collections a seed of the module may hold: those of its seed file, those it declares a schema
 * for, and those its snapshot (`GET /__control/state`) gives back, which is what `--seed` reads.
 * The snapshot's are read off a state made from the seed file, so they never drift from the module.
 */
export function seedCollections(contract: Contract, module: SeededModule): string[] {
  const cached = collectionsOf.get(module);
  if (cached) return cached;
  const fromFile = seedFileOf(contract, module);
  const names = new Set([...Object.keys(fromFile), ...Object.keys(module.seedSchemas ?? {})]);
  const snapshot = module.snapshot(module.createState(new CredentialStore(module.makeSecret, module.tenant), structuredClone(fromFile)));
  if (isSeedDocument(snapshot)) for (const key of Object.keys(snapshot)) names.add(key);
  const list = [...names];
  collectionsOf.set(module, list);
  return list;
}

/** An API being mocked and the module serving it, as `splitSeedDocument` needs them. */
export interface SeedTarget {
  api: string;
  contract: Contract;
  module: SeededModule;
}

/**
 * Reads a `--seed` document in either form, and says which API each part seeds:
 *   - `{ <api>: <state>, ... }`: every top-level key names an API being mocked;
 *   - the bare state of one API, as `GET /__control/state` returns it: allowed when exactly one API
 *     is mocked, recognised by every top-level key being one of that API's seed collections.
 * Anything else (an API not being mocked, a key that is neither an API nor a collection, a bare
 * state while several APIs are mocked) is a MockError naming the file and the key: a seed is never
 * silently ignored.
 */
export function splitSeedDocument(doc: unknown, targets: readonly SeedTarget[], knownApis: readonly string[], source: SeedSource): Map<string, { seed: SeedDocument; source: SeedSource }> {
  if (!isSeedDocument(doc)) throw new MockError(`${source.name}: a seed is a map: { <api>: <state> } or, with one API mocked, that API's state as GET /__control/state returns it`);
  const keys = Object.keys(doc);
  if (keys.length === 0) throw new MockError(`${source.name}: the seed is empty`);
  const mocked = targets.map((t) => t.api);
  const apiKeys = keys.filter((k) => knownApis.includes(k) || mocked.includes(k));
  const parts = new Map<string, { seed: SeedDocument; source: SeedSource }>();
  if (apiKeys.length === keys.length) {
    for (const api of keys) {
      if (!mocked.includes(api)) throw new MockError(`${where(source, [api])}: a seed for '${api}', which is not being mocked (mocked: ${mocked.join(', ')})`);
      // Its shape, collections and records are checked by loadSeed as the API's mock is built.
      parts.set(api, { seed: doc[api] as SeedDocument, source: { ...source, at: [api], api } });
    }
    return parts;
  }
  if (apiKeys.length > 0) {
    throw new MockError(`${source.name}: mixes API names (${apiKeys.join(', ')}) with other keys (${keys.filter((k) => !apiKeys.includes(k)).join(', ')}); write { <api>: <state> } or one API's bare state`);
  }
  if (targets.length !== 1) {
    throw new MockError(`${source.name}: a bare state (${keys.join(', ')}) needs exactly one API mocked, here ${targets.length}; write { <api>: <state>, ... }`);
  }
  const [target] = targets as [SeedTarget];
  const known = seedCollections(target.contract, target.module);
  const unknown = keys.find((k) => !known.includes(k));
  if (unknown) {
    throw new MockError(`${where(source, [unknown])}: '${unknown}' is neither an API name nor a collection of '${target.api}' (its collections: ${known.join(', ')})`);
  }
  parts.set(target.api, { seed: doc, source: { ...source, at: [], api: target.api } });
  return parts;
}

function readSeedFile(contract: Contract, module: SeededModule, file: string): SeedDocument {
  const cached = parsedFiles.get(file);
  if (cached) return cached;
  const name = displayPath(file);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new MockError(`${name}: cannot read the seed of '${module.api}': ${(err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (err) {
    throw new MockError(`${name}: not YAML or JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!isSeedDocument(doc)) throw new MockError(`${name}: a seed file is a map of collections (users: [...], ...)`);
  checkSeed(contract, module, doc, { name, text });
  parsedFiles.set(file, doc);
  return doc;
}

function isSeedDocument(doc: unknown): doc is SeedDocument {
  return doc !== null && typeof doc === 'object' && !Array.isArray(doc);
}

/** Validates each record of every collection that has a declared schema; throws on the first misfit. */
export function checkSeed(contract: Contract, module: SeededModule, doc: SeedDocument, source: SeedSource): void {
  for (const [collection, pointer] of Object.entries(module.seedSchemas ?? {})) {
    const records = doc[collection];
    if (records === undefined || !pointer) continue;
    const api = source.api ? ` (${source.api})` : '';
    if (!Array.isArray(records)) throw new MockError(`${where(source, [collection])}${api}: '${collection}' must be a list of ${schemaName(pointer)} records`);
    records.forEach((record, index) => {
      const violation = validators.validate(contract, pointer, record)[0];
      if (!violation) return;
      const field = violation.instancePath.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
      const missing = /missing required property '([^']+)'/.exec(violation.message)?.[1];
      const fieldPath = missing ? [...field, missing] : field;
      const fieldText = fieldPath.length > 0 ? `field '${fieldPath.join('.')}'` : 'the record';
      throw new MockError(
        `${where(source, [collection, index, ...field])}${api}: ${collection}[${index}] does not follow ${pointer}: ${fieldText} ${missing ? 'is missing (required)' : `${violation.message} (got ${violation.value})`}`,
      );
    });
  }
}

/** `file:line` of a node of the seed file when its text is known, else the source's name. */
function where(source: SeedSource, inDocument: Array<string | number>): string {
  if (!source.text) return source.name;
  const path = [...(source.at ?? []), ...inDocument];
  const lines = new LineCounter();
  const doc = YAML.parseDocument(source.text, { lineCounter: lines });
  // The deepest node of the path that exists (a missing field points at its record).
  for (let n = path.length; n > 0; n--) {
    const node = doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return `${source.name}:${lines.linePos(node.range[0]).line}`;
  }
  return source.name;
}

const schemaName = (pointer: string) => pointer.split('/').pop() ?? pointer;

function displayPath(file: string): string {
  const relative = file.startsWith(process.cwd()) ? file.slice(process.cwd().length + 1) : file;
  return relative || file;
}
