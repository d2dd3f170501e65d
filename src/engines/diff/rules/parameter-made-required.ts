import { slotRule } from '../kit/define.ts';
import { parameters } from '../kit/aspects.ts';

export const rule = slotRule({
  title: 'optional parameter made required', severity: 'breaking',
  of: parameters, on: 'changed', when: (s) => s.old?.value.required !== true && s.new?.value.required === true,
  message: (s) => `${s.label} made required`,
});
