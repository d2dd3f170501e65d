import { operationRule } from '../rule-kit.ts';

export const rule = operationRule({
  id: 'request-body-made-required',
  title: 'request body added as required, or made required',
  severity: 'breaking',
  check(p) {
    const o = p.old.requestBody;
    const n = p.new.requestBody;
    if (!n || n.body.required !== true || o?.body.required === true) return undefined;
    return { message: o ? 'request body made required' : 'required request body added', oldPointer: o?.pointer, newPointer: n.pointer };
  },
});
