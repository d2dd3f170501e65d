import type { OperationModel } from '../../src/core/contract/model.ts';
import type { CaseKind, CaseOrigin, Check, CheckId, RefusedClass, RequestCase } from '../types.ts';
import { authClassCheck } from './auth-class.ts';
import { authOtherUser } from './auth-other-user.ts';
import { authRequired } from './auth-required.ts';
import { authValid } from './auth-valid.ts';
import { contentType } from './content-type.ts';
import { createdReadable } from './created-readable.ts';
import { deletedGone } from './deleted-gone.ts';
import { negativeInput } from './negative-input.ts';
import { noServerError } from './no-server-error.ts';
import { paginationConsistent } from './pagination-consistent.ts';
import { positiveInput } from './positive-input.ts';
import { responseHeaders } from './response-headers.ts';
import { responseSchema } from './response-schema.ts';
import { statusDeclared } from './status-declared.ts';

/**
 * The one registry: every check by its stable id, in the order results are reported (after a
 * case's primary check). The type makes a missing check, or one filed under another id, a compile
 * error; which cases each check judges is its own `appliesTo`.
 */
const REGISTRY: { readonly [K in CheckId]: Check<K> } = {
  'status-declared': statusDeclared,
  'content-type': contentType,
  'response-schema': responseSchema,
  'response-headers': responseHeaders,
  'pagination-consistent': paginationConsistent,
  'no-server-error': noServerError,
  'positive-input': positiveInput,
  'negative-input': negativeInput,
  'auth-required': authRequired,
  'auth-valid': authValid,
  'created-readable': createdReadable,
  'deleted-gone': deletedGone,
  'auth-missing': authClassCheck('missing'),
  'auth-malformed': authClassCheck('malformed'),
  'auth-wrong-scheme': authClassCheck('wrong-scheme'),
  'auth-unknown': authClassCheck('unknown'),
  'auth-revoked': authClassCheck('revoked'),
  'auth-expired': authClassCheck('expired'),
  'auth-deprovisioned': authClassCheck('deprovisioned'),
  'auth-insufficient': authClassCheck('insufficient'),
  'auth-other-tenant': authClassCheck('other-tenant'),
  'auth-other-user': authOtherUser,
};

const CHECK_IDS = Object.keys(REGISTRY) as readonly CheckId[];

/** Every check, by its stable id. */
export const checks: ReadonlyMap<CheckId, Check> = new Map(CHECK_IDS.map((id) => [id, REGISTRY[id]]));

export function getCheck(id: CheckId): Check {
  return REGISTRY[id];
}

/** What decides which checks judge a case. */
export type CaseShape = Pick<RequestCase, 'kind' | 'credentialClass'> & { operation: Pick<OperationModel, 'authContract'> };

/**
 * The check a case exists for: it is reported first, and a case that is not sent is reported once,
 * under it. A valid request is about its status; an invalid one about its rejection; one without
 * credentials about the 401; an auth case about its credential class.
 */
export function primaryCheck(rc: Pick<RequestCase, 'kind' | 'credentialClass'>): CheckId {
  const byKind: Record<CaseKind, () => CheckId> = {
    positive: () => 'status-declared',
    negative: () => 'negative-input',
    'no-credentials': () => 'auth-required',
    'read-back': () => 'created-readable',
    gone: () => 'deleted-gone',
    auth: () => {
      if (!rc.credentialClass || rc.credentialClass === 'valid') throw new Error('an auth case names the credential class it sends');
      return `auth-${rc.credentialClass}`;
    },
  };
  return byKind[rc.kind]();
}

/** True when the check judges this case, coming from where it comes from. */
export function appliesTo(check: Check, rc: CaseShape, origin: CaseOrigin): boolean {
  const a = check.appliesTo;
  if (!a.kinds.includes(rc.kind)) return false;
  if (a.request === 'planned' && origin !== 'planned') return false;
  if (a.credentialClass !== undefined && a.credentialClass !== (rc.credentialClass as RefusedClass | undefined)) return false;
  if (a.needsAuthContract && !rc.operation.authContract) return false;
  return true;
}

/**
 * The checks that judge a case: its primary check first, then every other applicable check in
 * registry order. The runner, the traffic check and library mode all ask here; no other list exists.
 */
export function checksFor(rc: CaseShape, origin: CaseOrigin): CheckId[] {
  const primary = primaryCheck(rc);
  const rest = CHECK_IDS.filter((id) => id !== primary && appliesTo(REGISTRY[id], rc, origin));
  // The primary check must apply, or a case would be reported under a check that never judges it.
  if (!appliesTo(REGISTRY[primary], rc, origin)) throw new Error(`check '${primary}' does not judge ${rc.kind} cases from ${origin} requests`);
  return [primary, ...rest];
}
