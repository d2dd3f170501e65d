import { slotRule } from '../kit/define.ts';
import { properties } from '../kit/schema-checks.ts';

export const rule = slotRule({
  title: 'response property removed', severity: 'breaking',
  of: properties('response'), on: 'removed',
  message: (s) => `${s.old!.value.required ? 'required' : 'optional'} ${s.label} removed`,
});
