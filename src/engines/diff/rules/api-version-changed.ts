import { slotRule } from '../kit/define.ts';
import { documentField } from '../kit/aspects.ts';

/** The contract's own `info.version`; `release-check` judges whether the bump fits the changes. */
export const rule = slotRule({
  title: 'info.version changed', severity: 'info',
  of: documentField('#/info/version'), on: ['changed', 'added', 'removed'],
  message: (s) => `info.version changed from ${s.old?.value ?? 'none'} to ${s.new?.value ?? 'none'}`,
});
