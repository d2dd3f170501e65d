import { isDeepStrictEqual } from 'node:util';
import { isSecured } from '../../src/core/auth/index.ts';
import type { Check } from '../types.ts';
import { statusMatches } from './auth-class.ts';

/**
 * With a valid credential, an operation with an auth contract must not refuse the credential. A
 * 401/403 counts as a refusal unless the contract states exact refusal bodies and this body is not
 * one of them: then the 403 is the operation's own business rule (e.g. Defguard's "Cannot create
 * API token for non-admin user", which is about the target user, not the caller).
 */
export const authValid: Check<'auth-valid'> = {
  id: 'auth-valid',
  title: 'A valid credential is not refused',
  // Only the runner knows the credential it sent is valid: a recorded one may be revoked or unknown.
  appliesTo: { kinds: ['positive'], needsAuthContract: true, request: 'planned' },
  run({ contract, operation, response }) {
    const auth = operation.authContract;
    const e = auth?.classes.valid;
    if (!auth || !e || !e.applies) return { skip: 'the operation states no outcome for valid credentials' };
    // Where no credential is needed (a login, a password change checked against the body), a 401/403
    // answers the body's user name and password, not the credential.
    if (!isSecured(operation)) return { skip: 'the operation needs no credential, so a refusal is not about one' };
    if (response.status !== 401 && response.status !== 403) return { findings: [] };
    const refusals = Object.values(auth.classes).filter((c) => c && c.applies && c.hasBody && statusMatches(response.status, c.statuses));
    if (refusals.length > 0) {
      let body: unknown;
      try {
        body = JSON.parse(response.text);
      } catch {
        body = undefined;
      }
      if (!refusals.some((c) => isDeepStrictEqual(c!.body, body))) return { findings: [] };
    }
    return { findings: [{ message: `a valid credential was refused with ${response.status}`, location: contract.sourceMap.locate(e.pointer) }] };
  },
};
