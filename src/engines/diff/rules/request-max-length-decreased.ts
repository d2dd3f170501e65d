import { upperTightened, schemaRule } from '../rule-kit.ts';

export const rule = schemaRule({
  id: 'request-max-length-decreased',
  title: 'request maxLength lowered or set',
  severity: 'breaking',
  direction: 'request',
  check(pair) {
    if (pair.openEnum) return undefined;
    return ['maxLength']
      .map((kw) => upperTightened(pair.old, pair.new, kw))
      .filter((m): m is string => m !== undefined)
      .map((message) => ({ message }));
  },
});
