import { propertyChanges, schemaRule } from '../rule-kit.ts';

export const rule = schemaRule({
  id: 'response-property-removed',
  title: 'response property removed',
  severity: 'breaking',
  direction: 'response',
  check(pair, ctx) {
    return propertyChanges(pair, ctx).removed.map((r) => ({ message: `${r.wasRequired ? 'required' : 'optional'} property '${r.name}' removed`, oldPointer: r.oldPtr }));
  },
});
