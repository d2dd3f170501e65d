import { enumValues, schemaRule } from '../rule-kit.ts';

/**
 * Clients switching over a closed set meet a value they do not know. Open enumerations
 * (`anyOf: [{enum}, {type: string}]`, CONVENTIONS.md) already promise unknown values: not reported.
 */
export const rule = schemaRule({
  id: 'response-enum-value-added',
  title: 'response enum value added',
  severity: 'breaking',
  direction: 'response',
  check(pair) {
    if (pair.openEnum) return undefined;
    const a = enumValues(pair.old);
    const b = enumValues(pair.new);
    if (!a) return undefined;
    if (!b) return { message: 'enum restriction removed: any value may now be returned' };
    const added = b.filter((v) => !a.includes(v));
    return added.length ? { message: `enum value${added.length > 1 ? 's' : ''} ${added.join(', ')} added` } : undefined;
  },
});
