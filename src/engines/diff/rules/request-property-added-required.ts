import { propertyChanges, schemaRule } from '../rule-kit.ts';

export const rule = schemaRule({
  id: 'request-property-added-required',
  title: 'required request property added',
  severity: 'breaking',
  direction: 'request',
  check(pair, ctx) {
    return propertyChanges(pair, ctx).added.filter((a) => a.required).map((a) => ({ message: `required property '${a.name}' added`, newPointer: a.newPtr }));
  },
});
