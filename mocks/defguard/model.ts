import type { components } from '../../generated/defguard.ts';
import type { PasswordSeed, Passwords } from './passwords.ts';

/** The Defguard mock's records: the contract's types, and what the mock keeps beside them. */

type Schemas = components['schemas'];
export type UserInfo = Schemas['UserInfo'];
export type GroupInfo = Schemas['GroupInfo'];
export type WireguardNetwork = Schemas['WireguardNetwork'];
export type Device = Schemas['Device'];
export type OAuth2Client = Schemas['OAuth2Client'];
export type WebHook = Schemas['WebHook'];
export type WebHookData = Schemas['WebHookData'];
export type AclRule = Schemas['ApiAclRule'];
export type AclAlias = Schemas['ApiAclAlias'];
export type AclDestination = Schemas['ApiAclDestination'];
export type ActivityLogStream = Schemas['ActivityLogStream'];
export type OpenIdProvider = Schemas['OpenIdProvider'];
export type OpenIdLoginSettings = Schemas['OpenIdProviderDetails']['settings'];
export type Proxy = Schemas['Proxy'];
export type Gateway = Schemas['Gateway'];
export type UserSnatBinding = Schemas['UserSnatBinding'];
export type WorkerDetail = Schemas['WorkerDetail'];
export type YubiKey = Schemas['YubiKey'];

/**
 * A user as stored: the contract's record plus the YubiKeys provisioned for them (Defguard's
 * `yubikey` rows, the contract's `YubiKey` shape). User answers leave `yubikeys` out, as the
 * server's user records do; the key routes read them from here.
 */
export type StoredUser = UserInfo & { yubikeys?: YubiKey[] };
/**
 * A YubiKey provisioning job queued for a worker (Defguard keeps them in memory). `result` is set
 * once the worker has reported; until then the status route answers `null`.
 */
export interface WorkerJob {
  id: number;
  worker: string;
  username: string;
  result?: Schemas['JobResponse'];
}

/** A location as stored: the contract's record plus the names of the groups allowed to use it. */
export type StoredNetwork = WireguardNetwork & { allowed_groups: string[] };
/** A device's addresses in one location (Defguard's `wireguard_network_device` row). */
export interface DeviceAddresses {
  network_id: number;
  wireguard_ips: string[];
}
/** A device as stored: the contract's record plus its addresses, one entry per location, by location id. */
export type StoredDevice = Device & { addresses: DeviceAddresses[] };
/** Seeded devices may leave out their addresses: user devices then get them as the server would assign them. */
export type SeedDevice = Device & { addresses?: DeviceAddresses[] };

/** The seed document (mocks/defguard/seed.yaml, or a `--seed` state); every collection may be left out. */
export interface DefguardSeed extends PasswordSeed {
  users?: StoredUser[];
  groups?: GroupInfo[];
  networks?: StoredNetwork[];
  devices?: SeedDevice[];
  oauthClients?: OAuth2Client[];
  webhooks?: WebHook[];
  aclRules?: AclRule[];
  aclAliases?: AclAlias[];
  aclDestinations?: AclDestination[];
  activityLogStreams?: ActivityLogStream[];
  /** At most one: Defguard supports a single external OpenID provider at a time. */
  openidProviders?: OpenIdProvider[];
  /** Edge components, registered by their setup streams (not modelled), so seeded only. */
  proxies?: Proxy[];
  gateways?: Gateway[];
  snatBindings?: UserSnatBinding[];
  /** Provisioning workers that have registered over gRPC (not modelled), so seeded only. */
  workers?: WorkerDetail[];
}

/** Users and groups: the directory the locations' access rules refer to. */
export interface Directory {
  users: Map<string, StoredUser>;
  /** Groups are the source of truth for membership; a user's `groups` and `is_admin` derive from them. */
  groups: Map<number, GroupInfo>;
}

/** Locations and devices. */
export interface Vpn {
  networks: Map<number, StoredNetwork>;
  devices: Map<number, StoredDevice>;
}

/** Settings-page collections: OpenID clients (by public `client_id`), webhooks, ACLs and activity-log streams (by id). */
export interface Integrations {
  oauthClients: Map<string, OAuth2Client>;
  webhooks: Map<number, WebHook>;
  aclRules: Map<number, AclRule>;
  aclAliases: Map<number, AclAlias>;
  aclDestinations: Map<number, AclDestination>;
  activityLogStreams: Map<number, ActivityLogStream>;
  /** The external OpenID provider, if one is configured (by name; never more than one). */
  openidProviders: Map<string, OpenIdProvider>;
  /** The login settings the provider form also sets (Defguard keeps them among its settings; not seeded). */
  openidSettings: OpenIdLoginSettings;
  /**
   * The next id of each of those collections (OpenID clients have a numeric id beside their public
   * one). Aliases and destinations are rows of one table (`aclalias`, told apart by `kind`), so
   * `aclAliases` numbers both.
   */
  nextIds: { oauthClients: number; webhooks: number; aclRules: number; aclAliases: number; activityLogStreams: number; openidProviders: number };
}

/** The network side: edge proxies, gateways (each in one location), SNAT bindings, provisioning workers and their jobs. */
export interface Components {
  proxies: Map<number, Proxy>;
  gateways: Map<number, Gateway>;
  snatBindings: Map<number, UserSnatBinding>;
  /** By worker id (its name). */
  workers: Map<string, WorkerDetail>;
  jobs: Map<number, WorkerJob>;
  nextComponentIds: { gateways: number; snatBindings: number; jobs: number };
}

export interface DefguardState extends Directory, Vpn, Integrations, Components {
  nextUserId: number;
  nextGroupId: number;
  nextNetworkId: number;
  nextDeviceId: number;
  /** Password digests and login lock-outs (mocks/defguard/passwords.ts). */
  passwords: Passwords;
}

