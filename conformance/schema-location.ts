import type { SourceLocation } from '../src/core/contract/location.ts';
import type { Contract, JsonObject } from '../src/core/contract/model.ts';
import { escapePointerFragment, getByPointer, isObject, resolveLocal, unescapePointerFragment } from '../src/core/contract/pointer.ts';
import type { Violation } from '../src/core/validate/cache.ts';

/** Where the schema keyword a validator error is about is written in the spec files (file, pointer, line). */
export function locateViolation(contract: Contract, schemaPointer: string, violation: Pick<Violation, 'instancePath' | 'schemaPath'>): SourceLocation {
  return contract.sourceMap.locate(violationSchemaPointer(contract.document, schemaPointer, violation));
}

/**
 * The pointer, in the bundled document, of the schema keyword a validator error is about
 * (`#/components/schemas/User/properties/id/type`), so a finding points at the line that states the
 * broken rule rather than at the response that uses the schema.
 *
 * ajv writes a keyword's place three ways: with the document's resource id (the validated schema
 * compiled on its own); inside a `$ref` it inlined, as a pointer from the document root; inside a
 * schema it compiled as a function of its own (a `$ref` target, a recursive one), relative to that schema. The second needs the schema the error happened in: it is found by
 * walking the validated value's path down the schema (through `$ref`, `allOf`/`anyOf`/`oneOf`,
 * `properties`, `items`, ...) to the depth the keyword path does not cover itself, and taking the
 * schema there in which the keyword path exists. When nothing fits, the validated schema is named.
 */
export function violationSchemaPointer(doc: JsonObject, schemaPointer: string, violation: Pick<Violation, 'instancePath' | 'schemaPath'>): string {
  // A place named with the document's resource id (`urn:contract:api#/components/...`) is absolute.
  const hash = violation.schemaPath.indexOf('#');
  if (hash > 0) {
    const absolute = violation.schemaPath.slice(hash);
    return getByPointer(doc, absolute) !== undefined ? absolute : schemaPointer;
  }
  const keywordPath = violation.schemaPath.replace(/^#/, '');
  const segments = split(keywordPath);
  if (segments.length === 0) return schemaPointer;
  // An absolute place: the first segment is a key of the document itself (`components`, `paths`).
  if (Object.hasOwn(doc, segments[0]!) && getByPointer(doc, `#${keywordPath}`) !== undefined) return `#${keywordPath}`;
  const instance = split(violation.instancePath);
  const depth = instance.length - consumedInstanceSegments(segments);
  if (depth < 0) return schemaPointer;
  let candidates = expand(doc, [schemaPointer]);
  for (const key of instance.slice(0, depth)) candidates = expand(doc, candidates.flatMap((c) => children(doc, c, key)));
  for (const candidate of candidates) {
    const pointer = `${candidate}${keywordPath}`;
    if (getByPointer(doc, pointer) !== undefined) return pointer;
  }
  return candidates[0] ?? schemaPointer;
}

/** `/a/b~1c` (or `#/a/b~1c`) → ['a', 'b/c']; the root is []. */
function split(pointer: string): string[] {
  const p = pointer.replace(/^#/, '');
  return p === '' ? [] : p.slice(1).split('/').map(unescapePointerFragment);
}

/** Keywords whose subschema describes a member of the value (one step down the value's path). */
const MEMBER_KEYWORDS_WITH_NAME = new Set(['properties', 'patternProperties', 'prefixItems', 'dependentSchemas']);
const MEMBER_KEYWORDS = new Set(['items', 'additionalProperties', 'unevaluatedProperties', 'unevaluatedItems', 'additionalItems', 'contains']);
/** Keywords followed by a name or index that stays on the same value. */
const NAMED_SAME_VALUE = new Set(['allOf', 'anyOf', 'oneOf', '$defs', 'definitions']);

/** How many steps down the value's path a keyword path takes before its final keyword. */
function consumedInstanceSegments(segments: string[]): number {
  let consumed = 0;
  for (let i = 0; i < segments.length - 1; i++) {
    const s = segments[i]!;
    if (MEMBER_KEYWORDS_WITH_NAME.has(s)) {
      if (s !== 'dependentSchemas') consumed++;
      i++;
    } else if (MEMBER_KEYWORDS.has(s)) consumed++;
    else if (NAMED_SAME_VALUE.has(s)) i++;
  }
  return consumed;
}

/** The schemas that apply to the same value: each one, its `$ref` target and its combined branches. */
function expand(doc: JsonObject, pointers: string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (pointer: string, depth: number) => {
    if (seen.has(pointer) || depth > 16) return;
    seen.add(pointer);
    out.push(pointer);
    const node = getByPointer(doc, pointer);
    if (!isObject(node)) return;
    if (typeof node.$ref === 'string') visit(resolveLocal(doc, node, pointer).pointer, depth + 1);
    for (const combinator of ['allOf', 'anyOf', 'oneOf']) {
      const list = node[combinator];
      if (Array.isArray(list)) list.forEach((_, i) => visit(`${pointer}/${combinator}/${i}`, depth + 1));
    }
  };
  for (const p of pointers) visit(p, 0);
  return out;
}

/** The subschemas of `pointer` that describe its member `key` (a property name or an array index). */
function children(doc: JsonObject, pointer: string, key: string): string[] {
  const node = getByPointer(doc, pointer);
  if (!isObject(node)) return [];
  const out: string[] = [];
  if (isObject(node.properties) && Object.hasOwn(node.properties, key)) out.push(`${pointer}/properties/${escapePointerFragment(key)}`);
  if (isObject(node.patternProperties)) {
    for (const pattern of Object.keys(node.patternProperties)) {
      if (safeTest(pattern, key)) out.push(`${pointer}/patternProperties/${escapePointerFragment(pattern)}`);
    }
  }
  if (isObject(node.additionalProperties) && out.length === 0) out.push(`${pointer}/additionalProperties`);
  if (/^\d+$/.test(key)) {
    if (Array.isArray(node.prefixItems) && Number(key) < node.prefixItems.length) out.push(`${pointer}/prefixItems/${key}`);
    else if (isObject(node.items)) out.push(`${pointer}/items`);
  }
  return out;
}

function safeTest(pattern: string, text: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(text);
  } catch {
    return false;
  }
}
