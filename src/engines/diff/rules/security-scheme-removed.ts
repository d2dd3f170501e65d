import { slotRule } from '../kit/define.ts';
import { credentials, describeSecurity } from '../kit/security.ts';

/** A credential the operation accepted is no longer enough (its scheme is gone, or more schemes are now required together). */
export const rule = slotRule({
  title: 'security scheme no longer accepted', severity: 'breaking',
  of: credentials, on: 'removed',
  message: (s) => `${s.label} no longer accepted (now: ${describeSecurity(s.holder!.new)})`,
});
