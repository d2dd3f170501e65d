import { enumValues, schemaRule } from '../rule-kit.ts';

export const rule = schemaRule({
  id: 'request-enum-value-added',
  title: 'request enum value added',
  severity: 'non-breaking',
  direction: 'request',
  check(pair) {
    const a = enumValues(pair.old);
    const b = enumValues(pair.new);
    if (!a) return undefined;
    if (!b) return { message: 'enum restriction removed' };
    const added = b.filter((v) => !a.includes(v));
    return added.length ? { message: `enum value${added.length > 1 ? 's' : ''} ${added.join(', ')} added` } : undefined;
  },
});
