import { contentOf } from '../context.ts';
import { operationRule } from '../rule-kit.ts';

export const rule = operationRule({
  id: 'response-media-type-added',
  title: 'response media type added',
  severity: 'non-breaking',
  check(p, ctx) {
    const out = [];
    for (const [status, o] of p.old.responses) {
      const n = p.new.responses.get(status);
      if (!n) continue;
      const oc = contentOf(ctx.old.document, o.response, o.pointer);
      const nc = contentOf(ctx.new.document, n.response, n.pointer);
      for (const [mt, m] of nc) if (!oc.has(mt)) out.push({ message: `response ${status}: media type ${mt} added`, oldPointer: o.pointer, newPointer: m.pointer });
    }
    return out;
  },
});
