import { schemaRule } from '../kit/define.ts';
import { enumValues } from '../kit/schema-checks.ts';

/**
 * Clients switching over a closed set meet a value they do not know. Open enumerations
 * (`anyOf: [{enum}, {type: string}]`, CONVENTIONS.md) already promise unknown values: not reported.
 */
export const rule = schemaRule({
  title: 'response enum value added', severity: 'breaking',
  direction: 'response',
  check: enumValues('added'),
});
