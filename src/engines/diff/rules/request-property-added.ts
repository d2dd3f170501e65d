import { propertyChanges, schemaRule } from '../rule-kit.ts';

export const rule = schemaRule({
  id: 'request-property-added',
  title: 'optional request property added',
  severity: 'non-breaking',
  direction: 'request',
  check(pair, ctx) {
    return propertyChanges(pair, ctx).added.filter((a) => !a.required).map((a) => ({ message: `optional property '${a.name}' added`, newPointer: a.newPtr }));
  },
});
