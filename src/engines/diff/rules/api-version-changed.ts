import type { DiffRule } from '../types.ts';

/** The contract's own `info.version`; `release-check` judges whether the bump fits the changes. */
export const rule: DiffRule = {
  id: 'api-version-changed',
  title: 'info.version changed',
  severity: 'info',
  *run(ctx) {
    if (ctx.mapped || ctx.old.version === ctx.new.version) return;
    yield { message: `info.version changed from ${ctx.old.version || 'none'} to ${ctx.new.version || 'none'}`, oldPointer: '#/info/version', newPointer: '#/info/version' };
  },
};
