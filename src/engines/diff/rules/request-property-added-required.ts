import { slotRule } from '../kit/define.ts';
import { properties } from '../kit/schema-checks.ts';

export const rule = slotRule({
  title: 'required request property added', severity: 'breaking',
  of: properties('request'), on: 'added', when: (s) => s.new!.value.required,
  message: (s) => `required ${s.label} added`,
});
