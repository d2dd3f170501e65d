import { slotRule } from '../kit/define.ts';
import { operationField } from '../kit/aspects.ts';

/**
 * `x-required-role` set or changed. Roles are ranked per API, not globally, so any change of the role
 * string is treated as raising it: a caller holding the old role may now get 403.
 */
export const rule = slotRule({
  title: 'required role added or changed', severity: 'breaking',
  of: operationField('x-required-role'), on: ['added', 'changed'],
  message: (s) => (s.old ? `x-required-role changed from '${s.old.value}' to '${s.new?.value}'` : `x-required-role '${s.new?.value}' added`),
});
