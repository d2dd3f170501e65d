import { slotRule } from '../kit/define.ts';
import { acceptsUndeclared, properties } from '../kit/schema-checks.ts';

/** A property no longer declared by an open request schema: clients may still send it, and it is still accepted. */
export const rule = slotRule({
  title: 'request property no longer declared in an open schema', severity: 'non-breaking',
  of: properties('request'), on: 'removed', when: (s) => acceptsUndeclared(s.holder!.new),
  message: (s) => `${s.label} no longer declared (the open schema still accepts it)`,
});
