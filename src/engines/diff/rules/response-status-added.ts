import { operationRule } from '../rule-kit.ts';

export const rule = operationRule({
  id: 'response-status-added',
  title: 'response status added',
  severity: 'non-breaking',
  check(p) {
    return [...p.new.responses].filter(([s]) => !p.old.responses.has(s)).map(([s, n]) => ({ message: `response ${s} added`, oldPointer: undefined, newPointer: n.pointer }));
  },
});
