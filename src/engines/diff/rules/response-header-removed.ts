import { headersOf } from '../context.ts';
import { operationRule } from '../rule-kit.ts';

export const rule = operationRule({
  id: 'response-header-removed',
  title: 'response header removed',
  severity: 'breaking',
  check(p, ctx) {
    const out = [];
    for (const [status, o] of p.old.responses) {
      const n = p.new.responses.get(status);
      if (!n) continue;
      const nh = headersOf(ctx.new.document, n.response, n.pointer);
      for (const [name, h] of headersOf(ctx.old.document, o.response, o.pointer)) {
        if (!nh.has(name)) out.push({ message: `response ${status}: header ${name} removed`, oldPointer: h.pointer, newPointer: n.pointer });
      }
    }
    return out;
  },
});
