import { slotRule } from '../kit/define.ts';
import { parameters } from '../kit/aspects.ts';

export const rule = slotRule({
  title: 'optional parameter added', severity: 'non-breaking',
  of: parameters, on: 'added', when: (s) => s.new?.value.required !== true,
  message: (s) => `optional ${s.label} added`,
});
