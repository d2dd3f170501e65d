import type { operations } from '../../generated/defguard.ts';
import { alphanumericToken, type CredentialStore } from '../kit/credentials.ts';
import type { Handlers } from '../kit/types.ts';
import type { DefguardState } from './model.ts';
import { digest, type Passwords } from './passwords.ts';
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

/** Records a failed login; the fifth within a minute locks the username out. */
function failed(p: Passwords, username: string, now: number): void {
  const recent = (p.failures.get(username) ?? []).filter((t) => now - t < FAILURE_WINDOW_MS);
  recent.push(now);
  p.failures.set(username, recent);
  if (recent.length >= MAX_FAILURES) p.lockedUntil.set(username, now + LOCKOUT_MS);
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
      const { secret } = store.issue({ owner: u.username, role: u.is_admin ? 'admin' : 'user', name: 'session', kind: 'session', makeSecret: sessionId });
      return { status: 200, body: { user: userView(state, u), url: null }, headers: { 'set-cookie': `${SESSION_COOKIE}=${secret}; HttpOnly; SameSite=Lax; Path=/` } };
    },
    logout: ({ credential }) => {
      // With an API token there is no session to end; the token stays valid.
      if (credential?.kind !== 'session') return { status: 200, body: null };
      store.remove(credential.id);
      return { status: 200, body: null, headers: { 'set-cookie': `${SESSION_COOKIE}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0` } };
    },
  };
}
