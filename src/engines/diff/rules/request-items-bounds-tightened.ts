import { lowerTightened, schemaRule, upperTightened } from '../rule-kit.ts';

export const rule = schemaRule({
  id: 'request-items-bounds-tightened',
  title: 'request array/object size bounds tightened',
  severity: 'breaking',
  direction: 'request',
  check(pair) {
    const found = [
      upperTightened(pair.old, pair.new, 'maxItems'),
      upperTightened(pair.old, pair.new, 'maxProperties'),
      lowerTightened(pair.old, pair.new, 'minItems'),
      lowerTightened(pair.old, pair.new, 'minProperties'),
      pair.old.uniqueItems !== true && pair.new.uniqueItems === true ? 'uniqueItems set' : undefined,
    ];
    return found.filter((m): m is string => m !== undefined).map((message) => ({ message }));
  },
});
