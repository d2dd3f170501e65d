import type { operations } from '../../generated/defguard.ts';
import type { CredentialStore } from '../kit/credentials.ts';
import type { Handlers } from '../kit/types.ts';
import type { DefguardState } from './model.ts';
import { userNotFound } from './users.ts';

// An empty object answer, typed so that it is not widened to its neighbours' shapes.
const EMPTY: Record<string, never> = {};

/**
 * Users' API tokens (`dg-` + 32 letters and digits): created through the API and shown once,
 * stored as SHA-256 digests in the kit's credential store, listed without the secret, renamed and
 * deleted. Only admins may hold one.
 */
export function apiTokenHandlers(state: DefguardState, store: CredentialStore): Handlers<operations> {
  return {
    fetchApiTokens: ({ params }) => {
      if (!state.users.has(params.username)) return userNotFound(params.username);
      return { status: 200, body: store.list(params.username, 'token').map((t) => ({ id: t.id, name: t.name, created_at: t.createdAt })) };
    },
    addApiToken: ({ params, body }) => {
      const u = state.users.get(params.username);
      if (!u) return userNotFound(params.username);
      if (!u.is_admin) return { status: 403, body: { msg: 'Cannot create API token for non-admin user' } };
      if (!u.is_active) return { status: 403, body: { msg: 'Cannot create API token for inactive user' } };
      if (!/^[\p{L}\p{N} \-_.():/]+$/u.test(body.name)) return { status: 400, body: { msg: 'Name contains forbidden characters' } };
      const { secret } = store.issue({ owner: u.username, role: 'admin', name: body.name });
      return { status: 201, body: { token: secret } };
    },
    renameApiToken: ({ params, body }) => {
      const t = store.byId(Number(params.token_id));
      if (!t || t.owner !== params.username) return { status: 404, body: { msg: '' } };
      t.name = body.name;
      return { status: 200, body: EMPTY };
    },
    deleteApiToken: ({ params }) => {
      const t = store.byId(Number(params.token_id));
      if (!t || t.owner !== params.username) return { status: 400, body: { msg: 'Key not found' } };
      store.remove(t.id);
      return { status: 200, body: EMPTY };
    },
  };
}
