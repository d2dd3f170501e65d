import { unescapePointerFragment } from '@redocly/openapi-core';
/** A JSON object as parsed from a spec: the shape every reader of raw documents walks. */
export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at a local JSON pointer (`#/a/b`) of a document, or undefined. */
export function getByPointer(doc: unknown, pointer: string): unknown {
  const parts = pointer.replace(/^#\/?/, '').split('/').filter((p) => p !== '');
  let node: unknown = doc;
  for (const part of parts) {
    const key = unescapePointerFragment(part);
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isObject(node)) node = node[key];
    else return undefined;
  }
  return node;
}

/**
 * Follows local `$ref`s of a bundled document (all refs are local after bundling) and returns the
 * object together with the pointer it really lives at, which is what validator cache keys and
 * messages need. Stops after a few hops so that a ref cycle cannot hang the loader.
 */
export function resolveLocal(doc: JsonObject, node: unknown, pointer: string): { node: unknown; pointer: string } {
  let current = node;
  let at = pointer;
  for (let hops = 0; hops < 16 && isObject(current) && typeof current.$ref === 'string'; hops++) {
    if (!current.$ref.startsWith('#')) break;
    at = current.$ref;
    current = getByPointer(doc, current.$ref);
  }
  return { node: current, pointer: at };
}
