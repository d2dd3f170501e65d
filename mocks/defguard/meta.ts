import type { components, operations } from '../../generated/defguard.ts';
import type { Contract } from '../../src/core/contract/model.ts';
import type { Handlers } from '../kit/types.ts';
import type { DefguardState, SentMail, Settings } from './model.ts';
import { ldapConfigured, smtpConfigured } from './settings.ts';
import { badRequest } from './views.ts';

/**
 * Server-wide routes that read the state rather than keep records of their own: health, instance
 * information, version checks, the license, mail (recorded, never sent), support data, the LDAP
 * and directory-sync tests, certificates, the API documents and the setup event streams.
 */

type Schemas = components['schemas'];

/** The Defguard core version the mock plays (the contract describes 2.0). */
export const CORE_VERSION = '2.0.0';

const EMPTY: Record<string, never> = {};
const naive = (d: Date) => d.toISOString().slice(0, 19);
const days = (n: number) => new Date(Date.now() + n * 86_400_000);

/** Object counts as Defguard's `get_counts` takes them: users, user devices, network devices, locations. */
export function counts(state: DefguardState) {
  const devices = [...state.devices.values()];
  return {
    user: state.users.size,
    user_device: devices.filter((d) => d.device_type !== 'network').length,
    network_device: devices.filter((d) => d.device_type === 'network').length,
    location: state.networks.size,
  };
}

/** Support data with the secrets left out, as the configuration dump does. */
function redactedSettings(s: Settings): Partial<Settings> {
  const { smtp_password: _smtp, ldap_bind_password: _ldap, secret_key: _secret, license: _license, ...rest } = s;
  return rest;
}

function record(state: DefguardState, mail: Omit<SentMail, 'sentAt'>): void {
  state.outbox.push({ ...mail, sentAt: new Date().toISOString() });
}

/** A short, finite stream of server-sent events: each step once, then `Done` (or the failing step with `error: true`). */
function eventStream(steps: { step: string; message?: string; error?: boolean }[]): string {
  return steps.map((s) => `data: ${JSON.stringify({ step: s.step, error: s.error ?? false, ...(s.message ? { message: s.message } : {}) })}\n\n`).join('');
}

