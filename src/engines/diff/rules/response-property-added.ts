import { slotRule } from '../kit/define.ts';
import { properties } from '../kit/schema-checks.ts';

/** Responses are open (CONVENTIONS.md): a new field, required or not, breaks no reader. */
export const rule = slotRule({
  title: 'response property added', severity: 'non-breaking',
  of: properties('response'), on: 'added',
  message: (s) => `${s.new!.value.required ? 'required' : 'optional'} ${s.label} added`,
});
