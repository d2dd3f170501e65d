import { slotRule } from '../kit/define.ts';
import { acceptsUndeclared, properties } from '../kit/schema-checks.ts';

/** Clients still send it and the schema is now closed: the service rejects what it accepted. */
export const rule = slotRule({
  title: 'request property removed from a closed schema', severity: 'breaking',
  of: properties('request'), on: 'removed', when: (s) => !acceptsUndeclared(s.holder!.new),
  message: (s) => `${s.label} removed`,
});