export function metaHandlers(state: DefguardState, contract: Contract): Handlers<operations> {
  const settings = () => state.settings;
  return {
    healthCheck: () => ({ status: 200, body: 'alive' }),
    getAppInfo: () => {
      const s = settings();
      return {
        status: 200,
        body: {
          version: CORE_VERSION,
          network_present: state.networks.size > 0,
          smtp_enabled: smtpConfigured(s),
          ldap_info: { enabled: s.ldap_enabled, ad: s.ldap_uses_ad },
          external_openid_enabled: state.openidProviders.size > 0,
        },
      };
    },
    // The mock asks no update server: this instance is current.
    checkNewVersion: () => ({ status: 200, body: null }),
    // Gateways and proxies are not modelled yet: none connected, so none outdated.
    outdatedComponents: () => ({ status: 200, body: { gateways: [], proxy: null } }),
    licenseCheck: ({ body }) => {
      // Real keys are signed; the mock cannot verify them. Any well-formed base64 key reads as an
      // unlimited license (limits null, the mock's choice); anything else is refused as the server
      // refuses a key it cannot decode.
      const key = body.license.trim();
      if (key === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(key) || key.length % 4 !== 0) return badRequest('Invalid license key');
      return { status: 200, body: { limits: null, counts: counts(state) } };
    },
    checkEnterpriseInfo: () => {
      // The mock runs as a licensed instance (the ACL, provider and other enterprise routes work), so
      // the license reported is an Enterprise one without limits, valid for a year. Invented values.
      const info: Schemas['LicenseInfo'] = {
        valid_until: days(365).toISOString(),
        subscription: true,
        expired: false,
        limits_exceeded: false,
        tier: 'Enterprise',
        support_type: 'DirectEnterprise',
        limits: null,
      };
      return { status: 200, body: { license_info: info } };
    },
    testMail: ({ body }) => {
      const s = settings();
      // Without SMTP the server cannot send; its handler answers 500 with the error.
      if (!smtpConfigured(s)) return { status: 500, body: { msg: 'SMTP not configured' } };
      record(state, { to: body.to, subject: 'Defguard: test message', operationId: 'testMail', body: 'This is a test message from Defguard.', attachments: [] });
      return { status: 200, body: EMPTY };
    },
    sendSupportData: () => {
      const s = settings();
      if (!smtpConfigured(s)) return { status: 500, body: { msg: 'SMTP not configured' } };
      record(state, {
        to: 'support@defguard.net',
        subject: `Defguard support data (${s.instance_name})`,
        operationId: 'sendSupportData',
        body: 'Support data: configuration dump and recent logs attached.',
        attachments: ['defguard-support-data.json', 'defguard-logs.txt'],
      });
      return { status: 200, body: EMPTY };
    },
    getSupportConfiguration: () => ({
      status: 200,
      body: {
        settings: redactedSettings(settings()),
        enterprise_settings: state.enterpriseSettings,
        counts: counts(state),
        version: CORE_VERSION,
        // Gateways and proxies are not modelled: none connected.
        gateways: [],
        proxies: [],
      },
    }),
    getSupportLogs: () => ({ status: 200, body: logText(state) }),
    // Defguard tries to bind with the saved settings; the mock has no LDAP server, so "configured" stands for "binds".
    testLdapSettings: () => (ldapConfigured(settings()) ? { status: 200, body: EMPTY } : { status: 400, body: EMPTY }),
    testDirsyncConnection: () => {
      const p = [...state.openidProviders.values()][0];
      if (!p) return { status: 200, body: { success: false, message: 'No OpenID provider is configured' } };
      if (!p.directory_sync_enabled) return { status: 200, body: { success: false, message: 'Directory sync is not enabled for the provider' } };
      if (p.kind === 'Custom') return { status: 200, body: { success: false, message: `Directory sync is not supported for ${p.kind} providers` } };
      return { status: 200, body: { success: true, message: 'Connection to the directory succeeded' } };
    },
    getCa: () => ({ status: 200, body: caInfo() }),
    getCerts: () => ({ status: 200, body: { ...state.certs } }),
    setExternalUrlSettings: ({ body }) => {
      const domain = hostOf(settings().public_proxy_url);
      const certs = state.certs;
      const source = { none: 'None', lets_encrypt: 'LetsEncrypt', defguard_ca: 'SelfSigned', own_cert: 'Custom' } as const;
      if (body.ssl_type === 'own_cert' && (!body.cert_pem || !body.key_pem)) return badRequest('Certificate and key are required');
      certs.proxy_http_cert_source = source[body.ssl_type];
      certs.proxy_http_cert_domain = body.ssl_type === 'none' ? null : domain;
      certs.proxy_http_cert_expiry = body.ssl_type === 'none' ? null : naive(days(body.ssl_type === 'lets_encrypt' ? 90 : 365));
      return { status: 201, body: { cert_info: certInfo(certs.proxy_http_cert_domain, certs.proxy_http_cert_expiry) } };
    },
    setInternalUrlSettings: ({ body }) => {
      const domain = hostOf(settings().defguard_url);
      const certs = state.certs;
      const source = { none: 'None', defguard_ca: 'SelfSigned', own_cert: 'Custom' } as const;
      if (body.ssl_type === 'own_cert' && (!body.cert_pem || !body.key_pem)) return badRequest('Certificate and key are required');
      certs.core_http_cert_source = source[body.ssl_type];
      certs.core_http_cert_domain = body.ssl_type === 'none' ? null : domain;
      certs.core_http_cert_expiry = body.ssl_type === 'none' ? null : naive(days(365));
      return { status: 201, body: { cert_info: certInfo(certs.core_http_cert_domain, certs.core_http_cert_expiry) } };
    },
    // The contract itself stands in for Defguard's generated document: the same API, described more fully.
    getOpenApiDocumentV1: () => ({ status: 200, body: contract.document as Schemas['OpenApiDocument'] }),
    getOpenApiDocument: () => ({ status: 200, body: contract.document as Schemas['OpenApiDocument'] }),
    getSwaggerUi: () => ({ status: 200, body: SWAGGER_PAGE }),
    setupProxyTlsStream: ({ query }) => ({
      status: 200,
      body: eventStream([
        { step: 'CheckingConfiguration' },
        { step: 'CheckingAvailability', message: `Reaching ${query.ip_or_domain}:${query.grpc_port}` },
        { step: 'CheckingVersion', message: `Proxy version ${CORE_VERSION}` },
        { step: 'ObtainingCsr' },
        { step: 'SigningCertificate', message: `Certificate issued for ${query.common_name}` },
        { step: 'ConfiguringTls' },
        { step: 'Done' },
      ]),
      headers: { 'cache-control': 'no-cache' },
    }),
    streamProxyAcme: () => {
      const domain = hostOf(settings().public_proxy_url);
      return {
        status: 200,
        body: eventStream([{ step: 'Started' }, { step: 'Validating', message: `HTTP-01 challenge for ${domain}` }, { step: 'Issuing' }, { step: 'Installing' }, { step: 'Done' }]),
        headers: { 'cache-control': 'no-cache' },
      };
    },
  };
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname || null;
  } catch {
    return null;
  }
}

const certInfo = (domain: string | null, expiry: string | null): Schemas['CertInfoResult']['cert_info'] => {
  if (!domain || !expiry) return null;
  const notBefore = new Date();
  const validFor = Math.round((Date.parse(`${expiry}Z`) - notBefore.getTime()) / 86_400_000);
  return { common_name: domain, valid_for_days: validFor, not_before: notBefore.toISOString(), not_after: `${expiry}Z` };
};

/** The internal CA: fixed, invented details (the mock issues no certificates). */
function caInfo(): Schemas['CaInfo'] {
  const notBefore = new Date('2026-01-01T00:00:00Z');
  const notAfter = new Date('2036-01-01T00:00:00Z');
  return {
    ca_cert_pem: '-----BEGIN CERTIFICATE-----\nMIIBmock0Defguard0CA0not0a0real0certificate0AAAAAAAAAAAAAAAAAAAA=\n-----END CERTIFICATE-----\n',
    subject_common_name: 'Defguard CA',
    not_before: naive(notBefore),
    not_after: naive(notAfter),
    valid_for_days: Math.round((notAfter.getTime() - Date.now()) / 86_400_000),
    ca_expiry: naive(notAfter),
    subject_email: null,
  };
}

/** The last activity as log lines: what a tail of the core's log would show about it. */
function logText(state: DefguardState): string {
  const lines = [`${new Date().toISOString()} INFO defguard: Defguard core ${CORE_VERSION} serving the web API`];
  for (const e of state.activityLog.slice(-100)) lines.push(`${e.timestamp}Z INFO defguard_core: ${e.username}: ${e.event}${e.description ? ` (${e.description})` : ''}`);
  return `${lines.join('\n')}\n`;
}

const SWAGGER_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Defguard API</title>
<link rel="stylesheet" href="https://unpkg.com/swagger-ui-dist@5/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="https://unpkg.com/swagger-ui-dist@5/swagger-ui-bundle.js"></script>
<script>SwaggerUIBundle({ url: '/api-docs/openapi.json', dom_id: '#swagger-ui' });</script>
</body>
</html>
`;
