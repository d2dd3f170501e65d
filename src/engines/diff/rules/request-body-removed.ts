import { slotRule } from '../kit/define.ts';
import { requestBody } from '../kit/aspects.ts';

export const rule = slotRule({
  title: 'request body removed', severity: 'breaking',
  of: requestBody, on: 'removed',
  message: () => 'request body removed',
});
