import { slotRule } from '../kit/define.ts';
import { responseMediaTypes } from '../kit/aspects.ts';

export const rule = slotRule({
  title: 'response media type removed', severity: 'breaking',
  of: responseMediaTypes, on: 'removed',
  message: (s) => `${s.label} removed`,
});
