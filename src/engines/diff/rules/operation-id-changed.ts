import { slotRule } from '../kit/define.ts';
import { operationField } from '../kit/aspects.ts';

/** Generated clients name methods after the operationId; the wire does not change. */
export const rule = slotRule({
  title: 'operationId changed', severity: 'info',
  of: operationField('operationId'), on: 'changed',
  message: (s) => `operationId changed from ${s.old?.value} to ${s.new?.value}`,
});
