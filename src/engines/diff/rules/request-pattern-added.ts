import { schemaRule } from '../kit/define.ts';
import { tightened } from '../kit/schema-checks.ts';

/** A pattern set where there was none, or changed (whether the new one is looser cannot be known). */
export const rule = schemaRule({
  title: 'request pattern added or changed', severity: 'breaking',
  direction: 'request',
  check: tightened('pattern'),
});
