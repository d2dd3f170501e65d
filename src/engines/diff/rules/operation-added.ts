import type { DiffRule } from '../types.ts';

export const rule: DiffRule = {
  id: 'operation-added',
  title: 'operation added',
  severity: 'non-breaking',
  *run(ctx) {
    for (const v of ctx.added) yield { message: `operation ${v.label} added`, newPointer: v.pointer, operations: [v.label] };
  },
};
