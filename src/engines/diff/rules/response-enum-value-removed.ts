import { enumValues, schemaRule } from '../rule-kit.ts';

export const rule = schemaRule({
  id: 'response-enum-value-removed',
  title: 'response enum value removed',
  severity: 'non-breaking',
  direction: 'response',
  check(pair) {
    const a = enumValues(pair.old);
    const b = enumValues(pair.new);
    if (!b) return undefined;
    if (!a) return { message: `values restricted to ${b.join(', ')}` };
    const gone = a.filter((v) => !b.includes(v));
    return gone.length ? { message: `enum value${gone.length > 1 ? 's' : ''} ${gone.join(', ')} no longer returned` } : undefined;
  },
});
