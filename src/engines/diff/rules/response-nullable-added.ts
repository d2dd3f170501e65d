import { schemaRule } from '../kit/define.ts';
import { nullability } from '../kit/schema-checks.ts';

export const rule = schemaRule({
  title: 'response nullable added', severity: 'breaking',
  direction: 'response',
  check: nullability('added', 'may now be null'),
});
