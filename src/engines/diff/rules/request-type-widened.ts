import { schemaRule } from '../rule-kit.ts';
import { typeChange, typeText } from '../types-kit.ts';

export const rule = schemaRule({
  id: 'request-type-widened',
  title: 'request type widened',
  severity: 'non-breaking',
  direction: 'request',
  check(pair) {
    const t = typeChange(pair.old, pair.new);
    if (!t || t.removed.length > 0 || t.added.length === 0) return undefined;
    return { message: `type widened from ${typeText(t.old)} to ${typeText(t.new)}` };
  },
});
