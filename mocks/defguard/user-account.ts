import type { operations } from '../../generated/defguard.ts';
import { alphanumericToken, type CredentialStore } from '../kit/credentials.ts';
import type { Handlers } from '../kit/types.ts';
import { isRefusal, missingUserAgent, sessionUser, userForAdminOrSelf } from './accounts.ts';
import type { DefguardState, UserInfo } from './model.ts';
import { digest, setPassword } from './passwords.ts';
import { userNotFound } from './users.ts';

/**
 * A user's account beyond the record (crates/defguard_core/src/handlers/user.rs, session_info.rs,
 * forward_auth.rs): enrollment and desktop-configuration tokens, the username check, password
 * changes and resets, revoking an authorised OpenID app, the session summary and the reverse
 * proxies' forward-auth check.
 *
 * The mock sends no mail: the last enrollment, desktop or password-reset token per user is kept
 * (in the state, not the snapshot) and the enrollment URL is the mock's own invented proxy URL.
 */

const EMPTY: Record<string, never> = {};
/** Defguard's enrollment proxy URL (`proxy_public_url`); invented for the mock, as no proxy runs. */
export const ENROLLMENT_URL = 'https://enrollment.example.org/';
/** Where the forward-auth check sends a browser without a session: Defguard's own login page (invented host). */
const LOGIN_URL = 'https://defguard.example.org/auth/login';
/** Defguard's default token lifetimes (settings: `enrollment_token_timeout`, 24 hours; `password_reset_token_timeout`, 24 hours). */
const DAY_SECONDS = 24 * 3600;
const tokenId = alphanumericToken('', 32);

/** `check_username` (handlers/user.rs): 1–63 characters, letters, digits, `.`, `-`, `_`, not starting with a special one. */
export const validUsername = (name: string) => name.length >= 1 && name.length < 64 && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name);

