import { describeAlt, isAnonymous, operationRule } from '../rule-kit.ts';

/** An operation anyone could call now wants a credential. */
export const rule = operationRule({
  id: 'security-added',
  title: 'security added to an operation that had none',
  severity: 'breaking',
  check(p) {
    if (!isAnonymous(p.old.security) || isAnonymous(p.new.security)) return undefined;
    return { message: `operation now requires a credential: ${p.new.security.map(describeAlt).join(' or ')}`, oldPointer: p.old.securityPointer, newPointer: p.new.securityPointer };
  },
});
