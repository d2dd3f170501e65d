import { slotRule } from '../kit/define.ts';
import { unionBranches } from '../kit/schema-checks.ts';

export const rule = slotRule({
  title: 'response oneOf/anyOf branch removed', severity: 'non-breaking',
  of: unionBranches('response'), on: 'removed',
  message: (s) => `${s.label} removed (no longer returned)`,
});
