import { schemaRule } from '../rule-kit.ts';
import { typeChange } from '../types-kit.ts';

/** `type: [T, 'null']` in OpenAPI 3.1. */
export const rule = schemaRule({
  id: 'request-nullable-added',
  title: 'request nullable added',
  severity: 'non-breaking',
  direction: 'request',
  check(pair) {
    return typeChange(pair.old, pair.new)?.nullAdded ? { message: 'now accepts null' } : undefined;
  },
});
