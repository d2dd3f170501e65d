import { slotRule } from '../kit/define.ts';
import { parameters } from '../kit/aspects.ts';

/** Clients still send it; the service now ignores (or rejects) it — treated as breaking. */
export const rule = slotRule({
  title: 'parameter removed', severity: 'breaking',
  of: parameters, on: 'removed',
  message: (s) => `${s.label} removed`,
});
