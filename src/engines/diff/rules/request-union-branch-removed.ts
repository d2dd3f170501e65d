import { branchName, schemaRule, unionChanges } from '../rule-kit.ts';

export const rule = schemaRule({
  id: 'request-union-branch-removed',
  title: 'request oneOf/anyOf branch removed',
  severity: 'breaking',
  direction: 'request',
  check(pair, ctx) {
    return unionChanges(pair, ctx).flatMap((u) =>
      u.removed.map((b) => ({ message: `${u.kw} branch ${branchName(b)} removed (no longer accepted)`, oldPointer: b.pointer })),
    );
  },
});
