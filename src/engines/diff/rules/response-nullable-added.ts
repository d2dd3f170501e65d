import { schemaRule } from '../rule-kit.ts';
import { typeChange } from '../types-kit.ts';

/** `type: [T, 'null']` in OpenAPI 3.1. */
export const rule = schemaRule({
  id: 'response-nullable-added',
  title: 'response nullable added',
  severity: 'breaking',
  direction: 'response',
  check(pair) {
    return typeChange(pair.old, pair.new)?.nullAdded ? { message: 'may now be null' } : undefined;
  },
});
