import { slotRule } from '../kit/define.ts';
import { operationField } from '../kit/aspects.ts';

export const rule = slotRule({
  title: 'required role removed', severity: 'non-breaking',
  of: operationField('x-required-role'), on: 'removed',
  message: (s) => `x-required-role '${s.old?.value}' removed: any valid credential will do`,
});
