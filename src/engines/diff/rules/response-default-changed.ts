import { schemaRule, show } from '../rule-kit.ts';

export const rule = schemaRule({
  id: 'response-default-changed',
  title: 'response default changed',
  severity: 'info',
  direction: 'response',
  check(pair) {
    if (JSON.stringify(pair.old.default) === JSON.stringify(pair.new.default)) return undefined;
    return { message: `default changed from ${show(pair.old.default)} to ${show(pair.new.default)}` };
  },
});
