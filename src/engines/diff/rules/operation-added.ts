import { slotRule } from '../kit/define.ts';
import { operations } from '../kit/aspects.ts';

export const rule = slotRule({
  title: 'operation added', severity: 'non-breaking',
  of: operations, on: 'added',
  message: (s) => `${s.label} added`,
});
