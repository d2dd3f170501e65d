import { operationRule, show } from '../rule-kit.ts';

export const rule = operationRule({
  id: 'operation-api-version-changed',
  title: 'x-api-version of an operation changed',
  severity: 'info',
  check(p) {
    const a = p.old.op['x-api-version'];
    const b = p.new.op['x-api-version'];
    if (a === b) return undefined;
    return { message: `x-api-version changed from ${show(a)} to ${show(b)}`, oldPointer: `${p.old.pointer}/x-api-version`, newPointer: `${p.new.pointer}/x-api-version` };
  },
});
