import { schemaRule } from '../kit/define.ts';
import { nullability } from '../kit/schema-checks.ts';

export const rule = schemaRule({
  title: 'response nullable removed', severity: 'non-breaking',
  direction: 'response',
  check: nullability('removed', 'is no longer null'),
});
