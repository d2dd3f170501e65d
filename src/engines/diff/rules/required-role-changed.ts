import { operationRule } from '../rule-kit.ts';

/**
 * `x-required-role` set or changed. Roles are ranked per API, not globally, so any change of the role
 * string is treated as raising it: a caller holding the old role may now get 403.
 */
export const rule = operationRule({
  id: 'required-role-changed',
  title: 'required role added or changed',
  severity: 'breaking',
  check(p) {
    const a = p.old.requiredRole;
    const b = p.new.requiredRole;
    if (a === b || b === undefined) return undefined;
    return {
      message: a === undefined ? `x-required-role '${b}' added` : `x-required-role changed from '${a}' to '${b}'`,
      oldPointer: a === undefined ? p.old.pointer : `${p.old.pointer}/x-required-role`,
      newPointer: `${p.new.pointer}/x-required-role`,
    };
  },
});
