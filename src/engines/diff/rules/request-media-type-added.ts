import { slotRule } from '../kit/define.ts';
import { requestMediaTypes } from '../kit/aspects.ts';

export const rule = slotRule({
  title: 'request media type added', severity: 'non-breaking',
  of: requestMediaTypes, on: 'added',
  message: (s) => `${s.label} added`,
});
