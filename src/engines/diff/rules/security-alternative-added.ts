import { describeAlt, isAnonymous, operationRule, satisfies } from '../rule-kit.ts';

export const rule = operationRule({
  id: 'security-alternative-added',
  title: 'another credential accepted',
  severity: 'non-breaking',
  check(p) {
    if (isAnonymous(p.old.security) || isAnonymous(p.new.security)) return undefined;
    const key = (alt: Record<string, string[]>) => JSON.stringify(Object.entries(alt).sort());
    const before = new Set(p.old.security.map(key));
    return p.new.security
      .filter(
        (alt) =>
          !before.has(key(alt)) &&
          // Not a tightening of an existing alternative (same schemes, or more schemes required together).
          !p.old.security.some((o) => satisfies(alt, o) || Object.keys(o).sort().join() === Object.keys(alt).sort().join()),
      )
      .map((alt) => ({ message: `credential ${describeAlt(alt)} now accepted`, oldPointer: p.old.securityPointer, newPointer: p.new.securityPointer }));
  },
});
