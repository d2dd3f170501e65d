import { operationRule } from '../rule-kit.ts';

export const rule = operationRule({
  id: 'parameter-added-required',
  title: 'required parameter added',
  severity: 'breaking',
  check(p) {
    return [...p.new.parameters]
      .filter(([key, n]) => !p.old.parameters.has(key) && n.param.required === true)
      .map(([, n]) => ({ message: `required ${String(n.param.in)} parameter '${String(n.param.name)}' added`, oldPointer: undefined, newPointer: n.pointer }));
  },
});
