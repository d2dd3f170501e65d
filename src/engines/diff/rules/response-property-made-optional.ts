import { propertyChanges, schemaRule } from '../rule-kit.ts';

export const rule = schemaRule({
  id: 'response-property-made-optional',
  title: 'required response property made optional',
  severity: 'breaking',
  direction: 'response',
  check(pair, ctx) {
    return propertyChanges(pair, ctx).madeOptional.map((c) => ({ message: `property '${c.name}' is no longer required`, oldPointer: c.oldPtr, newPointer: c.newPtr }));
  },
});
