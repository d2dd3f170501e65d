import { operationRule } from '../rule-kit.ts';

export const rule = operationRule({
  id: 'operation-deprecated',
  title: 'operation deprecated',
  severity: 'info',
  check(p) {
    if (p.old.op.deprecated === true || p.new.op.deprecated !== true) return undefined;
    return { message: 'operation marked deprecated', newPointer: `${p.new.pointer}/deprecated` };
  },
});
