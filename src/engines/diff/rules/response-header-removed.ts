import { slotRule } from '../kit/define.ts';
import { responseHeaders } from '../kit/aspects.ts';

export const rule = slotRule({
  title: 'response header removed', severity: 'breaking',
  of: responseHeaders, on: 'removed',
  message: (s) => `${s.label} removed`,
});
