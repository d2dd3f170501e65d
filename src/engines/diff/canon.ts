import type { JsonObject } from '../../core/contract/model.ts';
import { isObject, resolveLocal } from '../../core/contract/pointer.ts';

/** Keywords that document a schema without changing what it allows. */
export const DOC_ONLY = new Set(['description', 'title', 'summary', 'example', 'examples', 'externalDocs', 'x-doc-notes', '$comment', 'deprecated']);

/**
 * A canonical text of what a schema allows: local `$ref`s inlined (so a schema moved between
 * components is the same), documentation keywords dropped, object keys sorted. Memoised per pointer.
 */
export class Canon {
  private memo = new Map<string, string>();
  private active = new Set<string>();
  constructor(private doc: JsonObject) {}

  of(node: unknown): string {
    if (Array.isArray(node)) return `[${node.map((n) => this.of(n)).join(',')}]`;
    if (!isObject(node)) return JSON.stringify(node) ?? 'null';
    if (typeof node.$ref === 'string' && node.$ref.startsWith('#')) {
      const ref = node.$ref;
      const hit = this.memo.get(ref);
      if (hit !== undefined) return hit;
      if (this.active.has(ref)) return `{"$cycle":${JSON.stringify(ref.split('/').pop())}}`;
      this.active.add(ref);
      const r = resolveLocal(this.doc, node, ref);
      const text = this.of(r.node);
      this.active.delete(ref);
      this.memo.set(ref, text);
      return text;
    }
    const keys = Object.keys(node).filter((k) => !DOC_ONLY.has(k)).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${this.of(node[k])}`).join(',')}}`;
  }
}
