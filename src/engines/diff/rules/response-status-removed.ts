import { slotRule } from '../kit/define.ts';
import { responseStatuses } from '../kit/aspects.ts';

/** A status clients handle is no longer declared (unless a new `4XX`-style range still covers it). */
export const rule = slotRule({
  title: 'response status removed', severity: 'breaking',
  of: responseStatuses, on: 'removed', when: (s) => !s.holder!.new.has(`${s.key[0]}XX`),
  message: (s) => `${s.label} removed`,
});
