import { propertyChanges, schemaRule } from '../rule-kit.ts';

export const rule = schemaRule({
  id: 'response-property-made-required',
  title: 'optional response property made required',
  severity: 'non-breaking',
  direction: 'response',
  check(pair, ctx) {
    return propertyChanges(pair, ctx).madeRequired.map((c) => ({ message: `property '${c.name}' is now always present`, oldPointer: c.oldPtr, newPointer: c.newPtr }));
  },
});
