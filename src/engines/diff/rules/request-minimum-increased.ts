import { lowerTightened, schemaRule } from '../rule-kit.ts';

export const rule = schemaRule({
  id: 'request-minimum-increased',
  title: 'request minimum raised or set',
  severity: 'breaking',
  direction: 'request',
  check(pair) {
    if (pair.openEnum) return undefined;
    return ['minimum', 'exclusiveMinimum']
      .map((kw) => lowerTightened(pair.old, pair.new, kw))
      .filter((m): m is string => m !== undefined)
      .map((message) => ({ message }));
  },
});
