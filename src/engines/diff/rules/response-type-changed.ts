import { schemaRule } from '../rule-kit.ts';
import { typeChange, typeText } from '../types-kit.ts';

/** Clients may now receive a type they do not expect. */
export const rule = schemaRule({
  id: 'response-type-changed',
  title: 'response type changed or widened',
  severity: 'breaking',
  direction: 'response',
  check(pair) {
    const t = typeChange(pair.old, pair.new);
    if (!t || t.added.length === 0) return undefined;
    return { message: `type changed from ${typeText(t.old)} to ${typeText(t.new)}` };
  },
});
