import type { operations } from '../../generated/defguard.ts';
import { alphanumericToken, type CredentialStore } from '../kit/credentials.ts';
import type { Handlers } from '../kit/types.ts';
import type { DefguardState, UserInfo } from './model.ts';
import { digest, type Passwords } from './passwords.ts';
import { mfaInfo, verifyMfaState } from './accounts.ts';
import type { OperationModel } from '../../src/core/contract/model.ts';
import type { StoredCredential } from '../kit/credentials.ts';
import { userView } from './views.ts';

/**
 * Password login and browser sessions, so the web UI (or any client of the session cookie) can log
 * in to the mock: `POST /api/v1/auth` checks the password and sets `defguard_session`, which the
 * kit accepts wherever the contract lists the cookie scheme; `POST /api/v1/auth/logout` ends the
 * session. Sessions live in the credential store as `kind: 'session'`, so an API token is never
 * taken for a session id or the other way round.
 */

const EMPTY: Record<string, never> = {};
const MAX_FAILURES = 5;
const FAILURE_WINDOW_MS = 60_000;
const LOCKOUT_MS = 5 * 60_000;
const SESSION_COOKIE = 'defguard_session';
const sessionId = alphanumericToken('', 32);

/** Whether the username is locked out by the login throttle (password and second-factor steps share it). */
export const lockedOut = (p: Passwords, username: string, now = Date.now()) => (p.lockedUntil.get(username) ?? 0) > now;
export const TOO_MANY = { status: 429 as const, body: { msg: 'Too many login attempts' } };

/**
 * Defguard's `SessionInfo` extractor: a session of a user with MFA on that has not passed a second
 * factor is refused (401 `MFA not verified`) wherever a role is needed; the second-factor steps,
 * `/session-info` and logout read the raw session and let it through. API tokens skip the check.
 */
export function secondFactorOutstanding(state: DefguardState, credential: StoredCredential, op: OperationModel) {
  if (credential.kind !== 'session' || op.requiredRole === undefined || state.verifiedSessions.has(credential.id)) return undefined;
  return state.users.get(credential.owner)?.mfa_enabled ? { status: 401, body: { msg: 'MFA not verified' } } : undefined;
}

/** Records a failed login (password or second factor); the fifth within a minute locks the username out. */
export function failed(p: Passwords, username: string, now: number): void {
  const recent = (p.failures.get(username) ?? []).filter((t) => now - t < FAILURE_WINDOW_MS);
  recent.push(now);
  p.failures.set(username, recent);
  if (recent.length >= MAX_FAILURES) p.lockedUntil.set(username, now + LOCKOUT_MS);
}

/**
 * A new session for a user who passed the first step (password, or the external OpenID provider):
 * Defguard's `create_session`. Login first puts the MFA flags right (a configured factor turns MFA
 * on); with MFA on the session waits for a second factor and the answer (201) lists the ones the
 * user has, else it is the user's profile (200).
 */
export function openSession(state: DefguardState, store: CredentialStore, u: UserInfo) {
  const { secret } = store.issue({ owner: u.username, role: u.is_admin ? 'admin' : 'user', name: 'session', kind: 'session', makeSecret: sessionId });
  const headers = { 'set-cookie': `${SESSION_COOKIE}=${secret}; HttpOnly; SameSite=Lax; Path=/` };
  verifyMfaState(state, u);
  if (u.mfa_enabled) return { status: 201 as const, body: mfaInfo(state, u), headers };
  return { status: 200 as const, body: { user: userView(state, u), url: null }, headers };
}

/** A session passed its second factor: from now on it is as good as a full login. */
export function secondFactorPassed(state: DefguardState, credential: StoredCredential | undefined, u: UserInfo) {
  if (credential?.kind === 'session') state.verifiedSessions.add(credential.id);
  return { status: 200 as const, body: { user: userView(state, u), url: null } };
}

export function sessionHandlers(state: DefguardState, store: CredentialStore): Handlers<operations> {
  const p = state.passwords;
  const findUser = (name: string) => state.users.get(name) ?? [...state.users.values()].find((u) => u.email.toLowerCase() === name.toLowerCase());
  return {
    authenticate: ({ body, headers }) => {
      if (!headers['user-agent']) return { status: 400, body: { msg: 'Missing UserAgent header' } };
      const now = Date.now();
      if ((p.lockedUntil.get(body.username) ?? 0) > now) return { status: 429, body: { msg: 'Too many login attempts' } };
      const u = findUser(body.username);
      // Unknown user, wrong password and disabled account look the same from outside: 401 with `{}`.
      if (!u || !u.is_active || p.digests.get(u.username) !== digest(body.password)) {
        failed(p, body.username, now);
        return { status: 401, body: EMPTY };
      }
      p.failures.delete(body.username);
      return openSession(state, store, u);
    },
    logout: ({ credential }) => {
      // With an API token there is no session to end; the token stays valid.
      if (credential?.kind !== 'session') return { status: 200, body: null };
      store.remove(credential.id);
      state.verifiedSessions.delete(credential.id);
      state.webauthnChallenges.delete(credential.id);
      return { status: 200, body: null, headers: { 'set-cookie': `${SESSION_COOKIE}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0` } };
    },
  };
}
