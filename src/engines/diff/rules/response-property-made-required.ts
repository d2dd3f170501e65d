import { slotRule } from '../kit/define.ts';
import { properties } from '../kit/schema-checks.ts';

export const rule = slotRule({
  title: 'optional response property made required', severity: 'non-breaking',
  of: properties('response'), on: 'changed', when: (s) => s.new!.value.required,
  message: (s) => `${s.label} is now always present`,
});
