import { schemaRule, show } from '../rule-kit.ts';

/** `date-time` → `date`, `uuid` added: what a value looks like changed, on either side. */
export const rule = schemaRule({
  id: 'format-changed',
  title: 'format changed',
  severity: 'breaking',
  check(pair) {
    const a = pair.old.format;
    const b = pair.new.format;
    if (a === b || (b === undefined && pair.direction === 'request')) return undefined;
    if (a === undefined && pair.direction === 'response') return undefined;
    return { message: `format changed from ${show(a)} to ${show(b)}` };
  },
});
