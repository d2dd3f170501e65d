import { enumValues, schemaRule } from '../rule-kit.ts';

/** A value clients may send is no longer accepted (or an enum now restricts a free value). */
export const rule = schemaRule({
  id: 'request-enum-value-removed',
  title: 'request enum value removed',
  severity: 'breaking',
  direction: 'request',
  check(pair) {
    if (pair.openEnum) return undefined;
    const a = enumValues(pair.old);
    const b = enumValues(pair.new);
    if (!b) return undefined;
    if (!a) return { message: `values restricted to ${b.join(', ')}` };
    const gone = a.filter((v) => !b.includes(v));
    return gone.length ? { message: `enum value${gone.length > 1 ? 's' : ''} ${gone.join(', ')} removed` } : undefined;
  },
});
