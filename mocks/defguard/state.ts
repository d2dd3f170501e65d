import type { CredentialStore } from '../kit/credentials.ts';
import type { Accounts, Admin, Components, DefguardSeed, DefguardState, Integrations, StoredDevice, UserInfo } from './model.ts';
import { createPasswords, passwordSnapshot } from './passwords.ts';
import { defaultEnterpriseSettings, defaultSettings } from './settings.ts';
import { syncAllowedDevices } from './sync.ts';

const nextId = (records: { id: number }[]) => Math.max(0, ...records.map((r) => r.id)) + 1;

export function createState(store: CredentialStore, seed: DefguardSeed): DefguardState {
  const users = seed.users ?? [];
  const groups = seed.groups ?? [];
  const networks = seed.networks ?? [];
  const devices = (seed.devices ?? []).map((d): StoredDevice => ({ ...d, addresses: d.addresses ?? [] }));
  const state: DefguardState = {
    users: new Map(users.map((u) => [u.username, u])),
    groups: new Map(groups.map((g) => [g.id, g])),
    networks: new Map(networks.map((n) => [n.id, n])),
    devices: new Map(devices.map((d) => [d.id, d])),
    nextUserId: nextId(users),
    nextGroupId: nextId(groups),
    nextNetworkId: nextId(networks),
    nextDeviceId: nextId(devices),
    passwords: createPasswords(seed),
    ...createIntegrations(seed),
    ...createAdmin(seed),
    ...createAccounts(seed),
    ...createComponents(seed),
  };
  // The OpenID login switches have one home (state.openidSettings); seeded settings set them.
  state.openidSettings = { create_account: state.settings.openid_create_account, username_handling: state.settings.openid_username_handling };
  for (const u of users) membershipChanged(state, store, u.username, { sync: false });
  // One existing token (id 1) so that token routes have something to list, rename and delete.
  const admin = users.find((u) => u.is_admin && u.is_active);
  if (admin) store.issue({ owner: admin.username, role: 'admin', name: 'automation' });
  syncAllowedDevices(state);
  return state;
}

function createIntegrations(seed: DefguardSeed): Integrations {
  const oauthClients = seed.oauthClients ?? [];
  const webhooks = seed.webhooks ?? [];
  const aclRules = seed.aclRules ?? [];
  const aclAliases = seed.aclAliases ?? [];
  const aclDestinations = seed.aclDestinations ?? [];
  const activityLogStreams = seed.activityLogStreams ?? [];
  const openidProviders = seed.openidProviders ?? [];
  return {
    oauthClients: new Map(oauthClients.map((c) => [c.client_id, c])),
    webhooks: new Map(webhooks.map((w) => [w.id, w])),
    aclRules: new Map(aclRules.map((r) => [r.id, r])),
    aclAliases: new Map(aclAliases.map((a) => [a.id, a])),
    aclDestinations: new Map(aclDestinations.map((d) => [d.id, d])),
    activityLogStreams: new Map(activityLogStreams.map((s) => [s.id, s])),
    openidProviders: new Map(openidProviders.map((p) => [p.name, p])),
    // Defguard's defaults: accounts are created on first login, forbidden characters are removed from
    // usernames (crates/defguard_common/src/db/models/settings.rs). Settings are not a seed collection.
    openidSettings: { create_account: true, username_handling: 'RemoveForbidden' },
    nextIds: {
      oauthClients: nextId(oauthClients),
      webhooks: nextId(webhooks),
      aclRules: nextId(aclRules),
      // Aliases and destinations are rows of one table (`aclalias`, told apart by `kind`), so they share ids.
      aclAliases: nextId([...aclAliases, ...aclDestinations]),
      activityLogStreams: nextId(activityLogStreams),
      openidProviders: nextId(openidProviders),
    },
  };
}

function createAdmin(seed: DefguardSeed): Admin {
  const admin = (seed.users ?? []).find((u) => u.is_admin);
  const activityLog = seed.activityLog ?? [];
  return {
    settings: seed.settings?.[0] ?? defaultSettings(admin?.id ?? null),
    enterpriseSettings: defaultEnterpriseSettings(),
    activityLog,
    nextActivityId: nextId(activityLog),
    outbox: [],
    // A fresh instance serves plain HTTP on both URLs until an admin picks a certificate (handlers/certs.ts).
    certs: { core_http_cert_source: 'None', core_http_cert_expiry: null, core_http_cert_domain: null, proxy_http_cert_source: 'None', proxy_http_cert_expiry: null, proxy_http_cert_domain: null },
    oauth: { codes: new Map(), accessTokens: new Map(), refreshTokens: new Map() },
  };
}

