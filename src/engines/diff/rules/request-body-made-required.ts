import { slotRule } from '../kit/define.ts';
import { requestBody } from '../kit/aspects.ts';

export const rule = slotRule({
  title: 'request body added as required, or made required', severity: 'breaking',
  of: requestBody, on: ['added', 'changed'], when: (s) => s.new?.value.required === true && s.old?.value.required !== true,
  message: (s) => (s.old ? 'request body made required' : 'required request body added'),
});
