import { slotRule } from '../kit/define.ts';
import { parameters } from '../kit/aspects.ts';

export const rule = slotRule({
  title: 'required parameter added', severity: 'breaking',
  of: parameters, on: 'added', when: (s) => s.new?.value.required === true,
  message: (s) => `required ${s.label} added`,
});
