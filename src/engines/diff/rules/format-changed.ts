import { schemaRule, show } from '../kit/define.ts';

/** What a value looks like changed: a format clients must now send, or one they relied on receiving. */
export const rule = schemaRule({
  title: 'format changed', severity: 'breaking',
  // Judged on both sides: a format a request value must now have, or one a response value no longer promises.
  check: ({ direction, old, new: now }) =>
    old.format !== now.format && (direction === 'request' ? now.format : old.format) !== undefined ? `format changed from ${show(old.format)} to ${show(now.format)}` : undefined,
});
