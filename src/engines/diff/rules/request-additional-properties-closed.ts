import { schemaRule } from '../kit/define.ts';
import { CLOSERS, tightened } from '../kit/schema-checks.ts';

export const rule = schemaRule({
  title: 'request object closed to unknown properties', severity: 'breaking',
  direction: 'request',
  check: tightened(...CLOSERS),
});
