import type { JsonObject } from '../../core/contract/model.ts';
import { typeSet } from './schema.ts';

const covers = (set: Set<string>, t: string) => set.has(t) || (t === 'integer' && set.has('number'));

/** Non-null types added and removed between two schemas that both declare `type` (integer ⊂ number). */
export function typeChange(o: JsonObject, n: JsonObject) {
  const a = typeSet(o);
  const b = typeSet(n);
  if (!a || !b) return undefined;
  return {
    old: [...a],
    new: [...b],
    added: [...b].filter((t) => t !== 'null' && !covers(a, t)),
    removed: [...a].filter((t) => t !== 'null' && !covers(b, t)),
    nullAdded: !a.has('null') && b.has('null'),
    nullRemoved: a.has('null') && !b.has('null'),
  };
}

export const typeText = (types: string[]) => (types.length === 1 ? types[0]! : `[${types.join(', ')}]`);
