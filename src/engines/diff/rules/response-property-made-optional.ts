import { slotRule } from '../kit/define.ts';
import { properties } from '../kit/schema-checks.ts';

export const rule = slotRule({
  title: 'required response property made optional', severity: 'breaking',
  of: properties('response'), on: 'changed', when: (s) => !s.new!.value.required,
  message: (s) => `${s.label} is no longer required`,
});
