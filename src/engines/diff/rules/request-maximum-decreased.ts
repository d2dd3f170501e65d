import { schemaRule } from '../kit/define.ts';
import { tightened } from '../kit/schema-checks.ts';

export const rule = schemaRule({
  title: 'request maximum lowered or set', severity: 'breaking',
  direction: 'request',
  check: tightened('maximum', 'exclusiveMaximum'),
});
