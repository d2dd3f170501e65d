import { isIP } from 'node:net';
import type { components, operations } from '../../generated/defguard.ts';
import { alphanumericToken } from '../kit/credentials.ts';
import type { Handlers } from '../kit/types.ts';
import type { DefguardState } from './model.ts';
import { badRequest } from './views.ts';

/**
 * The instance settings: one record (Defguard's `settings` row, id 1) that every route reading a
 * setting sees. PUT replaces it, PATCH changes the fields sent; both validate the result as
 * `Settings::validate` does (crates/defguard_common/src/db/models/settings.rs) and answer 400 with
 * its message when a combination is not allowed. `settings_essentials` is a projection of it.
 * The OpenID login switches (`openid_create_account`, `openid_username_handling`) live in
 * `state.openidSettings`, which the OpenID provider form also sets, so both routes see one value.
 *
 * Honoured elsewhere: `/info` reports SMTP and LDAP from it (meta.ts), the LDAP and mail tests
 * answer from it (meta.ts), the module switches show in `settings_essentials`, `defguard_url` is
 * the OpenID issuer (oauth-provider.ts), and the enterprise device-management switches restrict
 * ordinary users' device changes (`deviceManagementRefusal`, used by devices.ts).
 */

type Schemas = components['schemas'];
export type Settings = Schemas['Settings'];
export type EnterpriseSettings = Schemas['EnterpriseSettings'];

// Defguard's defaults for branding (handlers/settings.rs): an empty logo URL reads as these.
export const DEFAULT_NAV_LOGO_URL = '/svg/defguard-nav-logo.svg';
export const DEFAULT_MAIN_LOGO_URL = '/svg/logo-defguard-white.svg';

const secretKey = alphanumericToken('', 64);

/**
 * A fresh instance's settings, from the columns' defaults in Defguard's migrations and
 * `initialize_runtime_defaults` (a 64-character secret key is generated at start). The welcome
 * texts are shortened here; the real ones are longer Markdown. Used when the seed has no `settings`.
 */
export function defaultSettings(adminId: number | null): Settings {
  return {
    openid_enabled: true,
    wireguard_enabled: true,
    webhooks_enabled: true,
    worker_enabled: true,
    challenge_template:
      'Please read this carefully:\n\nClick to sign to prove you are in possesion of your private key to the account.\nThis request will not trigger a blockchain transaction or cost any gas fees.',
    instance_name: 'Defguard',
    main_logo_url: DEFAULT_MAIN_LOGO_URL,
    nav_logo_url: DEFAULT_NAV_LOGO_URL,
    smtp_server: null,
    smtp_port: null,
    smtp_encryption: 'StartTls',
    smtp_user: null,
    smtp_password: null,
    smtp_sender: null,
    enrollment_vpn_step_optional: true,
    enrollment_welcome_message: 'Dear {{ first_name }} {{ last_name }},\n\nWelcome to Defguard.',
    enrollment_welcome_email: 'Dear {{ first_name }} {{ last_name }},\n\nWelcome to Defguard.',
    enrollment_welcome_email_subject: '[defguard] Welcome message after enrollment',
    enrollment_use_welcome_message_as_email: true,
    enrollment_send_welcome_email: true,
    ldap_url: null,
    ldap_bind_username: null,
    ldap_bind_password: null,
    ldap_group_search_base: null,
    ldap_user_search_base: null,
    ldap_user_obj_class: null,
    ldap_group_obj_class: null,
    ldap_username_attr: null,
    ldap_groupname_attr: null,
    ldap_group_member_attr: null,
    ldap_member_attr: null,
    ldap_use_starttls: false,
    ldap_tls_verify_cert: true,
    ldap_sync_status: 'OutOfSync',
    ldap_enabled: false,
    ldap_sync_enabled: false,
    ldap_is_authoritative: false,
    ldap_uses_ad: false,
    ldap_sync_interval: 300,
    ldap_user_auxiliary_obj_classes: [],
    ldap_user_rdn_attr: null,
    ldap_sync_groups: [],
    ldap_remote_enrollment_enabled: false,
    ldap_remote_enrollment_send_invite: false,
    openid_create_account: true,
    openid_username_handling: 'RemoveForbidden',
    license: null,
    gateway_disconnect_notifications_enabled: false,
    gateway_disconnect_notifications_inactivity_threshold: 5,
    gateway_disconnect_notifications_reconnect_notification_enabled: false,
    defguard_url: 'http://localhost:8000',
    default_admin_group_name: 'admin',
    authentication_period_days: 7,
    mfa_code_timeout_seconds: 60,
    public_proxy_url: 'http://localhost:8080',
    default_admin_id: adminId,
    secret_key: secretKey(),
    enable_stats_purge: true,
    stats_purge_frequency_hours: 24,
    stats_purge_threshold_days: 30,
    enrollment_token_timeout_hours: 24,
    password_reset_token_timeout_hours: 24,
    enrollment_session_timeout_minutes: 10,
    password_reset_session_timeout_minutes: 10,
  };
}

