import { slotRule } from '../kit/define.ts';
import { credentials } from '../kit/security.ts';

export const rule = slotRule({
  title: 'another credential accepted', severity: 'non-breaking',
  of: credentials, on: 'added',
  message: (s) => `${s.label} now accepted`,
});
