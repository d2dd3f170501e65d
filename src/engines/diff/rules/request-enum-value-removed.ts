import { schemaRule } from '../kit/define.ts';
import { enumValues } from '../kit/schema-checks.ts';

/** A value clients may send is no longer accepted (or an enum now restricts a free value). */
export const rule = schemaRule({
  title: 'request enum value removed', severity: 'breaking',
  direction: 'request',
  check: enumValues('removed'),
});
