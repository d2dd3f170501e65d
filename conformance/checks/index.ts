import type { Check } from '../types.ts';
import { CREDENTIAL_CLASSES, type CredentialClass } from '../../src/core/contract/model.ts';
import { authClassCheck, authValid } from './auth-class.ts';
import { authRequired } from './auth-required.ts';
import { contentType } from './content-type.ts';
import { negativeInput } from './negative-input.ts';
import { noServerError } from './no-server-error.ts';
import { paginationConsistent } from './pagination-consistent.ts';
import { positiveInput } from './positive-input.ts';
import { responseHeaders } from './response-headers.ts';
import { responseSchema } from './response-schema.ts';
import { statusDeclared } from './status-declared.ts';

/** Every check, by its stable id. */
export const AUTH_CLASS_CHECKS = CREDENTIAL_CLASSES.filter((c): c is Exclude<CredentialClass, 'valid'> => c !== 'valid').map(authClassCheck);

export const checks: ReadonlyMap<string, Check> = new Map(
  [
    statusDeclared,
    contentType,
    responseSchema,
    responseHeaders,
    paginationConsistent,
    noServerError,
    negativeInput,
    positiveInput,
    authRequired,
    authValid,
    ...AUTH_CLASS_CHECKS,
  ].map((c) => [c.id, c]),
);

export function getCheck(id: string): Check {
  const check = checks.get(id);
  // A plan that names a check nobody implemented must fail loudly, never pass silently.
  if (!check) throw new Error(`check '${id}' is not implemented`);
  return check;
}
