import type { operations } from '../../generated/defguard.ts';
import { alphanumericToken } from '../kit/credentials.ts';
import { defineApiModule } from '../kit/define.ts';
import { aclAliasHandlers } from './acl-aliases.ts';
import { activityLogHandlers, recordActivity } from './activity-log.ts';
import { aclDestinationHandlers } from './acl-destinations.ts';
import { aclRuleHandlers } from './acl-rules.ts';
import { activityLogStreamHandlers } from './activity-log-streams.ts';
import { apiTokenHandlers } from './api-tokens.ts';
import { authKeyHandlers } from './auth-keys.ts';
import { deviceHandlers } from './devices.ts';
import { gatewayHandlers } from './gateways.ts';
import { groupHandlers } from './groups.ts';
import { locationHandlers } from './locations.ts';
import { metaHandlers } from './meta.ts';
import type { DefguardSeed, DefguardState } from './model.ts';
import { mfaControlRoutes, mfaHandlers } from './mfa.ts';
import { networkDeviceHandlers } from './network-devices.ts';
import { knownLogins } from './passwords.ts';
import { oauthProviderHandlers } from './oauth-provider.ts';
import { oauthHandlers } from './oauth.ts';
import { openidClientHandlers } from './openid-clients.ts';
import { openidControlRoutes, openidLoginHandlers } from './openid-login.ts';
import { openidProviderHandlers } from './openid-providers.ts';
import { secondFactorOutstanding, sessionHandlers } from './sessions.ts';
import { settingsHandlers } from './settings.ts';
import { snatHandlers } from './snat.ts';
import { staticIpHandlers } from './static-ips.ts';
import { statsHandlers } from './stats.ts';
import { createState, removeUser, snapshot } from './state.ts';
import { syncAllowedDevices } from './sync.ts';
import { userAccountHandlers } from './user-account.ts';
import { userHandlers } from './users.ts';
import { webhookHandlers } from './webhooks.ts';
import { workerHandlers } from './workers.ts';

/**
 * Defguard: users, groups, the users' API tokens, password login and sessions, locations, user
 * devices with per-location addresses and network devices, OpenID clients, webhooks, ACL rules,
 * aliases and destinations, activity-log streams and the external OpenID provider, edge proxies,
 * gateways, SNAT bindings, simulated location statistics and YubiKey provisioning workers, seeded
 * from seed.yaml; the instance settings, the activity log of what happened in the mock, Defguard's
 * own OpenID provider side (tokens and userinfo for the codes its consent form issues), second
 * factors and per-user keys.
 * Only admins' API tokens work (sessions need no role). Disabling or deleting a user removes their
 * tokens; removing a user from the admin group keeps them but makes them insufficient, as the real
 * server does. A user's devices get addresses in the locations their groups allow, follow changes
 * to groups and users, and go when the user goes. Users set up second factors (TOTP, e-mail codes,
 * security keys, recovery codes); with MFA on, a login's session waits for one before it works
 * wherever a role is needed. SSH/GPG keys and YubiKeys, enrollment and password routes and the
 * external OpenID login keep state too; the control API shows what the server would have sent by
 * mail and plays the external provider's login page.
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
    settings: '#/components/schemas/Settings',
    activityLog: '#/components/schemas/ApiActivityLogEvent',
    authenticationKeys: '#/components/schemas/AuthenticationKeyInfo',
    yubikeys: '#/components/schemas/YubiKey',
    proxies: '#/components/schemas/Proxy',
    gateways: '#/components/schemas/Gateway',
    snatBindings: '#/components/schemas/UserSnatBinding',
    workers: '#/components/schemas/WorkerDetail',
  },
  // A session whose second factor is outstanding is refused on role routes (sessions.ts).
  admitCredential: secondFactorOutstanding,
  controlRoutes: [
    ...mfaControlRoutes,
    ...openidControlRoutes,
    // The mock sends no mail: what it would have sent (test mail, support data) is listed here.
    { method: 'GET', path: '/mail', summary: 'mail the mock would have sent (test mail, support data)', handle: (state) => ({ status: 200, body: { mail: state.outbox } }) },
  ],
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
  // The activity log records what each answered request did (activity-log.ts), not each handler.
  observe: recordActivity,
  handlers: (state, store, contract) => ({
    ...oauthHandlers(state),
    ...oauthProviderHandlers(state),
    ...settingsHandlers(state),
    ...metaHandlers(state, contract),
    ...activityLogHandlers(state),
    ...sessionHandlers(state, store),
    ...userHandlers(state, store),
    ...userAccountHandlers(state, store),
    ...mfaHandlers(state, store),
    ...authKeyHandlers(state),
    ...openidLoginHandlers(state, store),
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
    ...gatewayHandlers(state),
    ...statsHandlers(state),
    ...snatHandlers(state),
    ...staticIpHandlers(state),
    ...workerHandlers(state),
  }),
});
