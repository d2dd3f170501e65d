import { slotRule } from '../kit/define.ts';
import { isAnonymous, security } from '../kit/security.ts';

export const rule = slotRule({
  title: 'operation no longer requires a credential', severity: 'non-breaking',
  of: security, on: 'changed', when: (s) => !isAnonymous(s.old!.value) && isAnonymous(s.new!.value),
  message: () => 'operation can now be called without a credential',
});
