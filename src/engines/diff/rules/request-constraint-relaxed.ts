import { LOWER_BOUNDS, lowerTightened, num, schemaRule, UPPER_BOUNDS, upperTightened } from '../rule-kit.ts';

/** A bound loosened or dropped, a pattern dropped: more requests are valid than before. */
export const rule = schemaRule({
  id: 'request-constraint-relaxed',
  title: 'request constraint relaxed',
  severity: 'non-breaking',
  direction: 'request',
  check(pair) {
    const out: string[] = [];
    for (const kw of UPPER_BOUNDS) {
      if (num(pair.old, kw) !== undefined && !upperTightened(pair.old, pair.new, kw) && num(pair.old, kw) !== num(pair.new, kw)) out.push(`${kw} raised or removed (was ${num(pair.old, kw)})`);
    }
    for (const kw of LOWER_BOUNDS) {
      if (num(pair.old, kw) !== undefined && !lowerTightened(pair.old, pair.new, kw) && num(pair.old, kw) !== num(pair.new, kw)) out.push(`${kw} lowered or removed (was ${num(pair.old, kw)})`);
    }
    if (typeof pair.old.pattern === 'string' && pair.new.pattern === undefined) out.push(`pattern /${pair.old.pattern}/ removed`);
    return out.map((message) => ({ message }));
  },
});
