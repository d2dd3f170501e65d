import { schemaRule } from '../rule-kit.ts';
import { typeChange, typeText } from '../types-kit.ts';

/** A type clients may send is no longer accepted. */
export const rule = schemaRule({
  id: 'request-type-changed',
  title: 'request type changed or narrowed',
  severity: 'breaking',
  direction: 'request',
  check(pair) {
    const t = typeChange(pair.old, pair.new);
    if (!t || t.removed.length === 0) return undefined;
    return { message: `type changed from ${typeText(t.old)} to ${typeText(t.new)}` };
  },
});
