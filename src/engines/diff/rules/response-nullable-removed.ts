import { schemaRule } from '../rule-kit.ts';
import { typeChange } from '../types-kit.ts';

/** `type: [T, 'null']` in OpenAPI 3.1. */
export const rule = schemaRule({
  id: 'response-nullable-removed',
  title: 'response nullable removed',
  severity: 'non-breaking',
  direction: 'response',
  check(pair) {
    return typeChange(pair.old, pair.new)?.nullRemoved ? { message: 'is no longer null' } : undefined;
  },
});
