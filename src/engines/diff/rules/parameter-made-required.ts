import { operationRule } from '../rule-kit.ts';

export const rule = operationRule({
  id: 'parameter-made-required',
  title: 'optional parameter made required',
  severity: 'breaking',
  check(p) {
    const out = [];
    for (const [key, o] of p.old.parameters) {
      const n = p.new.parameters.get(key);
      if (n && o.param.required !== true && n.param.required === true) {
        out.push({ message: `${String(n.param.in)} parameter '${String(n.param.name)}' made required`, oldPointer: o.pointer, newPointer: n.pointer });
      }
    }
    return out;
  },
});
