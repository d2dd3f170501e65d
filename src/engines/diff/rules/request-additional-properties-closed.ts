import { schemaRule } from '../rule-kit.ts';

export const rule = schemaRule({
  id: 'request-additional-properties-closed',
  title: 'request object closed to unknown properties',
  severity: 'breaking',
  direction: 'request',
  check(pair) {
    if (pair.old.additionalProperties === false || pair.new.additionalProperties !== false) return undefined;
    return { message: 'unknown properties are now rejected (additionalProperties: false)' };
  },
});
