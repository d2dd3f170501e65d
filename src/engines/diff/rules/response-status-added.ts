import { slotRule } from '../kit/define.ts';
import { responseStatuses } from '../kit/aspects.ts';

export const rule = slotRule({
  title: 'response status added', severity: 'non-breaking',
  of: responseStatuses, on: 'added',
  message: (s) => `${s.label} added`,
});
