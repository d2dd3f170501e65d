import { slotRule } from '../kit/define.ts';
import { unionBranches } from '../kit/schema-checks.ts';

export const rule = slotRule({
  title: 'response oneOf/anyOf branch added', severity: 'breaking',
  of: unionBranches('response'), on: 'added',
  message: (s) => `${s.label} added (may now be returned)`,
});
