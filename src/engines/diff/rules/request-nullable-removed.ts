import { schemaRule } from '../kit/define.ts';
import { nullability } from '../kit/schema-checks.ts';

export const rule = schemaRule({
  title: 'request nullable removed', severity: 'breaking',
  direction: 'request',
  check: nullability('removed', 'no longer accepts null'),
});
