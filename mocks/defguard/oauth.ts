import type { operations } from '../../generated/defguard.ts';
import { alphanumericToken } from '../kit/credentials.ts';
import type { Handlers } from '../kit/types.ts';
import type { DefguardState } from './model.ts';

const authorizationCode = alphanumericToken('', 14);
/** How long an authorisation code can be exchanged (the mock's choice; codes are meant to be used at once). */
export const CODE_TTL_MS = 10 * 60_000;

/**
 * The OAuth consent form (POST /api/v1/oauth/authorize): always a redirect back to the client. An
 * allowed request gets a code the token endpoint (oauth-provider.ts) exchanges, bound to the client,
 * the redirect URI, the user who consented and the scopes; the client joins the user's authorised
 * apps, as Defguard records the consent.
 */
export function oauthHandlers(state: DefguardState): Handlers<operations> {
  return {
    submitOauthConsent: ({ query, body, credential }) => {
      let target: URL;
      try {
        target = new URL(query.redirect_uri);
      } catch {
        return { status: 400, body: { msg: 'invalid redirect_uri' } };
      }
      if (body?.allow === 'true') {
        const code = authorizationCode();
        target.searchParams.set('code', code);
        const user = credential && state.users.get(credential.owner);
        if (user) {
          state.oauth.codes.set(code, {
            clientId: query.client_id,
            username: user.username,
            redirectUri: query.redirect_uri,
            scope: query.scope.split(/\s+/).filter(Boolean),
            ...(query.nonce ? { nonce: query.nonce } : {}),
            expiresAt: Date.now() + CODE_TTL_MS,
          });
          const client = state.oauthClients.get(query.client_id);
          if (client && !user.authorized_apps.some((a) => a.oauth2client_id === client.id)) {
            user.authorized_apps.push({ oauth2client_id: client.id, oauth2client_name: client.name });
          }
        }
      } else target.searchParams.set('error', 'access_denied');
      if (query.state) target.searchParams.set('state', query.state);
      return { status: 302, body: undefined, headers: { location: target.toString() } };
    },
  };
}
