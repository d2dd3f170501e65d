import { describeAlt, isAnonymous, operationRule, satisfies } from '../rule-kit.ts';

export const rule = operationRule({
  id: 'security-scope-added',
  title: 'security scope required',
  severity: 'breaking',
  check(p) {
    if (isAnonymous(p.old.security) || isAnonymous(p.new.security)) return undefined;
    const out = [];
    for (const alt of p.old.security) {
      if (p.new.security.some((n) => satisfies(alt, n))) continue;
      const same = p.new.security.find((n) => Object.keys(n).sort().join() === Object.keys(alt).sort().join());
      if (!same) continue;
      out.push({ message: `credential ${describeAlt(alt)} now needs ${describeAlt(same)}`, oldPointer: p.old.securityPointer, newPointer: p.new.securityPointer });
    }
    return out;
  },
});
