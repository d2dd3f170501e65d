import { slotRule, show } from '../kit/define.ts';
import { operationField } from '../kit/aspects.ts';

export const rule = slotRule({
  title: 'x-api-version of an operation changed', severity: 'info',
  of: operationField('x-api-version'), on: ['added', 'removed', 'changed'],
  message: (s) => `x-api-version changed from ${show(s.old?.value)} to ${show(s.new?.value)}`,
});
