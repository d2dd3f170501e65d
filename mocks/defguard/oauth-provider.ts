import { createHash, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import type { components, operations } from '../../generated/defguard.ts';
import { alphanumericToken } from '../kit/credentials.ts';
import type { Handlers } from '../kit/types.ts';
import type { DefguardState, OAuthGrant, UserInfo } from './model.ts';

/**
 * Defguard as an OpenID provider, for the applications registered as OpenID clients
 * (openid-clients.ts): the discovery document, the signing keys, the token endpoint and userinfo.
 * The token endpoint exchanges the codes the consent form (oauth.ts) issued, and refresh tokens;
 * ID tokens are real RS256 JWTs signed with a key the mock makes at start, so a client library can
 * verify them against the JWKS. Nothing here takes API tokens: userinfo reads the access token.
 */

type Schemas = components['schemas'];

const accessToken = alphanumericToken('', 32);
const refreshToken = alphanumericToken('', 32);
/** Access-token lifetime in seconds (the mock's choice, reported as `expires_in`). */
const ACCESS_TTL_S = 3600;
const REFRESH_TTL_MS = 30 * 24 * 3600_000;

/** One RSA key per process: making one takes a moment, and a client that cached the JWKS keeps working across resets. */
let signingKey: { privateKey: KeyObject; jwk: Record<string, unknown> } | undefined;
function key() {
  if (!signingKey) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
    // Defguard names its key by the modulus (`key.n().to_str_radix(36)`); a digest of it stands in here.
    const kid = createHash('sha256').update(jwk.n).digest('base64url').slice(0, 16);
    signingKey = { privateKey, jwk: { kty: 'RSA', use: 'sig', alg: 'RS256', kid, n: jwk.n, e: jwk.e } };
  }
  return signingKey;
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

function idToken(issuer: string, grant: OAuthGrant, user: UserInfo): string {
  const k = key();
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: issuer, sub: user.username, aud: grant.clientId, iat: now, exp: now + ACCESS_TTL_S, ...(grant.nonce ? { nonce: grant.nonce } : {}), ...userClaims(grant, user) };
  const head = `${b64({ alg: 'RS256', typ: 'JWT', kid: k.jwk.kid })}.${b64(claims)}`;
  return `${head}.${sign('sha256', Buffer.from(head), k.privateKey).toString('base64url')}`;
}

/** The claims a grant's scopes release (Defguard's `userinfo`): `profile`, `email`, `phone`; `sub` is the username. */
function userClaims(grant: OAuthGrant, u: UserInfo): Omit<Schemas['OAuthUserinfo'], 'sub'> {
  return {
    ...(grant.scope.includes('profile') ? { given_name: u.first_name, family_name: u.last_name, name: `${u.first_name} ${u.last_name}`, preferred_username: u.username } : {}),
    ...(grant.scope.includes('email') ? { email: u.email } : {}),
    ...(grant.scope.includes('phone') && u.phone ? { phone_number: u.phone } : {}),
  };
}

const oauthError = (error: string, error_description: string) => ({ status: 400 as const, body: { error, error_description } });

/** The client's id and secret: HTTP Basic, else the form fields; `undefined` when a Basic header does not decode. */
function clientCredentials(headers: Record<string, string | string[] | undefined>, form: Schemas['OAuthTokenRequest']): { id?: string; secret?: string } | undefined {
  const auth = headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Basic ')) {
    const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0 || !/^[A-Za-z0-9+/]+=*$/.test(auth.slice(6).trim())) return undefined;
    return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
  }
  return { id: form.client_id, secret: form.client_secret };
}

