import { schemaRule } from '../kit/define.ts';
import { BOUNDS, CLOSERS, relaxed } from '../kit/schema-checks.ts';

/** A bound loosened or dropped, a pattern dropped, an object opened: more requests are valid than before. */
export const rule = schemaRule({
  title: 'request constraint relaxed', severity: 'non-breaking',
  direction: 'request',
  check: relaxed(...BOUNDS, 'uniqueItems', 'pattern', ...CLOSERS),
});
