import { schemaRule } from '../kit/define.ts';
import { enumValues } from '../kit/schema-checks.ts';

export const rule = schemaRule({
  title: 'request enum value added', severity: 'non-breaking',
  direction: 'request',
  check: enumValues('added'),
});