function createAccounts(seed: DefguardSeed): Accounts {
  const authKeys = seed.authenticationKeys ?? [];
  const yubikeys = seed.yubikeys ?? [];
  const securityKeys = seed.securityKeys ?? [];
  return {
    mfa: new Map(Object.entries(seed.mfa ?? {}).map(([user, m]) => [user, { ...m, recoveryCodes: [...(m.recoveryCodes ?? [])] }])),
    securityKeys: new Map(securityKeys.map((k) => [k.id, k])),
    authKeys: new Map(authKeys.map((k) => [k.id, k])),
    yubikeys: new Map(yubikeys.map((y) => [y.id, y])),
    verifiedSessions: new Set(),
    webauthnChallenges: new Map(),
    lastEmailCodes: new Map(),
    lastTokens: new Map(),
    openidStates: new Map(),
    openidCodes: new Map(),
    nextAccountIds: { securityKeys: nextId(securityKeys), authKeys: nextId(authKeys), yubikeys: nextId(yubikeys) },
  };
}

function createComponents(seed: DefguardSeed): Components {
  const proxies = seed.proxies ?? [];
  const gateways = seed.gateways ?? [];
  const snatBindings = seed.snatBindings ?? [];
  return {
    proxies: new Map(proxies.map((p) => [p.id, p])),
    gateways: new Map(gateways.map((g) => [g.id, g])),
    snatBindings: new Map(snatBindings.map((b) => [b.id, b])),
    workers: new Map((seed.workers ?? []).map((w) => [w.id, w])),
    // Jobs live in the server's memory only: none survive a restart, so none are seeded.
    jobs: new Map(),
    // Job ids start at 1 (`WorkerState::new`); 0 is what the server answers when the worker is unknown.
    nextComponentIds: { gateways: nextId(gateways), snatBindings: nextId(snatBindings), jobs: 1 },
  };
}

/** Sorted by id, as Defguard's `all()` queries list them. */
export const byId = <T extends { id: number }>(records: Iterable<T>): T[] => [...records].sort((a, b) => a.id - b.id);

export const snapshot = (state: DefguardState) => ({
  users: [...state.users.values()],
  groups: [...state.groups.values()],
  networks: [...state.networks.values()],
  devices: [...state.devices.values()],
  oauthClients: byId(state.oauthClients.values()),
  webhooks: byId(state.webhooks.values()),
  aclRules: byId(state.aclRules.values()),
  aclAliases: byId(state.aclAliases.values()),
  aclDestinations: byId(state.aclDestinations.values()),
  activityLogStreams: byId(state.activityLogStreams.values()),
  openidProviders: byId(state.openidProviders.values()),
  settings: [{ ...state.settings, openid_create_account: state.openidSettings.create_account, openid_username_handling: state.openidSettings.username_handling }],
  activityLog: state.activityLog,
  authenticationKeys: byId(state.authKeys.values()),
  yubikeys: byId(state.yubikeys.values()),
  mfa: Object.fromEntries([...state.mfa].sort(([a], [b]) => a.localeCompare(b))),
  securityKeys: byId(state.securityKeys.values()),
  proxies: byId(state.proxies.values()),
  gateways: byId(state.gateways.values()),
  snatBindings: byId(state.snatBindings.values()),
  workers: [...state.workers.values()],
  ...passwordSnapshot(state.passwords),
});

/** The token owner in the credential store follows the user record: role from the admin flag, state from `is_active`. */
export function syncOwner(store: CredentialStore, u: UserInfo): void {
  const owner = store.owners.get(u.username) ?? { name: u.username, role: 'user', state: 'active' as const };
  owner.role = u.is_admin ? 'admin' : 'user';
  owner.state = u.is_active ? 'active' : 'disabled';
  store.owners.set(u.username, owner);
}

/**
 * Re-derives a user's groups and admin flag from group membership, and their token owner's role;
 * then (unless told not to) brings device addresses in step, as group membership decides which
 * locations the user's devices have addresses in.
 */
export function membershipChanged(state: DefguardState, store: CredentialStore, username: string, options = { sync: true }): void {
  const u = state.users.get(username);
  if (!u) return;
  const mine = [...state.groups.values()].filter((g) => g.members.includes(username));
  u.groups = mine.map((g) => g.name);
  u.is_admin = mine.some((g) => g.is_admin);
  syncOwner(store, u);
  if (options.sync) syncAllowedDevices(state);
}

/** A user leaves: their devices (and network devices they added) go with them, as the database cascades, and their group memberships. */
export function removeUser(state: DefguardState, u: UserInfo): void {
  state.users.delete(u.username);
  for (const d of [...state.devices.values()]) if (d.user_id === u.id) state.devices.delete(d.id);
  for (const g of state.groups.values()) g.members = g.members.filter((m) => m !== u.username);
  // Keys, YubiKeys and second factors are rows that reference the user: they go too.
  for (const map of [state.authKeys, state.yubikeys, state.securityKeys]) for (const [id, k] of [...map]) if (k.user_id === u.id) map.delete(id);
  state.mfa.delete(u.username);
  // SNAT bindings reference the user (ON DELETE CASCADE).
  for (const b of [...state.snatBindings.values()]) if (b.user_id === u.id) state.snatBindings.delete(b.id);
}
