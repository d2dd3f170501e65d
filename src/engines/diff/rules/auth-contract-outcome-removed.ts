import { show, slotRule } from '../kit/define.ts';
import { authOutcomes } from '../kit/aspects.ts';

/** An outcome the contract promised for a credential class is no longer stated. */
export const rule = slotRule({
  title: 'auth contract outcome removed', severity: 'breaking',
  of: authOutcomes, on: 'removed',
  message: (s) => `${s.label}: ${show(s.old?.value)} no longer promised`,
});
