import type { operations } from '../../generated/defguard.ts';
import type { Handlers } from '../kit/types.ts';
import type { DefguardState, WebHook, WebHookData } from './model.ts';
import { byId } from './state.ts';

// Defguard's webhook handlers answer with a bare status and an empty object (handlers/webhooks.rs).
const EMPTY: Record<string, never> = {};
const NOT_FOUND = { status: 404 as const, body: EMPTY };

/** The fields a request sets (Defguard's `WebHookData`); anything else in the body is not kept. */
const fields = (d: WebHookData): WebHookData => ({
  url: d.url,
  description: d.description,
  token: d.token,
  enabled: d.enabled,
  on_user_created: d.on_user_created,
  on_user_deleted: d.on_user_deleted,
  on_user_modified: d.on_user_modified,
  on_hwkey_provision: d.on_hwkey_provision,
});

/**
 * Webhooks: the URLs Defguard calls on user events, with the token it sends. Creation answers with
 * no body (the new webhook is found in the list); nothing is actually called.
 */
export function webhookHandlers(state: DefguardState): Handlers<operations> {
  const hooks = state.webhooks;
  return {
    listWebhooks: () => ({ status: 200, body: byId(hooks.values()) }),
    addWebhook: ({ body }) => {
      const w: WebHook = { id: state.nextIds.webhooks++, ...fields(body) };
      hooks.set(w.id, w);
      return { status: 201, body: EMPTY };
    },
    getWebhook: ({ params }) => {
      const w = hooks.get(Number(params.id));
      return w ? { status: 200, body: w } : NOT_FOUND;
    },
    changeWebhook: ({ params, body }) => {
      const w = hooks.get(Number(params.id));
      if (!w) return NOT_FOUND;
      Object.assign(w, fields(body));
      return { status: 200, body: EMPTY };
    },
    changeWebhookEnabled: ({ params, body }) => {
      const w = hooks.get(Number(params.id));
      if (!w) return NOT_FOUND;
      w.enabled = body.enabled;
      return { status: 200, body: EMPTY };
    },
    deleteWebhook: ({ params }) => (hooks.delete(Number(params.id)) ? { status: 200, body: EMPTY } : NOT_FOUND),
  };
}
