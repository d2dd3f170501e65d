import { schemaRule } from '../kit/define.ts';
import { tightened } from '../kit/schema-checks.ts';

export const rule = schemaRule({
  title: 'request array/object size bounds tightened', severity: 'breaking',
  direction: 'request',
  check: tightened('maxItems', 'maxProperties', 'minItems', 'minProperties', 'uniqueItems'),
});
