import { branchName, schemaRule, unionChanges } from '../rule-kit.ts';

export const rule = schemaRule({
  id: 'response-union-branch-removed',
  title: 'response oneOf/anyOf branch removed',
  severity: 'non-breaking',
  direction: 'response',
  check(pair, ctx) {
    return unionChanges(pair, ctx).flatMap((u) =>
      u.removed.map((b) => ({ message: `${u.kw} branch ${branchName(b)} removed (no longer returned)`, oldPointer: b.pointer })),
    );
  },
});
