import { schemaRule } from '../kit/define.ts';
import { nullability } from '../kit/schema-checks.ts';

export const rule = schemaRule({
  title: 'request nullable added', severity: 'non-breaking',
  direction: 'request',
  check: nullability('added', 'now accepts null'),
});
