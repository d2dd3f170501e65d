import { schemaRule, show } from '../kit/define.ts';

/** What a value looks like changed: a format clients must now send, or one they relied on receiving. */
export const rule = schemaRule({
  title: 'format changed',
  severity: 'breaking',
  check: ({ direction, old, new: now }) =>
    old.format !== now.format && (direction === 'request' ? now.format : old.format) !== undefined ? `format changed from ${show(old.format)} to ${show(now.format)}` : undefined,
});
