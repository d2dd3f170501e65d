import { schemaRule } from '../kit/define.ts';
import { typeShift } from '../kit/schema-checks.ts';

/** A type clients may send is no longer accepted. */
export const rule = schemaRule({
  title: 'request type changed or narrowed', severity: 'breaking',
  direction: 'request',
  check: typeShift('lost', 'changed'),
});
