import { slotRule } from '../kit/define.ts';
import { securitySchemes } from '../kit/aspects.ts';
import { schemeChanges } from '../kit/security.ts';

/** Where or how the credential is sent changed (header name, scheme word, prefix, token shape). */
export const rule = slotRule({
  title: 'security scheme definition changed', severity: 'breaking',
  of: securitySchemes, on: 'changed', when: (s) => schemeChanges(s).length > 0,
  message: (s) => `security scheme ${s.label}: ${schemeChanges(s).join(', ')}`,
});
