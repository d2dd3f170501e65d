import type { operations } from '../../generated/defguard.ts';
import { alphanumericToken, type CredentialStore } from '../kit/credentials.ts';
import type { ControlRoute } from '../kit/define.ts';
import type { Handlers } from '../kit/types.ts';
import type { DefguardState, OpenIdIdentity, UserInfo } from './model.ts';
import { openSession } from './sessions.ts';
import { byId, membershipChanged } from './state.ts';
import { validUsername } from './user-account.ts';
import { newUser } from './users.ts';

/**
 * Logging in through the external OpenID provider (crates/defguard_core/src/enterprise/handlers/
 * openid_login.rs), against the provider configured in the state (openid-providers.ts).
 *
 * No real provider takes part. `GET /openid/auth_info` answers the provider's authorisation URL
 * (`<base_url>/authorize?...`, the endpoint name invented: Defguard reads it from the provider's
 * discovery document) and sets the `csrf` cookie; the nonce stays with the mock (Defguard sets it
 * as a second cookie). Signing in at the provider is played by the control API:
 * `POST /__control/openid/code {email, given_name, family_name, preferred_username?}` gives the
 * authorisation code the provider would send back. `POST /openid/callback {code, state}` with the
 * `csrf` cookie then logs that identity in as Defguard does: the account with that e-mail address,
 * or a new one when the provider settings allow it, and a session (waiting for the second factor
 * when the user has MFA).
 */

const CSRF_COOKIE = 'csrf';
const randomToken = alphanumericToken('', 22);
const MAX_USERNAME_CHARS = 64;

/** `prune_username`: the username Defguard makes of a provider's name for a new account. */
function pruneUsername(name: string, handling: DefguardState['openidSettings']['username_handling']): string {
  let result = name.replace(/^[^A-Za-z0-9]+/, '');
  const valid = (c: string) => /[A-Za-z0-9._-]/.test(c);
  if (handling === 'RemoveForbidden') result = [...result].filter(valid).join('');
  else {
    if (handling === 'PruneEmailDomain' && result.includes('@')) result = result.slice(0, result.indexOf('@'));
    result = [...result].map((c) => (valid(c) ? c : '_')).join('');
  }
  return result.slice(0, MAX_USERNAME_CHARS);
}

function cookieValue(header: string | string[] | undefined, name: string): string | undefined {
  const text = Array.isArray(header) ? header.join('; ') : (header ?? '');
  return new RegExp(`(?:^|;\\s*)${name}=([^;]*)`).exec(text)?.[1];
}

export function openidLoginHandlers(state: DefguardState, store: CredentialStore): Handlers<operations> {
  const provider = () => byId(state.openidProviders.values())[0];
  const NOT_SET = { status: 404 as const, body: { msg: 'OpenID provider not set' } };

  /** The account an identity logs in as (`user_from_claims`), or Defguard's refusal. */
  function userFor(identity: OpenIdIdentity): UserInfo | { status: 400 | 401 | 500; body: { msg: string } } {
    const existing = [...state.users.values()].find((u) => u.email.toLowerCase() === identity.email.toLowerCase());
    if (existing) return existing.is_active ? existing : { status: 401, body: { msg: 'User is disabled' } };
    if (!state.openidSettings.create_account) {
      return { status: 401, body: { msg: 'User not found and the automatic account creation is disabled. Enable it or create the user.' } };
    }
    const username = pruneUsername(identity.preferred_username ?? identity.email.split('@')[0]!, state.openidSettings.username_handling);
    // `check_username` fails as a serialisation error, which Defguard answers 500.
    if (!validUsername(username)) return { status: 500, body: { msg: 'Internal server error' } };
    if (state.users.has(username)) return { status: 401, body: { msg: `User with username ${username} already exists` } };
    if (!identity.given_name || !identity.family_name) {
      return { status: 400, body: { msg: 'Failed to retrieve given name and family name from provider\'s userinfo endpoint.' } };
    }
    // Enrolled: the account has the provider's subject instead of a password.
    const u = newUser(state.nextUserId++, { username, first_name: identity.given_name, last_name: identity.family_name, email: identity.email, phone: identity.phone ?? null });
    state.users.set(u.username, u);
    membershipChanged(state, store, u.username);
    return u;
  }

  return {
    openidAuthInfo: ({ headers }) => {
      const p = provider();
      if (!p) return NOT_SET;
      const csrf = randomToken();
      const nonce = randomToken();
      state.openidStates.set(csrf, nonce);
      let url: URL;
      try {
        url = new URL(`${p.base_url.replace(/\/+$/, '')}/authorize`);
        if (!/^https?:$/.test(url.protocol)) throw new Error('not http');
      } catch {
        // Defguard cannot discover such a provider: 401 (400 when the URL does not even parse; the mock does not tell the two apart).
        return { status: 401, body: { msg: `Failed to discover provider metadata, make sure the provider's URL is correct: ${p.base_url}.` } };
      }
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: p.client_id,
        state: csrf,
        redirect_uri: `http://${String(headers.host ?? 'localhost')}/auth/callback`,
        scope: 'openid email profile',
        nonce,
      }).toString();
      return {
        status: 200,
        body: { url: url.toString(), button_display_name: p.display_name },
        headers: { 'set-cookie': `${CSRF_COOKIE}=${csrf}; HttpOnly; SameSite=Strict; Path=/api/v1/openid/callback; Max-Age=86400` },
      };
    },
    openidAuthCallback: ({ body, headers }) => {
      const csrf = cookieValue(headers.cookie, CSRF_COOKIE);
      if (!csrf) return { status: 400, body: { msg: 'CSRF cookie not found' } };
      if (!state.openidStates.has(csrf)) return { status: 401, body: { msg: 'Nonce cookie not found' } };
      if (body.state !== csrf) return { status: 401, body: { msg: 'CSRF token mismatch' } };
      state.openidStates.delete(csrf);
      if (!provider()) return NOT_SET;
      const identity = state.openidCodes.get(body.code);
      // The provider refuses a code it did not issue, or one already exchanged.
      if (!identity) return { status: 401, body: { msg: 'Failed to exchange the authorization code: invalid_grant' } };
      state.openidCodes.delete(body.code);
      const u = userFor(identity);
      if ('status' in u) return u;
      return openSession(state, store, u);
    },
  };
}

/** Signing in at the provider, as the provider's login page would: the authorisation code it redirects back with. */
export const openidControlRoutes: ControlRoute<DefguardState>[] = [
  {
    method: 'POST',
    path: '/openid/code',
    summary: 'sign in at the external OpenID provider as {email, given_name, family_name, preferred_username?}: the authorisation code',
    handle: (state, { body }) => {
      const b = (body ?? {}) as Partial<Record<keyof OpenIdIdentity, unknown>>;
      if (typeof b.email !== 'string' || !b.email.includes('@')) return { status: 400, body: { error: 'email (an address) is required' } };
      const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
      const code = randomToken();
      state.openidCodes.set(code, { email: b.email, given_name: text(b.given_name), family_name: text(b.family_name), preferred_username: text(b.preferred_username), phone: text(b.phone) ?? null });
      return { status: 200, body: { code } };
    },
  },
];
