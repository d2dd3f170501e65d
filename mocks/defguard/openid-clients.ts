import type { operations } from '../../generated/defguard.ts';
import { alphanumericToken } from '../kit/credentials.ts';
import type { Handlers } from '../kit/types.ts';
import type { DefguardState, OAuth2Client } from './model.ts';
import { byId } from './state.ts';
import { caller, page } from './views.ts';

// Defguard's `OAuth2Client::from_new`: a 16-character public id and a 32-character secret.
const clientId = alphanumericToken('', 16);
const clientSecret = alphanumericToken('', 32);

// Defguard answers an unknown client id with 404 and an empty object (handlers/openid_clients.rs).
const NOT_FOUND = { status: 404 as const, body: {} as Record<string, never> };
const EMPTY: Record<string, never> = {};

/**
 * OpenID clients (the applications that log users in through Defguard), addressed by their public
 * `client_id`. Admins see the whole record, secret included; other users only what the consent page
 * needs. Changing scopes would drop users' earlier consents; consents are not modelled.
 */
export function openidClientHandlers(state: DefguardState): Handlers<operations> {
  const clients = state.oauthClients;
  return {
    listOpenidClients: ({ query }) => ({ status: 200, body: page(byId(clients.values()), query) }),
    addOpenidClient: ({ body }) => {
      let id = clientId();
      while (clients.has(id)) id = clientId();
      const c: OAuth2Client = { id: state.nextIds.oauthClients++, client_id: id, client_secret: clientSecret(), redirect_uri: [...body.redirect_uri], scope: [...body.scope], name: body.name, enabled: body.enabled };
      clients.set(c.client_id, c);
      return { status: 201, body: c };
    },
    getOpenidClient: ({ params, credential }) => {
      const c = clients.get(params.client_id);
      if (!c) return NOT_FOUND;
      if (caller(state, credential).isAdmin) return { status: 200, body: c };
      return { status: 200, body: { client_id: c.client_id, name: c.name, scope: c.scope } };
    },
    changeOpenidClient: ({ params, body }) => {
      const c = clients.get(params.client_id);
      if (!c) return NOT_FOUND;
      Object.assign(c, { name: body.name, redirect_uri: [...body.redirect_uri], scope: [...body.scope], enabled: body.enabled });
      return { status: 200, body: EMPTY };
    },
    changeOpenidClientState: ({ params, body }) => {
      const c = clients.get(params.client_id);
      if (!c) return NOT_FOUND;
      c.enabled = body.enabled;
      return { status: 200, body: EMPTY };
    },
    deleteOpenidClient: ({ params }) => {
      if (!clients.delete(params.client_id)) return NOT_FOUND;
      return { status: 200, body: EMPTY };
    },
  };
}
