import { slotRule } from '../kit/define.ts';
import { acceptsUndeclared, properties } from '../kit/schema-checks.ts';

/** An optional property a closed request schema rejected before: clients may now send it. */
export const rule = slotRule({
  title: 'optional request property added', severity: 'non-breaking',
  of: properties('request'), on: 'added', when: (s) => !s.new!.value.required && !acceptsUndeclared(s.holder!.old),
  message: (s) => `optional ${s.label} added`,
});
