import { show, slotRule } from '../kit/define.ts';
import { authOutcomes } from '../kit/aspects.ts';

/** An outcome for a credential class is stated where the contract said nothing. */
export const rule = slotRule({
  title: 'auth contract outcome added', severity: 'non-breaking',
  of: authOutcomes, on: 'added',
  message: (s) => `${s.label}: ${show(s.new?.value)} now stated`,
});
