import { schemaRule } from '../rule-kit.ts';
import { typeChange } from '../types-kit.ts';

/** `type: [T, 'null']` in OpenAPI 3.1. */
export const rule = schemaRule({
  id: 'request-nullable-removed',
  title: 'request nullable removed',
  severity: 'breaking',
  direction: 'request',
  check(pair) {
    return typeChange(pair.old, pair.new)?.nullRemoved ? { message: 'no longer accepts null' } : undefined;
  },
});
