import { slotRule } from '../kit/define.ts';
import { credentials, describeAlt } from '../kit/security.ts';

export const rule = slotRule({
  title: 'security scope required', severity: 'breaking',
  of: credentials, on: 'changed',
  message: (s) => `${s.label} now needs ${describeAlt(s.new!.value)}`,
});
