import { slotRule } from '../kit/define.ts';
import { acceptsUndeclared, properties } from '../kit/schema-checks.ts';

/**
 * An optional property declared in a request schema that was open: clients could send it before (as an
 * undeclared property), so nothing new is accepted; its values must now fit the declared schema.
 */
export const rule = slotRule({
  title: 'optional request property declared in an open schema', severity: 'info',
  of: properties('request'), on: 'added', when: (s) => !s.new!.value.required && acceptsUndeclared(s.holder!.old),
  message: (s) => `optional ${s.label} declared (the open schema accepted it before)`,
});
