import { schemaRule } from '../kit/define.ts';
import { typeShift } from '../kit/schema-checks.ts';

export const rule = schemaRule({
  title: 'response type narrowed', severity: 'non-breaking',
  direction: 'response',
  check: typeShift('only-lost', 'narrowed'),
});
