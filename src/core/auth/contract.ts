import { CREDENTIAL_CLASSES, type CredentialClass, type JsonObject } from '../contract/model.ts';
import { isObject } from '../contract/pointer.ts';

/** Where a merged class entry was written: the document's default or the operation's own `x-auth-contract`. */
export type AuthContractOrigin = 'document' | 'operation';

export interface MergedClassEntry {
  /** The class entry as written (`{ status: 401, body: …, wwwAuthenticate: … }`). */
  raw: JsonObject;
  from: AuthContractOrigin;
}

export interface MergedAuthContract {
  scheme?: string;
  schemeFrom?: AuthContractOrigin;
  classes: Partial<Record<CredentialClass, MergedClassEntry>>;
}

/**
 * THE merge rule of `x-auth-contract`, used by the loader (and so the runner, the mocks, library
 * mode, docs), by lint and by diff, so that one contract means one thing to all of them:
 *
 * - The document's `x-auth-contract` (at the document root) is the default of every operation that
 *   needs a credential. It does not apply to operations that take none: its outcomes describe
 *   credentials, and an open operation has nothing to refuse.
 * - An operation's own `x-auth-contract` overrides the default per credential class: its entry for a
 *   class replaces the document's entry for that class as a whole. Fields are never merged one by
 *   one, so an operation never inherits half an outcome (a status from one level, a body from another).
 * - `scheme` follows the same rule: the operation's, else the document's.
 * - `x-auth-contract` under `#/info` is not read; lint rejects it, so it cannot silently mean nothing.
 */
export function mergeAuthContract(documentLevel: unknown, operationLevel: unknown, secured: boolean): MergedAuthContract | undefined {
  const base = secured && isObject(documentLevel) ? documentLevel : undefined;
  const own = isObject(operationLevel) ? operationLevel : undefined;
  if (!base && !own) return undefined;
  const classes: MergedAuthContract['classes'] = {};
  const ownClasses = own && isObject(own.classes) ? own.classes : {};
  const baseClasses = base && isObject(base.classes) ? base.classes : {};
  for (const cls of CREDENTIAL_CLASSES) {
    if (isObject(ownClasses[cls])) classes[cls] = { raw: ownClasses[cls], from: 'operation' };
    else if (isObject(baseClasses[cls])) classes[cls] = { raw: baseClasses[cls], from: 'document' };
  }
  const merged: MergedAuthContract = { classes };
  if (typeof own?.scheme === 'string') Object.assign(merged, { scheme: own.scheme, schemeFrom: 'operation' });
  else if (typeof base?.scheme === 'string') Object.assign(merged, { scheme: base.scheme, schemeFrom: 'document' });
  return merged;
}

/** The statuses a class entry accepts, as written (`401`, `2XX`): `status` may be one value or a list. */
export function entryStatuses(raw: JsonObject): string[] {
  const status = raw.status;
  return (Array.isArray(status) ? status : status === undefined ? [] : [status]).map(String);
}
