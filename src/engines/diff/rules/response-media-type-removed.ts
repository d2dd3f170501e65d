import { contentOf } from '../context.ts';
import { operationRule } from '../rule-kit.ts';

export const rule = operationRule({
  id: 'response-media-type-removed',
  title: 'response media type removed',
  severity: 'breaking',
  check(p, ctx) {
    const out = [];
    for (const [status, o] of p.old.responses) {
      const n = p.new.responses.get(status);
      if (!n) continue;
      const oc = contentOf(ctx.old.document, o.response, o.pointer);
      const nc = contentOf(ctx.new.document, n.response, n.pointer);
      for (const [mt, m] of oc) if (!nc.has(mt)) out.push({ message: `response ${status}: media type ${mt} removed`, oldPointer: m.pointer, newPointer: n.pointer });
    }
    return out;
  },
});
