import type { components, operations } from '../../generated/defguard.ts';
import { alphanumericToken, CredentialStore } from '../kit/credentials.ts';
import type { Handlers } from '../kit/types.ts';

type UserInfo = components['schemas']['UserInfo'];

/**
 * Password login and browser sessions, so the web UI (or any client of the session cookie) can log
 * in to the mock: `POST /api/v1/auth` checks the password and sets `defguard_session`, which the
 * server core accepts wherever the contract lists the cookie scheme; `POST /api/v1/auth/logout`
 * ends the session. Sessions live in the credential store as `kind: 'session'`, so an API token
 * is never taken for a session id or the other way round.
 */
export interface Passwords {
  /** Username → SHA-256 of the password. Users without an entry cannot log in with a password. */
  digests: Map<string, string>;
  /** Failed logins per username (timestamps), for the lock-out. */
  failures: Map<string, number[]>;
  lockedUntil: Map<string, number>;
}

export interface PasswordSeed {
  /** Clear-text passwords by username (a seed file is written by a person). */
  passwords?: Record<string, string>;
  /** Digests by username, as the snapshot gives them back. */
  passwordSha256?: Record<string, string>;
}

// Passwords are kept as the credential store keeps secrets: SHA-256 digests.
const digest = CredentialStore.hash;

/**
 * The built-in users' passwords: `admin` has Defguard's documented default (`pass123`); the
 * control API's principal `runner` has none, as a service account would not.
 */
const DEFAULT_PASSWORDS: Record<string, string> = { admin: 'pass123', alice: 'Alice-passw0rd!', bob: 'Bob-passw0rd!' };

export function createPasswords(seed: PasswordSeed = {}): Passwords {
  const digests = new Map<string, string>(Object.entries(seed.passwordSha256 ?? {}));
  const clear = seed.passwords ?? (seed.passwordSha256 ? {} : DEFAULT_PASSWORDS);
  for (const [user, password] of Object.entries(clear)) digests.set(user, digest(password));
  return { digests, failures: new Map(), lockedUntil: new Map() };
}

export const passwordSnapshot = (p: Passwords) => ({ passwordSha256: Object.fromEntries([...p.digests].sort(([a], [b]) => a.localeCompare(b))) });

export function setPassword(p: Passwords, username: string, password: string | null | undefined): void {
  if (password) p.digests.set(username, digest(password));
}

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

export function sessionHandlers(
  p: Passwords,
  users: Map<string, UserInfo>,
  store: CredentialStore,
  view: (u: UserInfo) => UserInfo,
): Handlers<Pick<operations, 'authenticate' | 'logout'>> {
  const findUser = (name: string) => users.get(name) ?? [...users.values()].find((u) => u.email.toLowerCase() === name.toLowerCase());
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
      return { status: 200, body: { user: view(u), url: null }, headers: { 'set-cookie': `${SESSION_COOKIE}=${secret}; HttpOnly; SameSite=Lax; Path=/` } };
    },
    logout: ({ credential }) => {
      // With an API token there is no session to end; the token stays valid.
      if (credential?.kind !== 'session') return { status: 200, body: null };
      store.remove(credential.id);
      return { status: 200, body: null, headers: { 'set-cookie': `${SESSION_COOKIE}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0` } };
    },
  };
}
