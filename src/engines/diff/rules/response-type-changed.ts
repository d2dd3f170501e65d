import { schemaRule } from '../kit/define.ts';
import { typeShift } from '../kit/schema-checks.ts';

/** Clients may now receive a type they do not expect. */
export const rule = schemaRule({
  title: 'response type changed or widened', severity: 'breaking',
  direction: 'response',
  check: typeShift('gained', 'changed'),
});
