import { schemaRule } from '../kit/define.ts';
import { typeShift } from '../kit/schema-checks.ts';

export const rule = schemaRule({
  title: 'request type widened', severity: 'non-breaking',
  direction: 'request',
  check: typeShift('only-gained', 'widened'),
});
