import { routeKey } from '../context.ts';
import type { DiffRule } from '../types.ts';

/** An operation is gone from a path that still exists (a removed path is `path-removed`). */
export const rule: DiffRule = {
  id: 'operation-removed',
  title: 'operation removed',
  severity: 'breaking',
  *run(ctx) {
    const newPaths = new Set([...ctx.pairs.map((p) => p.new), ...ctx.added].map((v) => routeKey('', v.path)));
    for (const v of ctx.removed) {
      if (!newPaths.has(routeKey('', v.path))) continue;
      yield { message: `operation ${v.label} removed`, oldPointer: v.pointer, operations: [v.label] };
    }
  },
};
