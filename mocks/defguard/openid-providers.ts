import type { components, operations } from '../../generated/defguard.ts';
import type { Handlers } from '../kit/types.ts';
import type { DefguardState, OpenIdProvider } from './model.ts';
import { byId } from './state.ts';

type AddProviderData = components['schemas']['AddProviderData'];

const EMPTY: Record<string, never> = {};
// Modifying or deleting a provider no one configured: 404 with an empty object (enterprise/handlers/openid_providers.rs).
const NOT_FOUND = { status: 404 as const, body: EMPTY };

const behaviour = (text: string): OpenIdProvider['directory_sync_user_behavior'] => (text === 'disable' || text === 'delete' ? text : 'keep');
const target = (text: string): OpenIdProvider['directory_sync_target'] => (text === 'users' || text === 'groups' ? text : 'all');

/** The comma-separated group filter as the server splits it; an empty text matches no group list. */
const groupMatch = (text: string | null | undefined) =>
  text
    ? text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '')
    : [];

/**
 * The external OpenID provider users log in with. Defguard supports one at a time: adding one
 * replaces whatever was there, and the by-name read ignores the name and answers with the current
 * provider (204 when there is none), its private keys blanked. An edit looks the provider up by the
 * body's `name` (not the path) and changes only the URL and the client credentials. The free-text
 * directory-sync choices are read as the server reads them: anything unknown is the default.
 * No login or directory sync happens.
 */
export function openidProviderHandlers(state: DefguardState): Handlers<operations> {
  const providers = state.openidProviders;
  const current = () => byId(providers.values())[0];

  const details = () => {
    const p = current();
    if (!p) return { status: 204 as const, body: undefined };
    return { status: 200 as const, body: { provider: { ...p, google_service_account_key: null, okta_private_jwk: null }, settings: { ...state.openidSettings } } };
  };

  function upsert(d: AddProviderData): OpenIdProvider {
    const before = current();
    providers.clear();
    const p: OpenIdProvider = {
      id: before?.id ?? state.nextIds.openidProviders++,
      name: d.name,
      base_url: d.base_url,
      kind: d.kind,
      client_id: d.client_id,
      client_secret: d.client_secret,
      display_name: d.display_name ?? null,
      // A key that is left out keeps the stored one, as the web UI never sends it back.
      google_service_account_key: d.google_service_account_key ?? before?.google_service_account_key ?? null,
      google_service_account_email: d.google_service_account_email ?? null,
      admin_email: d.admin_email ?? null,
      directory_sync_enabled: d.directory_sync_enabled,
      directory_sync_interval: d.directory_sync_interval,
      directory_sync_user_behavior: behaviour(d.directory_sync_user_behavior),
      directory_sync_admin_behavior: behaviour(d.directory_sync_admin_behavior),
      directory_sync_target: target(d.directory_sync_target),
      okta_private_jwk: d.okta_private_jwk ?? before?.okta_private_jwk ?? null,
      okta_dirsync_client_id: d.okta_dirsync_client_id ?? null,
      directory_sync_group_match: groupMatch(d.directory_sync_group_match),
      jumpcloud_api_key: d.jumpcloud_api_key ?? null,
      prefetch_users: d.prefetch_users,
    };
    providers.set(p.name, p);
    state.openidSettings = { create_account: d.create_account, username_handling: d.username_handling };
    return p;
  }

  return {
    listOpenidProviders: () => ({ status: 200, body: byId(providers.values()) }),
    addOpenidProvider: ({ body }) => {
      upsert(body);
      return { status: 201, body: EMPTY };
    },
    getOpenidProvider: () => details(),
    getCurrentOpenidProvider: () => details(),
    modifyOpenidProvider: ({ body }) => {
      const p = providers.get(body.name);
      if (!p) return NOT_FOUND;
      Object.assign(p, { base_url: body.base_url, client_id: body.client_id, client_secret: body.client_secret });
      return { status: 200, body: EMPTY };
    },
    deleteOpenidProvider: ({ params }) => (providers.delete(params.name) ? { status: 200, body: EMPTY } : NOT_FOUND),
  };
}
