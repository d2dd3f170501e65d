import { propertyChanges, schemaRule } from '../rule-kit.ts';

/** Responses are open (CONVENTIONS.md): a new field, required or not, breaks no reader. */
export const rule = schemaRule({
  id: 'response-property-added',
  title: 'response property added',
  severity: 'non-breaking',
  direction: 'response',
  check(pair, ctx) {
    return propertyChanges(pair, ctx).added.map((a) => ({ message: `${a.required ? 'required' : 'optional'} property '${a.name}' added`, newPointer: a.newPtr }));
  },
});
