import { escapePointerFragment } from '@redocly/openapi-core';
import { isObject, show } from '../rule-kit.ts';
import { resolve } from '../schema.ts';
import type { DiffRule } from '../types.ts';

const FIELDS = ['type', 'in', 'name', 'scheme', 'bearerFormat', 'openIdConnectUrl', 'x-scheme-prefix', 'x-token-pattern'];

/** Where or how the credential is sent changed (header name, scheme word, prefix, token shape). */
export const rule: DiffRule = {
  id: 'security-scheme-changed',
  title: 'security scheme definition changed',
  severity: 'breaking',
  *run(ctx) {
    const schemes = (doc: Record<string, unknown>) => (isObject(doc.components) && isObject(doc.components.securitySchemes) ? doc.components.securitySchemes : {});
    const o = schemes(ctx.old.document);
    const n = schemes(ctx.new.document);
    for (const name of Object.keys(o)) {
      if (!(name in n)) continue;
      const ptr = `#/components/securitySchemes/${escapePointerFragment(name)}`;
      const a = resolve(ctx.old.document, o[name], ptr).node ?? {};
      const b = resolve(ctx.new.document, n[name], ptr).node ?? {};
      const diffs = FIELDS.filter((f) => JSON.stringify(a[f]) !== JSON.stringify(b[f])).map((f) => `${f} ${show(a[f])} → ${show(b[f])}`);
      if (JSON.stringify(a.flows) !== JSON.stringify(b.flows)) diffs.push('OAuth flows changed');
      if (diffs.length === 0) continue;
      const operations = ctx.pairs.filter((p) => p.new.security.some((alt) => name in alt)).map((p) => p.label);
      yield { message: `security scheme ${name}: ${diffs.join(', ')}`, oldPointer: ptr, newPointer: ptr, operations };
    }
  },
};
