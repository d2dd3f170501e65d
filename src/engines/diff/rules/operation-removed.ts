import { slotRule } from '../kit/define.ts';
import { operations, pathStillServed } from '../kit/aspects.ts';

/** An operation is gone from a path that still exists (a removed path is `path-removed`). */
export const rule = slotRule({
  title: 'operation removed', severity: 'breaking',
  of: operations, on: 'removed', when: (s, ctx) => pathStillServed(ctx, s.old!.value),
  message: (s) => `${s.label} removed`,
});
