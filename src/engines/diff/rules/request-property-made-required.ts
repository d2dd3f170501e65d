import { propertyChanges, schemaRule } from '../rule-kit.ts';

export const rule = schemaRule({
  id: 'request-property-made-required',
  title: 'optional request property made required',
  severity: 'breaking',
  direction: 'request',
  check(pair, ctx) {
    return propertyChanges(pair, ctx).madeRequired.map((c) => ({ message: `property '${c.name}' made required`, oldPointer: c.oldPtr, newPointer: c.newPtr }));
  },
});
