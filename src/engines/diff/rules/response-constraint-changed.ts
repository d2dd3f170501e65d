import { schemaRule } from '../kit/define.ts';
import { BOUNDS, changed } from '../kit/schema-checks.ts';

/** Bounds and patterns of response values: worth knowing, rarely what a client relies on. */
export const rule = schemaRule({
  title: 'response constraint changed', severity: 'info',
  direction: 'response',
  check: changed(...BOUNDS, 'pattern'),
});
