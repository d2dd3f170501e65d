import { propertyChanges, schemaRule } from '../rule-kit.ts';

export const rule = schemaRule({
  id: 'request-property-made-optional',
  title: 'required request property made optional',
  severity: 'non-breaking',
  direction: 'request',
  check(pair, ctx) {
    return propertyChanges(pair, ctx).madeOptional.map((c) => ({ message: `property '${c.name}' made optional`, oldPointer: c.oldPtr, newPointer: c.newPtr }));
  },
});