export function oauthProviderHandlers(state: DefguardState): Handlers<operations> {
  const issuer = () => state.settings.defguard_url.replace(/\/+$/, '');
  const live = (m: Map<string, OAuthGrant>, k: string | undefined) => {
    const g = k === undefined ? undefined : m.get(k);
    if (g && g.expiresAt < Date.now()) m.delete(k!);
    return g && g.expiresAt >= Date.now() ? g : undefined;
  };
  return {
    openidConfiguration: () => {
      const base = issuer();
      return {
        status: 200,
        body: {
          issuer: base,
          authorization_endpoint: `${base}/api/v1/oauth/authorize`,
          token_endpoint: `${base}/api/v1/oauth/token`,
          jwks_uri: `${base}/api/v1/oauth/discovery/keys`,
          // Beyond the contract's required fields: what an OpenID client library reads next.
          userinfo_endpoint: `${base}/api/v1/oauth/userinfo`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          scopes_supported: ['openid', 'profile', 'email', 'phone', 'groups'],
          token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
          grant_types_supported: ['authorization_code', 'refresh_token'],
        } as Schemas['OidcDiscovery'],
      };
    },
    discoveryKeys: () => ({ status: 200, body: { keys: [key().jwk] } }),
    oauthToken: ({ body, headers }) => {
      const creds = clientCredentials(headers, body);
      if (!creds) return { status: 401, body: { msg: 'Invalid credentials' } };
      const client = creds.id === undefined ? undefined : state.oauthClients.get(creds.id);
      if (!client || client.client_secret !== creds.secret) return oauthError('invalid_client', 'unknown client or wrong secret');
      if (!client.enabled) return oauthError('unauthorized_client', 'the client is disabled');
      let grant: OAuthGrant | undefined;
      if (body.grant_type === 'authorization_code') {
        grant = live(state.oauth.codes, body.code);
        if (!grant || grant.clientId !== client.client_id) return oauthError('invalid_grant', 'unknown, used or expired authorization code');
        if (body.redirect_uri !== undefined && body.redirect_uri !== grant.redirectUri) return oauthError('invalid_grant', 'redirect_uri does not match the authorization request');
        // A code works once.
        state.oauth.codes.delete(body.code!);
      } else {
        grant = live(state.oauth.refreshTokens, body.refresh_token);
        if (!grant || grant.clientId !== client.client_id) return oauthError('invalid_grant', 'unknown or expired refresh token');
        // Refresh tokens rotate: the one used stops working.
        state.oauth.refreshTokens.delete(body.refresh_token!);
      }
      const user = state.users.get(grant.username);
      if (!user || !user.is_active) return oauthError('invalid_grant', 'the user is disabled or gone');
      const access = accessToken();
      const refresh = refreshToken();
      state.oauth.accessTokens.set(access, { ...grant, expiresAt: Date.now() + ACCESS_TTL_S * 1000 });
      state.oauth.refreshTokens.set(refresh, { ...grant, expiresAt: Date.now() + REFRESH_TTL_MS });
      return {
        status: 200,
        body: {
          access_token: access,
          token_type: 'bearer',
          expires_in: ACCESS_TTL_S,
          refresh_token: refresh,
          ...(grant.scope.includes('openid') ? { id_token: idToken(issuer(), grant, user) } : {}),
        },
      };
    },
    oauthUserinfo: ({ headers }) => {
      const auth = headers.authorization;
      const token = typeof auth === 'string' && /^Bearer /i.test(auth) ? auth.slice(7).trim() : undefined;
      const grant = live(state.oauth.accessTokens, token);
      if (!grant) return { status: 401, body: { msg: 'Invalid token' } };
      const user = state.users.get(grant.username);
      if (!user || !user.is_active) return { status: 401, body: { msg: 'Invalid session' } };
      // Defguard checks the consent still stands: an app the user removed no longer gets claims.
      const client = state.oauthClients.get(grant.clientId);
      if (!client || !user.authorized_apps.some((a) => a.oauth2client_id === client.id)) return { status: 401, body: { msg: 'Authorized app not found' } };
      return { status: 200, body: { sub: user.username, ...userClaims(grant, user) } };
    },
  };
}