/** `check_password_strength`: 8–128 characters with a punctuation mark, a digit, a lower- and an upper-case letter. */
export const strongPassword = (p: string) =>
  p.length >= 8 && p.length <= 128 && /[!-/:-@[-`{-~]/.test(p) && /\d/.test(p) && /[a-z]/.test(p) && /[A-Z]/.test(p);

/** `parse_duration` as the enrollment form uses it: a number and a unit (`30m`, `12h`, `3d`, `1w`, also combined). */
function durationSeconds(text: string): number | undefined {
  const units: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
  const parts = [...text.trim().matchAll(/(\d+)\s*([smhdw])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('').replace(/\s/g, '') !== text.replace(/\s/g, '')) return undefined;
  return parts.reduce((sum, p) => sum + Number(p[1]) * units[p[2]!]!, 0);
}

const naiveIn = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString().replace('Z', '');

/** The session id in a `Cookie` header, if any. */
function sessionCookie(header: string | string[] | undefined): string | undefined {
  const text = Array.isArray(header) ? header.join('; ') : (header ?? '');
  return /(?:^|;\s*)defguard_session=([^;]*)/.exec(text)?.[1];
}

export function userAccountHandlers(state: DefguardState, store: CredentialStore): Handlers<operations> {
  function issueToken(u: UserInfo, kind: 'enrollment' | 'desktop' | 'password_reset', email: string | null, seconds: number) {
    const token = tokenId();
    // A new token replaces the user's unused ones (`clear_unused_enrollment_tokens`).
    state.lastTokens.set(u.username, { kind, token, email, expires_at: naiveIn(seconds) });
    return token;
  }

  return {
    getSessionInfo: ({ headers }) => {
      // The route also answers without a credential, so the kit hands none over: the session cookie
      // or API token is looked up here, and anything unknown just means "not logged in".
      const secret = sessionCookie(headers.cookie);
      const bearer = /^Bearer (.+)$/i.exec(String(headers.authorization ?? ''))?.[1];
      const found = bearer ? store.find(bearer) : secret ? store.find(secret) : undefined;
      const credential = found && found.state === 'active' && found.kind === (bearer ? 'token' : 'session') ? found : undefined;
      const u = credential ? state.users.get(credential.owner) : undefined;
      // The setup wizard is over in the mock (no `active_wizard`). A session that still waits for its
      // second factor counts as authorised here, as Defguard reads only the raw session.
      return { status: 200, body: { authorized: Boolean(u), is_admin: u?.is_admin ?? false, active_wizard: null, username: u?.username ?? null } };
    },
    forwardAuth: ({ headers }) => {
      const secret = sessionCookie(headers.cookie);
      const session = secret ? store.find(secret) : undefined;
      if (session?.kind === 'session' && session.state === 'active') return { status: 200, body: undefined };
      // The return address is built from the X-Forwarded-* headers, when they name another host.
      const location = new URL(LOGIN_URL);
      const host = headers['x-forwarded-host'];
      if (typeof host === 'string' && host !== '') {
        try {
          const back = new URL(`http://${host}`);
          const proto = headers['x-forwarded-proto'];
          if (typeof proto === 'string' && /^https?$/.test(proto)) back.protocol = `${proto}:`;
          const uri = headers['x-forwarded-uri'];
          if (typeof uri === 'string') back.pathname = uri;
          location.search = `r=${back.toString()}`;
        } catch {
          // Defguard answers 500 for a host it cannot read; the mock just leaves the return address out.
        }
      }
      return { status: 307, body: undefined, headers: { location: location.toString() } };
    },

    usernameAvailable: ({ body }) => ({ status: validUsername(body.username) && !state.users.has(body.username) ? 200 : 400, body: EMPTY }),

    startEnrollment: ({ params, body, headers }) => {
      const noAgent = missingUserAgent(headers);
      if (noAgent) return noAgent;
      if (body.send_enrollment_notification && !body.email) return { status: 400, body: { msg: 'Email notification is enabled, but email was not provided' } };
      const u = state.users.get(params.username);
      if (!u) return userNotFound(params.username);
      let seconds = DAY_SECONDS;
      if (body.token_expiration_time) {
        const parsed = durationSeconds(body.token_expiration_time);
        if (parsed === undefined) return { status: 400, body: { msg: 'Failed to parse token expiration time' } };
        seconds = parsed;
      }
      if (u.enrolled) return { status: 400, body: { msg: 'User account is already activated' } };
      if (!u.is_active) return { status: 401, body: { msg: 'Enrollment user is disabled' } };
      return { status: 201, body: { enrollment_token: issueToken(u, 'enrollment', body.email ?? null, seconds), enrollment_url: ENROLLMENT_URL } };
    },
    startRemoteDesktopConfiguration: ({ credential, params, body, headers, ownership }) => {
      const noAgent = missingUserAgent(headers);
      if (noAgent) return noAgent;
      const t = userForAdminOrSelf(state, { credential, ownership }, params.username);
      if (isRefusal(t)) return t;
      if (!t.user.is_active) return { status: 401, body: { msg: 'Enrollment user is disabled' } };
      // Without an address the user's own is used.
      return { status: 201, body: { enrollment_token: issueToken(t.user, 'desktop', body.email ?? t.user.email, DAY_SECONDS), enrollment_url: ENROLLMENT_URL } };
    },

    changeSelfPassword: ({ credential, body, headers }) => {
      const who = sessionUser(state, credential);
      if (isRefusal(who)) return who;
      const noAgent = missingUserAgent(headers);
      if (noAgent) return noAgent;
      const u = who.user;
      const current = state.passwords.digests.get(u.username);
      // Deviation: Defguard answers 400 to a user who has no password at all (an API-token-only
      // account such as the mock's `runner`); the mock lets such a user set a first one without it.
      if ((current !== undefined && current !== digest(body.old_password)) || !strongPassword(body.new_password)) return { status: 400, body: EMPTY };
      setPassword(state.passwords, u.username, body.new_password);
      return { status: 200, body: EMPTY };
    },
    changePassword: ({ credential, params, body, headers }) => {
      const noAgent = missingUserAgent(headers);
      if (noAgent) return noAgent;
      // Admins set other users' passwords here; their own goes through the old-password check.
      if (credential?.owner === params.username || !strongPassword(body.new_password) || !validUsername(params.username)) return { status: 400, body: EMPTY };
      const u = state.users.get(params.username);
      if (!u) return { status: 404, body: EMPTY };
      setPassword(state.passwords, u.username, body.new_password);
      u.enrolled = true;
      return { status: 200, body: null };
    },
    resetPassword: ({ credential, params, headers }) => {
      const noAgent = missingUserAgent(headers);
      if (noAgent) return noAgent;
      if (credential?.owner === params.username) return { status: 400, body: EMPTY };
      const u = state.users.get(params.username);
      if (!u) return { status: 404, body: EMPTY };
      // The reset mail's token; the password itself stays until the user sets a new one.
      issueToken(u, 'password_reset', u.email, DAY_SECONDS);
      return { status: 200, body: null };
    },

    deleteAuthorizedApp: ({ credential, params, ownership }) => {
      const t = userForAdminOrSelf(state, { credential, ownership }, params.username);
      if (isRefusal(t)) return t;
      const id = Number(params.oauth2client_id);
      if (!t.user.authorized_apps.some((a) => a.oauth2client_id === id)) return { status: 404, body: { msg: 'Authorized app not found' } };
      t.user.authorized_apps = t.user.authorized_apps.filter((a) => a.oauth2client_id !== id);
      return { status: 200, body: null };
    },
  };
}
