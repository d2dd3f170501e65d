import { schemaRule } from '../rule-kit.ts';

/** A pattern set where there was none, or changed (whether the new one is looser cannot be known). */
export const rule = schemaRule({
  id: 'request-pattern-added',
  title: 'request pattern added or changed',
  severity: 'breaking',
  direction: 'request',
  check(pair) {
    const a = pair.old.pattern;
    const b = pair.new.pattern;
    if (typeof b !== 'string' || a === b) return undefined;
    return { message: typeof a === 'string' ? `pattern changed from /${a}/ to /${b}/` : `pattern /${b}/ added` };
  },
});
