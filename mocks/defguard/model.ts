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
export type Settings = Schemas['Settings'];
export type EnterpriseSettings = Schemas['EnterpriseSettings'];
export type ActivityLogEvent = Schemas['ApiActivityLogEvent'];
export type CertsInfo = Schemas['CertsInfo'];
export type AuthenticationKeyInfo = Schemas['AuthenticationKeyInfo'];
export type YubiKey = Schemas['YubiKey'];
export type Proxy = Schemas['Proxy'];
export type Gateway = Schemas['Gateway'];
export type UserSnatBinding = Schemas['UserSnatBinding'];
export type WorkerDetail = Schemas['WorkerDetail'];

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

/** A user's second factors as Defguard keeps them on the user row (secrets base32; codes unused ones only). */
export interface UserMfa {
  /** Set by `POST /auth/totp/init`; TOTP counts as a factor only once `totp_enabled` is on. */
  totpSecret?: string | null;
  /** Set by `POST /auth/email/init`. */
  emailSecret?: string | null;
  /** Issued once, with the first factor; each one works once. */
  recoveryCodes: string[];
}

/** A WebAuthn security key (Defguard's `webauthn` row); the mock keeps the credential id the browser gave. */
export interface SecurityKey {
  id: number;
  name: string;
  user_id: number;
  credential_id: string;
}

/**
 * What belongs to the accounts beyond their records: second factors, security keys, SSH/GPG keys
 * and YubiKeys, sessions' second-factor state, one-time codes handed out of band and the external
 * OpenID login in flight.
 */
export interface Accounts {
  /** By username. */
  mfa: Map<string, UserMfa>;
  securityKeys: Map<number, SecurityKey>;
  /** SSH and GPG keys; `yubikey_name` and `yubikey_serial` are derived from the YubiKey. */
  authKeys: Map<number, AuthenticationKeyInfo>;
  yubikeys: Map<number, YubiKey>;
  /** Ids of the sessions that passed the second factor (Defguard's `MultiFactorVerified` state). */
  verifiedSessions: Set<number>;
  /** Outstanding WebAuthn challenges by session (credential) id. */
  webauthnChallenges: Map<number, { purpose: 'register' | 'authenticate'; challenge: string }>;
  /** The last e-mail code issued per username (the mock sends no mail; the control API shows it). */
  lastEmailCodes: Map<string, { code: string; purpose: 'setup' | 'login'; issued_at: string }>;
  /** The last enrollment / desktop-configuration / password-reset token per username (not sent either). */
  lastTokens: Map<string, { kind: 'enrollment' | 'desktop' | 'password_reset'; token: string; email: string | null; expires_at: string }>;
  /** OpenID logins started with `GET /openid/auth_info`: CSRF state → nonce. */
  openidStates: Map<string, string>;
  /** Authorisation codes the mock's external provider issued (control API), → the identity that signed in. */
  openidCodes: Map<string, OpenIdIdentity>;
  nextAccountIds: { securityKeys: number; authKeys: number; yubikeys: number };
}

/** Who signed in at the external OpenID provider: the claims Defguard reads. */
export interface OpenIdIdentity {
  email: string;
  given_name?: string;
  family_name?: string;
  preferred_username?: string;
  phone?: string | null;
}

/** The seed document (mocks/defguard/seed.yaml, or a `--seed` state); every collection may be left out. */
export interface DefguardSeed extends PasswordSeed {
  users?: UserInfo[];
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
  /** At most one: the instance settings (Defguard's single `settings` row); Defguard's defaults when left out. */
  settings?: Settings[];
  /** What happened before the mock started, oldest first (ids and times as given). */
  activityLog?: ActivityLogEvent[];
  authenticationKeys?: AuthenticationKeyInfo[];
  yubikeys?: YubiKey[];
  /** The mock's own: second factors by username, and security keys (no contract record holds either whole). */
  mfa?: Record<string, UserMfa>;
  securityKeys?: SecurityKey[];
  /** Edge components, registered by their setup streams (not modelled), so seeded only. */
  proxies?: Proxy[];
  gateways?: Gateway[];
  snatBindings?: UserSnatBinding[];
  /** Provisioning workers that have registered over gRPC (not modelled), so seeded only. */
  workers?: WorkerDetail[];
}

/** Users and groups: the directory the locations' access rules refer to. */
export interface Directory {
  users: Map<string, UserInfo>;
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

/** A message the mock would have sent (it sends no mail): what `GET /__control/mail` shows. */
export interface SentMail {
  to: string;
  subject: string;
  /** Why it was sent: the operation that sent it. */
  operationId: string;
  /** The text, or for support data the names of the attachments. */
  body: string;
  attachments: string[];
  sentAt: string;
}

/** An authorisation code, access or refresh token of Defguard's own OpenID provider side. */
export interface OAuthGrant {
  clientId: string;
  username: string;
  redirectUri: string;
  scope: string[];
  nonce?: string;
  /** Milliseconds since the epoch after which it no longer works. */
  expiresAt: number;
}

/** Server-wide records: settings, the activity log, mail the mock would have sent, certificates, OAuth grants. */
export interface Admin {
  settings: Settings;
  enterpriseSettings: EnterpriseSettings;
  activityLog: ActivityLogEvent[];
  nextActivityId: number;
  outbox: SentMail[];
  certs: CertsInfo;
  oauth: { codes: Map<string, OAuthGrant>; accessTokens: Map<string, OAuthGrant>; refreshTokens: Map<string, OAuthGrant> };
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

export interface DefguardState extends Directory, Vpn, Integrations, Admin, Accounts, Components {
  nextUserId: number;
  nextGroupId: number;
  nextNetworkId: number;
  nextDeviceId: number;
  /** Password digests and login lock-outs (mocks/defguard/passwords.ts). */
  passwords: Passwords;
}

