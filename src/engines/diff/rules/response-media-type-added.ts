import { slotRule } from '../kit/define.ts';
import { responseMediaTypes } from '../kit/aspects.ts';

export const rule = slotRule({
  title: 'response media type added', severity: 'non-breaking',
  of: responseMediaTypes, on: 'added',
  message: (s) => `${s.label} added`,
});
