import { schemaRule } from '../rule-kit.ts';
import { typeChange, typeText } from '../types-kit.ts';

export const rule = schemaRule({
  id: 'response-type-narrowed',
  title: 'response type narrowed',
  severity: 'non-breaking',
  direction: 'response',
  check(pair) {
    const t = typeChange(pair.old, pair.new);
    if (!t || t.added.length > 0 || t.removed.length === 0) return undefined;
    return { message: `type narrowed from ${typeText(t.old)} to ${typeText(t.new)}` };
  },
});
