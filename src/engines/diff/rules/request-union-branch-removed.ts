import { slotRule } from '../kit/define.ts';
import { unionBranches } from '../kit/schema-checks.ts';

export const rule = slotRule({
  title: 'request oneOf/anyOf branch removed', severity: 'breaking',
  of: unionBranches('request'), on: 'removed',
  message: (s) => `${s.label} removed (no longer accepted)`,
});
