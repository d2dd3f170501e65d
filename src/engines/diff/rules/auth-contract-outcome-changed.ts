import { show, slotRule } from '../kit/define.ts';
import { authOutcomes } from '../kit/aspects.ts';

/** The expected outcome (status, challenge, …) for a credential class changed: clients that handle today's answer break. */
export const rule = slotRule({
  title: 'auth contract outcome changed', severity: 'breaking',
  of: authOutcomes, on: 'changed',
  message: (s) => `${s.label}: ${show(s.old?.value)} → ${show(s.new?.value)}`,
});
