import { slotRule } from '../kit/define.ts';
import { describeSecurity, isAnonymous, security } from '../kit/security.ts';

/** An operation anyone could call now wants a credential. */
export const rule = slotRule({
  title: 'security added to an operation that had none', severity: 'breaking',
  of: security, on: 'changed', when: (s) => isAnonymous(s.old!.value) && !isAnonymous(s.new!.value),
  message: (s) => `operation now requires a credential: ${describeSecurity(s.new!.value)}`,
});
