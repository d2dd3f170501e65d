import type { operations } from '../../generated/defguard.ts';
import { alphanumericToken } from '../kit/credentials.ts';
import { defineApiModule } from '../kit/define.ts';
import { aclAliasHandlers } from './acl-aliases.ts';
import { aclDestinationHandlers } from './acl-destinations.ts';
import { aclRuleHandlers } from './acl-rules.ts';
import { activityLogStreamHandlers } from './activity-log-streams.ts';
import { apiTokenHandlers } from './api-tokens.ts';
import { deviceHandlers } from './devices.ts';
import { groupHandlers } from './groups.ts';
import { locationHandlers } from './locations.ts';
import type { DefguardSeed, DefguardState } from './model.ts';
import { networkDeviceHandlers } from './network-devices.ts';
import { knownLogins } from './passwords.ts';
import { oauthHandlers } from './oauth.ts';
import { openidClientHandlers } from './openid-clients.ts';
import { openidProviderHandlers } from './openid-providers.ts';
import { sessionHandlers } from './sessions.ts';
import { createState, removeUser, snapshot } from './state.ts';
import { syncAllowedDevices } from './sync.ts';
import { userHandlers } from './users.ts';
import { webhookHandlers } from './webhooks.ts';

/**
 * Defguard: users, groups, the users' API tokens, password login and sessions, locations, user
 * devices with per-location addresses and network devices, OpenID clients, webhooks, ACL rules,
 * aliases and destinations, activity-log streams and the external OpenID provider, seeded from seed.yaml.
 * Only admins' API tokens work (sessions need no role). Disabling or deleting a user removes their
 * tokens; removing a user from the admin group keeps them but makes them insufficient, as the real
 * server does. A user's devices get addresses in the locations their groups allow, follow changes
 * to groups and users, and go when the user goes.
 */
export default defineApiModule<operations, DefguardState, DefguardSeed>({
  api: 'defguard',
  roles: ['user', 'admin'],
  tokensRequireRole: 'admin',
  tenant: 'defguard',
  principal: 'runner',
  makeSecret: alphanumericToken('dg-', 32),
  seed: { file: new URL('./seed.yaml', import.meta.url) },
  // The web UI's own login (sessions.ts): the cookie it sets works wherever the contract takes it.
  passwordLogin: { operationId: 'authenticate', cookie: 'defguard_session', body: (u) => u, users: knownLogins },
  // `passwords` and `passwordSha256` are the mock's own (seed.yaml says why); the rest are the contract's records.
  seedSchemas: {
    users: '#/components/schemas/UserInfo',
    groups: '#/components/schemas/GroupInfo',
    networks: '#/components/schemas/WireguardNetwork',
    devices: '#/components/schemas/Device',
    oauthClients: '#/components/schemas/OAuth2Client',
    webhooks: '#/components/schemas/WebHook',
    aclRules: '#/components/schemas/ApiAclRule',
    aclAliases: '#/components/schemas/ApiAclAlias',
    aclDestinations: '#/components/schemas/ApiAclDestination',
    activityLogStreams: '#/components/schemas/ActivityLogStream',
    openidProviders: '#/components/schemas/OpenIdProvider',
  },
  createState,
  snapshot,
  // The directory (LDAP/OpenID sync) disabled or removed the account: the user's record follows, so
  // their devices lose their addresses as when an admin disables them.
  ownerDeprovisioned(state, owner, how) {
    const u = state.users.get(owner);
    if (!u) return;
    if (how === 'deleted') removeUser(state, u);
    else u.is_active = false;
    syncAllowedDevices(state);
  },
  // Users outside every admin group, who reach only their own devices and keys.
  ordinaryUsers: (state) => [...state.users.values()].filter((u) => !u.is_admin && u.is_active).sort((a, b) => a.id - b.id).map((u) => u.username),
  handlers: (state, store) => ({
    ...oauthHandlers(),
    ...sessionHandlers(state, store),
    ...userHandlers(state, store),
    ...groupHandlers(state, store),
    ...apiTokenHandlers(state, store),
    ...locationHandlers(state),
    ...deviceHandlers(state),
    ...networkDeviceHandlers(state),
    ...openidClientHandlers(state),
    ...webhookHandlers(state),
    ...aclRuleHandlers(state),
    ...aclAliasHandlers(state),
    ...aclDestinationHandlers(state),
    ...activityLogStreamHandlers(state),
    ...openidProviderHandlers(state),
  }),
});
