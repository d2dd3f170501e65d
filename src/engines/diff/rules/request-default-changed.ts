import { schemaRule, show } from '../rule-kit.ts';

/** What the service assumes when a client leaves the value out: same request, other behaviour. */
export const rule = schemaRule({
  id: 'request-default-changed',
  title: 'request default changed',
  severity: 'breaking',
  direction: 'request',
  check(pair) {
    if (JSON.stringify(pair.old.default) === JSON.stringify(pair.new.default)) return undefined;
    return { message: `default changed from ${show(pair.old.default)} to ${show(pair.new.default)}` };
  },
});
