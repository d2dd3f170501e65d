import { schemaRule } from '../kit/define.ts';
import { changed } from '../kit/schema-checks.ts';

/** What the service assumes when a client leaves the value out: same request, other behaviour. */
export const rule = schemaRule({
  title: 'request default changed', severity: 'breaking',
  direction: 'request',
  check: changed('default'),
});
