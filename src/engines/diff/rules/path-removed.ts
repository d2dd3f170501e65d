import { routeKey } from '../context.ts';
import type { DiffRule } from '../types.ts';
import { escapePointerFragment } from '@redocly/openapi-core';

/** Every operation of a path is gone (and no operation of the new contract uses the path). */
export const rule: DiffRule = {
  id: 'path-removed',
  title: 'path removed',
  severity: 'breaking',
  *run(ctx) {
    const newPaths = new Set([...ctx.pairs.map((p) => p.new), ...ctx.added].map((v) => routeKey('', v.path)));
    const byPath = new Map<string, string[]>();
    for (const v of ctx.removed) {
      if (newPaths.has(routeKey('', v.path))) continue;
      byPath.set(v.path, [...(byPath.get(v.path) ?? []), v.label]);
    }
    for (const [path, operations] of byPath) {
      yield { message: `path ${path} removed (${operations.length} operation${operations.length > 1 ? 's' : ''})`, oldPointer: `#/paths/${escapePointerFragment(path)}`, operations };
    }
  },
};
