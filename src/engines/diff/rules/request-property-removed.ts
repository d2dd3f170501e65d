import { propertyChanges, schemaRule } from '../rule-kit.ts';

/** Clients still send it; the service ignores it at best, rejects it when the body is closed. */
export const rule = schemaRule({
  id: 'request-property-removed',
  title: 'request property removed',
  severity: 'breaking',
  direction: 'request',
  check(pair, ctx) {
    return propertyChanges(pair, ctx).removed.map((r) => ({ message: `property '${r.name}' removed`, oldPointer: r.oldPtr }));
  },
});
