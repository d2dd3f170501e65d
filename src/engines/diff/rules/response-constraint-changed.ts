import { LOWER_BOUNDS, num, schemaRule, UPPER_BOUNDS } from '../rule-kit.ts';

/** Bounds and patterns of response values: worth knowing, rarely what a client relies on. */
export const rule = schemaRule({
  id: 'response-constraint-changed',
  title: 'response constraint changed',
  severity: 'info',
  direction: 'response',
  check(pair) {
    const out: string[] = [];
    for (const kw of [...UPPER_BOUNDS, ...LOWER_BOUNDS]) {
      const a = num(pair.old, kw);
      const b = num(pair.new, kw);
      if (a !== b) out.push(`${kw} changed from ${a ?? 'none'} to ${b ?? 'none'}`);
    }
    if (pair.old.pattern !== pair.new.pattern) out.push(`pattern changed from ${String(pair.old.pattern ?? 'none')} to ${String(pair.new.pattern ?? 'none')}`);
    return out.map((message) => ({ message }));
  },
});
