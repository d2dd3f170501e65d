import { operationRule } from '../rule-kit.ts';

export const rule = operationRule({
  id: 'request-body-removed',
  title: 'request body removed',
  severity: 'breaking',
  check(p) {
    if (!p.old.requestBody || p.new.requestBody) return undefined;
    return { message: 'request body removed', oldPointer: p.old.requestBody.pointer, newPointer: undefined };
  },
});
