/** A JSON object as parsed from a spec: the shape every reader of raw documents walks. */
export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * One segment of a JSON pointer written as a key (RFC 6901: `~` → `~0`, `/` → `~1`). The same rule
 * as the bundler's, so pointers built here match the ones it reports; kept here rather than imported
 * from it so that reading a contract does not load the bundler.
 */
export function escapePointerFragment(key: string): string {
  return key.includes('/') || key.includes('~') ? key.replaceAll('~', '~0').replaceAll('/', '~1') : key;
}

/** The key a pointer segment stands for: RFC 6901 unescaping, then percent-decoding as URI fragments are. */
export function unescapePointerFragment(segment: string): string {
  const unescaped = segment.includes('~') ? segment.replaceAll('~1', '/').replaceAll('~0', '~') : segment;
  try {
    return decodeURIComponent(unescaped);
  } catch {
    return unescaped;
  }
}

/** The keys a pointer (`#/a/b~1c`) walks through, unescaped; empty segments are dropped. */
export function pointerKeys(pointer: string): string[] {
  return pointer.replace(/^#/, '').split('/').map(unescapePointerFragment).filter((k) => k !== '');
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
