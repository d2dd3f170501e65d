import { describeAlt, isAnonymous, operationRule, satisfies } from '../rule-kit.ts';

/** A credential the operation accepted is no longer enough (its scheme is gone, or more schemes are now required together). */
export const rule = operationRule({
  id: 'security-scheme-removed',
  title: 'security scheme no longer accepted',
  severity: 'breaking',
  check(p) {
    if (isAnonymous(p.old.security) || isAnonymous(p.new.security)) return undefined;
    const out = [];
    for (const alt of p.old.security) {
      if (p.new.security.some((n) => satisfies(alt, n))) continue;
      const sameSchemes = p.new.security.some((n) => Object.keys(n).sort().join() === Object.keys(alt).sort().join());
      if (sameSchemes) continue; // scopes only: security-scope-added
      out.push({ message: `credential ${describeAlt(alt)} no longer accepted (now: ${p.new.security.map(describeAlt).join(' or ')})`, oldPointer: p.old.securityPointer, newPointer: p.new.securityPointer });
    }
    return out;
  },
});
