import { operationRule } from '../rule-kit.ts';

export const rule = operationRule({
  id: 'required-role-removed',
  title: 'required role removed',
  severity: 'non-breaking',
  check(p) {
    const a = p.old.requiredRole;
    if (a === undefined || p.new.requiredRole !== undefined) return undefined;
    return { message: `x-required-role '${a}' removed: any valid credential will do`, oldPointer: `${p.old.pointer}/x-required-role`, newPointer: p.new.pointer };
  },
});
