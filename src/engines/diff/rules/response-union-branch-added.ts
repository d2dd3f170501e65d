import { branchName, schemaRule, unionChanges } from '../rule-kit.ts';

export const rule = schemaRule({
  id: 'response-union-branch-added',
  title: 'response oneOf/anyOf branch added',
  severity: 'breaking',
  direction: 'response',
  check(pair, ctx) {
    return unionChanges(pair, ctx).flatMap((u) =>
      u.added.map((b) => ({ message: `${u.kw} branch ${branchName(b)} added (may now be returned)`, newPointer: b.pointer })),
    );
  },
});
