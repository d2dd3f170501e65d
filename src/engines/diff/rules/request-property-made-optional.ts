import { slotRule } from '../kit/define.ts';
import { properties } from '../kit/schema-checks.ts';

export const rule = slotRule({
  title: 'required request property made optional', severity: 'non-breaking',
  of: properties('request'), on: 'changed', when: (s) => !s.new!.value.required,
  message: (s) => `${s.label} made optional`,
});
