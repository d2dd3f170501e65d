import { schemaRule } from '../kit/define.ts';
import { changed } from '../kit/schema-checks.ts';

export const rule = schemaRule({
  title: 'response default changed', severity: 'info',
  direction: 'response',
  check: changed('default'),
});
