import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import YAML, { LineCounter, isNode } from 'yaml';
import type { Contract } from '../../src/core/contract/model.ts';
import { MockError } from '../../src/core/errors.ts';
import { validators } from '../../src/core/validate/cache.ts';
import type { ApiModule, SeedDocument } from './define.ts';

/** Where a seed document came from, for messages: a file (with its text, for line numbers) or a label. */
interface SeedSource {
  name: string;
  text?: string;
}

const parsedFiles = new Map<string, SeedDocument>();

/**
 * The seed a stateful mock starts from: the module's seed file, each of its collections replaced
 * by the collection of the same name in `given` (a `--seed` document, the state another run of the
 * mock served). Every record of a collection the module declares a schema for is validated against
 * that contract schema; the first that does not fit stops the start with a MockError naming the
 * file, the collection, the record's index and the failing field (the CLI exits 2).
 */
export function loadSeed(contract: Contract, module: ApiModule<never>, given?: unknown, givenName = '--seed'): SeedDocument {
  const file = module.seed?.file;
  const fromFile = file ? readSeedFile(contract, module, fileURLToPath(file)) : {};
  if (given === undefined) return fromFile;
  if (!given || typeof given !== 'object' || Array.isArray(given)) throw new MockError(`${givenName}: the seed of '${module.api}' must be a map of collections, got ${JSON.stringify(given)?.slice(0, 60)}`);
  checkSeed(contract, module, given as SeedDocument, { name: givenName });
  return { ...fromFile, ...(given as SeedDocument) };
}

function readSeedFile(contract: Contract, module: ApiModule<never>, file: string): SeedDocument {
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
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new MockError(`${name}: a seed file is a map of collections (users: [...], ...)`);
  checkSeed(contract, module, doc as SeedDocument, { name, text });
  parsedFiles.set(file, doc as SeedDocument);
  return doc as SeedDocument;
}

/** Validates each record of every collection that has a declared schema; throws on the first misfit. */
export function checkSeed(contract: Contract, module: ApiModule<never>, doc: SeedDocument, source: SeedSource): void {
  for (const [collection, pointer] of Object.entries(module.seedSchemas ?? {})) {
    const records = doc[collection];
    if (records === undefined || !pointer) continue;
    if (!Array.isArray(records)) throw new MockError(`${where(source, [collection])}: '${collection}' must be a list of ${schemaName(pointer)} records`);
    records.forEach((record, index) => {
      const violation = validators.validate(contract, pointer, record)[0];
      if (!violation) return;
      const field = violation.instancePath.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
      const missing = /missing required property '([^']+)'/.exec(violation.message)?.[1];
      const fieldPath = missing ? [...field, missing] : field;
      const fieldText = fieldPath.length > 0 ? `field '${fieldPath.join('.')}'` : 'the record';
      throw new MockError(
        `${where(source, [collection, index, ...field])}: ${collection}[${index}] does not follow ${pointer}: ${fieldText} ${missing ? 'is missing (required)' : `${violation.message} (got ${violation.value})`}`,
      );
    });
  }
}

/** `file:line` of a node of the seed file when its text is known, else the source's name. */
function where(source: SeedSource, path: Array<string | number>): string {
  if (!source.text) return source.name;
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
