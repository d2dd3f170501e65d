import { slotRule } from '../kit/define.ts';
import { unionBranches } from '../kit/schema-checks.ts';

export const rule = slotRule({
  title: 'request oneOf/anyOf branch added', severity: 'non-breaking',
  of: unionBranches('request'), on: 'added',
  message: (s) => `${s.label} added (now accepted)`,
});
