import { branchName, schemaRule, unionChanges } from '../rule-kit.ts';

export const rule = schemaRule({
  id: 'request-union-branch-added',
  title: 'request oneOf/anyOf branch added',
  severity: 'non-breaking',
  direction: 'request',
  check(pair, ctx) {
    return unionChanges(pair, ctx).flatMap((u) =>
      u.added.map((b) => ({ message: `${u.kw} branch ${branchName(b)} added (now accepted)`, newPointer: b.pointer })),
    );
  },
});
