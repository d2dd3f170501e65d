import { contentOf } from '../context.ts';
import { operationRule } from '../rule-kit.ts';

export const rule = operationRule({
  id: 'request-media-type-added',
  title: 'request media type added',
  severity: 'non-breaking',
  check(p, ctx) {
    if (!p.old.requestBody || !p.new.requestBody) return undefined;
    const o = contentOf(ctx.old.document, p.old.requestBody.body, p.old.requestBody.pointer);
    const n = contentOf(ctx.new.document, p.new.requestBody.body, p.new.requestBody.pointer);
    return [...n].filter(([mt]) => !o.has(mt)).map(([mt, m]) => ({ message: `request media type ${mt} added`, oldPointer: p.old.requestBody!.pointer, newPointer: m.pointer }));
  },
});
