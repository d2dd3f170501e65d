import { randomBytes } from 'node:crypto';
import type { StoredCredential } from '../kit/credentials.ts';
import { mayReach, type Ownership } from '../kit/ownership.ts';
import type { DefguardState, UserInfo, UserMfa } from './model.ts';
import { caller } from './views.ts';

/**
 * What the per-user and MFA routes share: who the caller is as Defguard's `SessionInfo` extractor
 * sees them, the self-or-admin rule (`user_for_admin_or_self`, handlers/mod.rs), the `User-Agent`
 * the activity-log context needs, and the bookkeeping of second factors that
 * `User::verify_mfa_state` and `User::disable_mfa` do (crates/defguard_common/src/db/models/user.rs).
 */

type Refusal<S extends number = number> = { status: S; body: { msg: string } };

/** The caller's user record, or the 401 Defguard gives a credential whose user is gone. */
export function sessionUser(state: DefguardState, credential: StoredCredential | undefined): { user: UserInfo; isAdmin: boolean } | Refusal<401> {
  const who = caller(state, credential);
  return who.user ? { user: who.user, isAdmin: who.isAdmin } : { status: 401, body: { msg: 'User not found' } };
}

/** The user named in the path, when the caller is that user or an admin: 403 otherwise, then 404 if there is no such user. */
export function userForAdminOrSelf(
  state: DefguardState,
  req: { credential?: StoredCredential; ownership?: Ownership },
  username: string,
): { user: UserInfo; me: UserInfo; isAdmin: boolean } | Refusal<401 | 403 | 404> {
  const who = sessionUser(state, req.credential);
  if ('status' in who) return who;
  // The kit's one ownership rule (the ignores-ownership fault lifts it).
  if (!mayReach(req, { self: who.user.username === username, privileged: who.isAdmin })) return { status: 403, body: { msg: 'requires privileged access' } };
  const user = state.users.get(username);
  return user ? { user, me: who.user, isAdmin: who.isAdmin } : { status: 404, body: { msg: `user ${username} not found` } };
}

/** Routes that record an activity-log event read the `User-Agent` header first: 400 without it. */
export function missingUserAgent(headers: Record<string, string | string[] | undefined>): Refusal<400> | undefined {
  return headers['user-agent'] ? undefined : { status: 400, body: { msg: 'Missing UserAgent header' } };
}

export const isRefusal = <T extends object>(r: T | Refusal): r is Refusal => 'status' in r;

/** The user's second factors, created empty on first use. */
export function mfaOf(state: DefguardState, username: string): UserMfa {
  let m = state.mfa.get(username);
  if (!m) state.mfa.set(username, (m = { totpSecret: null, emailSecret: null, recoveryCodes: [] }));
  return m;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const alphanumeric = (n: number) => [...randomBytes(n)].map((b) => ALNUM[b % ALNUM.length]).join('');

/**
 * Recovery codes come once: eight of 16 letters and digits when the user has none, else null
 * (`User::get_recovery_codes`), so only the first factor's confirmation shows them.
 */
export function issueRecoveryCodes(state: DefguardState, username: string): string[] | null {
  const m = mfaOf(state, username);
  if (m.recoveryCodes.length > 0) return null;
  m.recoveryCodes = Array.from({ length: 8 }, () => alphanumeric(16));
  return [...m.recoveryCodes];
}

export const securityKeysOf = (state: DefguardState, u: UserInfo) => [...state.securityKeys.values()].filter((k) => k.user_id === u.id).sort((a, b) => a.id - b.id);

/** MFA off: every factor, security key and recovery code goes (`User::disable_mfa`). */
export function disableMfa(state: DefguardState, u: UserInfo): void {
  Object.assign(u, { mfa_enabled: false, mfa_method: 'None', totp_enabled: false, email_mfa_enabled: false });
  state.mfa.set(u.username, { totpSecret: null, emailSecret: null, recoveryCodes: [] });
  for (const k of securityKeysOf(state, u)) state.securityKeys.delete(k.id);
}

/**
 * `User::verify_mfa_state`: `mfa_enabled` follows whether any factor is configured (the first one
 * turns it on, removing the last turns MFA off entirely), and the preferred method is one the user
 * has, in Defguard's order: security key, TOTP, e-mail.
 */
export function verifyMfaState(state: DefguardState, u: UserInfo): void {
  const methods: UserInfo['mfa_method'][] = [];
  if (securityKeysOf(state, u).length > 0) methods.push('Webauthn');
  if (u.totp_enabled) methods.push('OneTimePassword');
  if (u.email_mfa_enabled) methods.push('Email');
  const present = methods.length > 0;
  if (u.mfa_enabled !== present) {
    if (u.mfa_enabled) disableMfa(state, u);
    u.mfa_enabled = present;
    if (!present) u.mfa_method = 'None';
  }
  if (present && !methods.includes(u.mfa_method)) u.mfa_method = methods[0]!;
}

/** The second factors a user with MFA can log in with (`MFAInfo`), as `POST /auth` answers 201. */
export const mfaInfo = (state: DefguardState, u: UserInfo) => ({
  mfa_method: u.mfa_method,
  totp_available: u.totp_enabled,
  webauthn_available: securityKeysOf(state, u).length > 0,
  email_available: u.email_mfa_enabled,
});
