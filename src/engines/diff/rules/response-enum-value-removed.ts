import { schemaRule } from '../kit/define.ts';
import { enumValues } from '../kit/schema-checks.ts';

export const rule = schemaRule({
  title: 'response enum value removed', severity: 'non-breaking',
  direction: 'response',
  check: enumValues('removed'),
});
