import { slotRule } from '../kit/define.ts';
import { requestMediaTypes } from '../kit/aspects.ts';

export const rule = slotRule({
  title: 'request media type removed', severity: 'breaking',
  of: requestMediaTypes, on: 'removed',
  message: (s) => `${s.label} removed`,
});
