import { slotRule } from '../kit/define.ts';
import { operationField } from '../kit/aspects.ts';

export const rule = slotRule({
  title: 'operation deprecated', severity: 'info',
  of: operationField('deprecated'), on: ['added', 'changed'], when: (s) => s.new?.value === true,
  message: () => 'operation marked deprecated',
});
