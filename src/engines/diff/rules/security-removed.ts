import { isAnonymous, operationRule } from '../rule-kit.ts';

export const rule = operationRule({
  id: 'security-removed',
  title: 'operation no longer requires a credential',
  severity: 'non-breaking',
  check(p) {
    if (isAnonymous(p.old.security) || !isAnonymous(p.new.security)) return undefined;
    return { message: 'operation can now be called without a credential', oldPointer: p.old.securityPointer, newPointer: p.new.securityPointer };
  },
});
