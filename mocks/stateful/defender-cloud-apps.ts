import type { operations } from '../../generated/defender-cloud-apps.ts';
import { alphanumericToken } from './credentials.ts';
import type { ApiModule } from './server.ts';
import type { Handlers } from './types.ts';

interface CloudAppsState {
  /** Alert ids closed through the API, with how they were closed. */
  closed: Map<string, string>;
}

/**
 * Defender for Cloud Apps: `Token <key>` credentials carrying their issuer's privilege (read-only
 * or full admin), tied to the tenant, 30 requests per minute per tenant. Other routes answer with
 * the contract's examples.
 */
export const defenderCloudApps: ApiModule<CloudAppsState> = {
  api: 'defender-cloud-apps',
  roles: ['read-only', 'full-admin'],
  tenant: 'mytenant',
  principal: 'security-admin',
  makeSecret: alphanumericToken('', 64),
  rateLimitPerMinute: 30,
  createState: () => ({ closed: new Map() }),
  snapshot: (state) => ({ closed: Object.fromEntries(state.closed) }),
  handlers() {
    const handlers: Handlers<operations> = {};
    return handlers as never;
  },
};