/** Defguard's enterprise settings defaults (`EnterpriseSettings::default`). */
export const defaultEnterpriseSettings = (): EnterpriseSettings => ({ admin_device_management: false, client_traffic_policy: 'none', only_client_activation: false });

/** `Settings::smtp_configured`: server, port and sender set (user and password may be empty). */
export const smtpConfigured = (s: Settings) => Boolean(s.smtp_server) && s.smtp_port != null && Boolean(s.smtp_sender);

/** `Settings::ldap_configured`: a parseable URL and every field the sync needs (the password only present). */
export function ldapConfigured(s: Settings): boolean {
  const set = (v: string | null | undefined) => typeof v === 'string' && v !== '';
  return (
    parsesAsUrl(s.ldap_url) &&
    set(s.ldap_bind_username) &&
    s.ldap_bind_password != null &&
    [s.ldap_username_attr, s.ldap_user_search_base, s.ldap_user_obj_class, s.ldap_member_attr, s.ldap_groupname_attr, s.ldap_group_obj_class, s.ldap_group_member_attr, s.ldap_group_search_base].every(set)
  );
}

function parsesAsUrl(v: string | null | undefined): boolean {
  if (!v) return false;
  try {
    new URL(v);
    return true;
  } catch {
    return false;
  }
}

/** `Settings::validate`: the first rule a record breaks, in the server's order and words; undefined when it is valid. */
export function settingsProblem(s: Settings): string | undefined {
  // WebAuthn needs a domain (or `localhost`) as relying-party id: an IP host or no host is refused.
  let host = '';
  try {
    host = new URL(s.defguard_url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    host = '';
  }
  if (host === '' || isIP(host) !== 0) return `Invalid defguard_url \`${s.defguard_url}\`, url has to be a domain, not IP`;
  if (s.gateway_disconnect_notifications_enabled && !smtpConfigured(s)) return 'Cannot enable gateway disconnect notifications. SMTP is not configured';
  if (s.ldap_enabled && !ldapConfigured(s)) return 'Cannot enable LDAP. Required LDAP fields are not configured';
  if (s.ldap_remote_enrollment_enabled && (!smtpConfigured(s) || !ldapConfigured(s))) return 'Cannot enable remote enrollment for LDAP. LDAP and SMTP must both be configured';
  if (s.ldap_remote_enrollment_send_invite && !s.ldap_remote_enrollment_enabled) {
    return 'Cannot enable automatic invites for LDAP remote enrollment. LDAP remote enrollment is not enabled';
  }
  return undefined;
}

/** The settings as routes read them: the stored record with the OpenID login switches from their one home. */
export function currentSettings(state: DefguardState): Settings {
  const s = state.settings;
  return { ...s, openid_create_account: state.openidSettings.create_account, openid_username_handling: state.openidSettings.username_handling };
}

/** Saves a validated record: the OpenID switches go to `state.openidSettings`. */
function save(state: DefguardState, s: Settings): void {
  state.settings = s;
  state.openidSettings = { create_account: s.openid_create_account, username_handling: s.openid_username_handling };
}

/** Logos left empty read as the defaults, in the full settings and in the essentials alike. */
const withLogos = <T extends { main_logo_url: string; nav_logo_url: string }>(s: T): T => ({
  ...s,
  main_logo_url: s.main_logo_url || DEFAULT_MAIN_LOGO_URL,
  nav_logo_url: s.nav_logo_url || DEFAULT_NAV_LOGO_URL,
});

export function settingsHandlers(state: DefguardState): Handlers<operations> {
  return {
    getSettings: () => ({ status: 200, body: withLogos(currentSettings(state)) }),
    updateSettings: ({ body }) => {
      // `Json<Settings>`: fields that are `Option` in the server may be left out and count as null.
      const next = { ...nullOptionals(), ...body } as Settings;
      const problem = settingsProblem(next);
      if (problem) return badRequest(problem);
      save(state, next);
      return { status: 200, body: null };
    },
    patchSettings: ({ body }) => {
      const before = currentSettings(state);
      const next: Settings = { ...before, ...(body as Partial<Settings>) };
      // As the server does: switching LDAP off, changing its authority or the synced groups marks it out of sync.
      if (body.ldap_enabled === false) next.ldap_sync_status = 'OutOfSync';
      if (body.ldap_is_authoritative !== undefined && body.ldap_is_authoritative !== before.ldap_is_authoritative) next.ldap_sync_status = 'OutOfSync';
      if (body.ldap_sync_groups !== undefined && JSON.stringify(body.ldap_sync_groups) !== JSON.stringify(before.ldap_sync_groups)) next.ldap_sync_status = 'OutOfSync';
      const problem = settingsProblem(next);
      if (problem) return badRequest(problem);
      save(state, next);
      return { status: 200, body: null };
    },
    setDefaultBranding: () => {
      const next: Settings = { ...currentSettings(state), instance_name: 'Defguard', main_logo_url: DEFAULT_MAIN_LOGO_URL, nav_logo_url: DEFAULT_NAV_LOGO_URL };
      save(state, next);
      return { status: 200, body: next };
    },
    getSettingsEssentials: () => {
      const s = withLogos(state.settings);
      return {
        status: 200,
        body: {
          instance_name: s.instance_name,
          main_logo_url: s.main_logo_url,
          nav_logo_url: s.nav_logo_url,
          wireguard_enabled: s.wireguard_enabled,
          webhooks_enabled: s.webhooks_enabled,
          worker_enabled: s.worker_enabled,
          openid_enabled: s.openid_enabled,
        },
      };
    },
    getEnterpriseSettings: () => ({ status: 200, body: { ...state.enterpriseSettings } }),
    patchEnterpriseSettings: ({ body }) => {
      Object.assign(state.enterpriseSettings, body);
      return { status: 200, body: null };
    },
  };
}

/** The `Option` fields of `Settings`, all null: what a PUT body that leaves them out means. */
function nullOptionals(): Partial<Settings> {
  return {
    smtp_server: null,
    smtp_port: null,
    smtp_user: null,
    smtp_password: null,
    smtp_sender: null,
    enrollment_welcome_message: null,
    enrollment_welcome_email: null,
    enrollment_welcome_email_subject: null,
    ldap_url: null,
    ldap_bind_username: null,
    ldap_bind_password: null,
    ldap_group_search_base: null,
    ldap_user_search_base: null,
    ldap_user_obj_class: null,
    ldap_group_obj_class: null,
    ldap_username_attr: null,
    ldap_groupname_attr: null,
    ldap_group_member_attr: null,
    ldap_member_attr: null,
    ldap_user_rdn_attr: null,
    license: null,
    default_admin_id: null,
    secret_key: null,
  };
}

/**
 * Why an ordinary user may not change devices under the enterprise settings, as Defguard's device
 * handlers check: with `admin_device_management` only admins add, change or delete devices; with
 * `only_client_activation` users add devices through the desktop client only, not by hand.
 */
export function deviceManagementRefusal(state: DefguardState, isAdmin: boolean, adding: boolean): { status: 403; body: { msg: string } } | undefined {
  if (isAdmin) return undefined;
  if (state.enterpriseSettings.admin_device_management) return { status: 403, body: { msg: 'Only admin users can manage devices' } };
  if (adding && state.enterpriseSettings.only_client_activation) return { status: 403, body: { msg: 'Manual device management is disabled' } };
  return undefined;
}
