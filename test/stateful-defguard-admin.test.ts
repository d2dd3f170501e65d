import { createPublicKey, verify } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { buildStatefulMockFor } from '../mocks/registry.ts';
import { selectApis } from '../src/core/contract/discover.ts';
import { loadContract } from '../src/core/contract/load.ts';
import { projectPaths } from '../src/core/paths.ts';

const contract = await loadContract(selectApis(projectPaths(), ['defguard'])[0]!);
const UA = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0' };
const GRAFANA = { id: 'Kx7fQ2mZp9LwR4tB', secret: '9sVd2LqX7cNw4RtYp8ZkM3fHb6JgA1eU', redirect: 'https://grafana.example.org/login/generic_oauth' };

describe('Defguard stateful mock: settings, activity log, OpenID provider and server-wide routes', () => {
  let app: FastifyInstance;
  let admin: string;
  let alice: string;
  /** Events since this test's mock started (the seed brings earlier history). */
  let since: string;
  beforeEach(async () => {
    await app?.close();
    since = `from=${encodeURIComponent(new Date(Date.now() - 1000).toISOString())}`;
    app = await buildStatefulMockFor(contract, { rateLimit: false });
    admin = await login('admin', 'pass123');
    alice = await login('alice', 'Alice-passw0rd!');
  });
  afterAll(() => app.close());

  async function login(username: string, password: string): Promise<string> {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth', headers: UA, payload: { username, password } });
    return String(res.headers['set-cookie']).split(';')[0]!;
  }
  const as = (cookie: string) => ({ cookie, ...UA });
  const get = (url: string, cookie?: string) => app.inject({ method: 'GET', url, headers: cookie ? as(cookie) : UA });
  const send = (method: 'PUT' | 'PATCH' | 'POST', url: string, cookie: string, payload: unknown) => app.inject({ method, url, headers: as(cookie), payload: payload as object });

  describe('settings', () => {
    it('one record: a PATCH shows in GET /settings, the essentials and /info; PUT replaces it', async () => {
      const before = (await get('/api/v1/settings', admin)).json();
      expect(before.instance_name).toBe('Defguard');
      expect((await send('PATCH', '/api/v1/settings', admin, { instance_name: 'Acme VPN', webhooks_enabled: false })).statusCode).toBe(200);
      expect((await get('/api/v1/settings', admin)).json()).toMatchObject({ instance_name: 'Acme VPN', webhooks_enabled: false, smtp_server: 'smtp.example.org' });
      expect((await get('/api/v1/settings_essentials')).json()).toEqual({
        instance_name: 'Acme VPN',
        main_logo_url: before.main_logo_url,
        nav_logo_url: before.nav_logo_url,
        wireguard_enabled: true,
        webhooks_enabled: false,
        worker_enabled: true,
        openid_enabled: true,
      });
      expect((await get('/api/v1/info', admin)).json().smtp_enabled).toBe(true);
      // PUT replaces the record: the SMTP fields left out count as null, so mail is off.
      const { smtp_server: _a, smtp_port: _b, smtp_sender: _c, ...rest } = before;
      expect((await send('PUT', '/api/v1/settings', admin, { ...rest, instance_name: 'Put' })).statusCode).toBe(200);
      const after = (await get('/api/v1/settings', admin)).json();
      expect(after).toMatchObject({ smtp_server: null, smtp_port: null, instance_name: 'Put', webhooks_enabled: true });
      // Optional fields a PUT leaves out count as null, as in the server's `Json<Settings>`.
      const { license: _l, ...withoutLicense } = after;
      expect((await send('PUT', '/api/v1/settings', admin, { ...withoutLicense, license: 'x' })).statusCode).toBe(200);
      expect((await send('PUT', '/api/v1/settings', admin, withoutLicense)).statusCode).toBe(200);
      expect((await get('/api/v1/settings', admin)).json().license).toBeNull();
      expect((await get('/api/v1/info', admin)).json().smtp_enabled).toBe(false);
    });

    it('refuses combinations the server refuses, with its message, and keeps the record as it was', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ defguard_url: 'http://10.0.0.1:8000' }, 'Invalid defguard_url `http://10.0.0.1:8000`, url has to be a domain, not IP'],
        [{ gateway_disconnect_notifications_enabled: true, smtp_server: null }, 'Cannot enable gateway disconnect notifications. SMTP is not configured'],
        [{ ldap_enabled: true, ldap_url: 'not a url' }, 'Cannot enable LDAP. Required LDAP fields are not configured'],
        [{ ldap_remote_enrollment_enabled: true, smtp_sender: '' }, 'Cannot enable remote enrollment for LDAP. LDAP and SMTP must both be configured'],
        [{ ldap_remote_enrollment_send_invite: true }, 'Cannot enable automatic invites for LDAP remote enrollment. LDAP remote enrollment is not enabled'],
      ];
      for (const [patch, msg] of cases) {
        const res = await send('PATCH', '/api/v1/settings', admin, patch);
        expect(res.statusCode, JSON.stringify(patch)).toBe(400);
        expect(res.json()).toEqual({ msg });
      }
      expect((await get('/api/v1/settings', admin)).json()).toMatchObject({ defguard_url: 'https://vpn.example.org', ldap_enabled: false, smtp_server: 'smtp.example.org' });
      // A body of the wrong shape is the contract's bad request.
      expect((await send('PATCH', '/api/v1/settings', admin, { smtp_port: 'twenty-five' })).statusCode).toBe(400);
    });

    it('restoring the default branding resets name and logos and answers the settings; the id is ignored', async () => {
      await send('PATCH', '/api/v1/settings', admin, { instance_name: 'Acme', main_logo_url: 'https://acme.example/logo.svg', nav_logo_url: '' });
      const res = await send('PUT', '/api/v1/settings/987', admin, undefined);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ instance_name: 'Defguard', main_logo_url: '/svg/logo-defguard-white.svg', nav_logo_url: '/svg/defguard-nav-logo.svg' });
      expect((await get('/api/v1/settings_essentials')).json().instance_name).toBe('Defguard');
    });

    it('the OpenID login switches are one value for the settings and the provider form', async () => {
      await send('PATCH', '/api/v1/settings', admin, { openid_create_account: false, openid_username_handling: 'PruneEmailDomain' });
      const provider = await get('/api/v1/openid/provider/Keycloak', admin);
      expect(provider.json().settings).toEqual({ create_account: false, username_handling: 'PruneEmailDomain' });
      expect((await get('/api/v1/settings', admin)).json()).toMatchObject({ openid_create_account: false, openid_username_handling: 'PruneEmailDomain' });
    });

    it('admin only, except the public essentials; enterprise settings are read by any user and changed by admins', async () => {
      expect((await get('/api/v1/settings', alice)).statusCode).toBe(403);
      expect((await send('PATCH', '/api/v1/settings', alice, { instance_name: 'x' })).statusCode).toBe(403);
      expect((await get('/api/v1/settings')).statusCode).toBe(401);
      expect((await get('/api/v1/settings_essentials')).statusCode).toBe(200);
      expect((await get('/api/v1/settings_enterprise', alice)).json()).toEqual({ admin_device_management: false, client_traffic_policy: 'none', only_client_activation: false });
      expect((await send('PATCH', '/api/v1/settings_enterprise', alice, { admin_device_management: true })).statusCode).toBe(403);
      expect((await send('PATCH', '/api/v1/settings_enterprise', admin, { client_traffic_policy: 'force_all_traffic' })).statusCode).toBe(200);
      expect((await get('/api/v1/settings_enterprise', alice)).json().client_traffic_policy).toBe('force_all_traffic');
      expect((await send('PATCH', '/api/v1/settings_enterprise', admin, { client_traffic_policy: 'sometimes' })).statusCode).toBe(400);
    });

    it('the enterprise device-management switches restrict ordinary users, not admins', async () => {
      const pubkey = 'hrzeJsXWt6ZMh0sxd3w7U1VFS1/6j0gEyX1G2JbxWnI=';
      await send('PATCH', '/api/v1/settings_enterprise', admin, { only_client_activation: true });
      const manual = await send('POST', '/api/v1/device/alice', alice, { name: 'laptop', wireguard_pubkey: pubkey });
      expect([manual.statusCode, manual.json()]).toEqual([403, { msg: 'Manual device management is disabled' }]);
      await send('PATCH', '/api/v1/settings_enterprise', admin, { only_client_activation: false, admin_device_management: true });
      const adminOnly = await send('POST', '/api/v1/device/alice', alice, { name: 'laptop', wireguard_pubkey: pubkey });
      expect([adminOnly.statusCode, adminOnly.json()]).toEqual([403, { msg: 'Only admin users can manage devices' }]);
      const byAdmin = await send('POST', '/api/v1/device/alice', admin, { name: 'laptop', wireguard_pubkey: pubkey });
      expect(byAdmin.statusCode).toBe(201);
      const id = byAdmin.json().device.id;
      expect((await app.inject({ method: 'DELETE', url: `/api/v1/device/${id}`, headers: as(alice) })).statusCode).toBe(403);
      await send('PATCH', '/api/v1/settings_enterprise', admin, { admin_device_management: false });
      expect((await app.inject({ method: 'DELETE', url: `/api/v1/device/${id}`, headers: as(alice) })).statusCode).toBe(200);
    });

    it('LDAP test answers from the settings: 200 {} while LDAP is filled in, 400 {} once a required field is cleared', async () => {
      const ok = await get('/api/v1/ldap/test', admin);
      expect([ok.statusCode, ok.json()]).toEqual([200, {}]);
      expect((await get('/api/v1/info', admin)).json().ldap_info).toEqual({ enabled: false, ad: false });
      expect((await send('PATCH', '/api/v1/settings', admin, { ldap_enabled: true, ldap_uses_ad: true, ldap_sync_status: 'InSync' })).statusCode).toBe(200);
      expect((await get('/api/v1/info', admin)).json().ldap_info).toEqual({ enabled: true, ad: true });
      // Switching LDAP off marks it out of sync, as the server does.
      await send('PATCH', '/api/v1/settings', admin, { ldap_enabled: false });
      expect((await get('/api/v1/settings', admin)).json().ldap_sync_status).toBe('OutOfSync');
      await send('PATCH', '/api/v1/settings', admin, { ldap_group_search_base: '' });
      const failed = await get('/api/v1/ldap/test', admin);
      expect([failed.statusCode, failed.json()]).toEqual([400, {}]);
      expect((await get('/api/v1/ldap/test', alice)).statusCode).toBe(403);
    });
  });

  describe('mail and support data', () => {
    it('mail is recorded under /__control/mail, not sent; without SMTP the test mail fails (500)', async () => {
      expect((await send('POST', '/api/v1/mail/test', admin, { to: 'ops@example.org' })).statusCode).toBe(200);
      expect((await send('POST', '/api/v1/mail/support', admin, undefined)).statusCode).toBe(200);
      const mail = (await app.inject({ method: 'GET', url: '/__control/mail' })).json().mail;
      expect(mail.map((m: { to: string; operationId: string }) => [m.to, m.operationId])).toEqual([
        ['ops@example.org', 'testMail'],
        ['support@defguard.net', 'sendSupportData'],
      ]);
      expect((await send('POST', '/api/v1/mail/test', alice, { to: 'x@example.org' })).statusCode).toBe(403);
      expect((await send('POST', '/api/v1/mail/test', admin, {})).statusCode).toBe(400);
      await send('PATCH', '/api/v1/settings', admin, { smtp_server: null });
      expect((await send('POST', '/api/v1/mail/test', admin, { to: 'ops@example.org' })).statusCode).toBe(500);
      expect((await app.inject({ method: 'GET', url: '/__control/mail' })).json().mail).toHaveLength(2);
      await app.inject({ method: 'POST', url: '/__control/reset' });
      expect((await app.inject({ method: 'GET', url: '/__control/mail' })).json().mail).toEqual([]);
    });

    it('the support dump has the settings without secrets, and the logs are text', async () => {
      const dump = (await get('/api/v1/support/configuration', admin)).json();
      expect(dump.settings.instance_name).toBe('Defguard');
      expect(dump.settings).not.toHaveProperty('secret_key');
      expect(dump.counts.user).toBeGreaterThan(0);
      const logs = await get('/api/v1/support/logs', admin);
      expect(logs.headers['content-type']).toMatch(/^text\/plain/);
      expect(logs.body).toMatch(/user_login/);
    });
  });

  describe('activity log', () => {
    it('records logins and changes, newest first; filters, search, sort and pagination as the server does', async () => {
      await app.inject({ method: 'POST', url: '/api/v1/auth', headers: UA, payload: { username: 'bob', password: 'wrong' } });
      expect((await send('POST', '/api/v1/webhook', admin, { url: 'https://ci.example.org/hook', description: 'CI', token: 't', enabled: true, on_user_created: true, on_user_deleted: false, on_user_modified: false, on_hwkey_provision: false })).statusCode).toBe(201);
      await send('PATCH', '/api/v1/settings', admin, { instance_name: 'Acme' });
      const all = (await get(`/api/v1/activity_log?${since}`, admin)).json();
      expect(all.data.map((e: { event: string }) => e.event)).toEqual(['settings_updated_partial', 'web_hook_added', 'user_login_failed', 'user_login', 'user_login']);
      expect(all.data[1]).toMatchObject({ username: 'admin', module: 'defguard', description: 'Added webhook https://ci.example.org/hook', device: UA['user-agent'] });
      expect(all.pagination).toMatchObject({ current_page: 1, total_items: 5, total_pages: 1, next_page: null });

      const logins = (await get(`/api/v1/activity_log?${since}&event=user_login&event=user_login_failed&sort_by=username&sort_order=asc`, admin)).json();
      expect(logins.data.map((e: { username: string }) => e.username)).toEqual(['admin', 'alice', 'bob']);
      expect((await get(`/api/v1/activity_log?${since}&username=alice`, admin)).json().data).toHaveLength(1);
      expect((await get(`/api/v1/activity_log?${since}&search=CI.EXAMPLE`, admin)).json().data).toHaveLength(1);
      expect((await get(`/api/v1/activity_log?${since}&module=vpn`, admin)).json().data).toHaveLength(0);
      expect((await get(`/api/v1/activity_log?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`, admin)).json().data).toHaveLength(0);
      const paged = (await get(`/api/v1/activity_log?${since}&per_page=2&page=2`, admin)).json();
      expect(paged.data.map((e: { event: string }) => e.event)).toEqual(['user_login_failed', 'user_login']);
      expect(paged.pagination).toMatchObject({ current_page: 2, page_size: 2, total_items: 5, total_pages: 3, next_page: 3 });
    });

    it('an ordinary user sees only their own events, while the page counts cover everyone', async () => {
      const mine = (await get(`/api/v1/activity_log?${since}`, alice)).json();
      expect(mine.data.map((e: { username: string }) => e.username)).toEqual(['alice']);
      expect(mine.pagination.total_items).toBe(2);
      expect((await get('/api/v1/activity_log?sort_by=colour', admin)).statusCode).toBe(400);
      expect((await get('/api/v1/activity_log')).statusCode).toBe(401);
    });

    it('starts from the seeded history, VPN events included; NULL locations sort as Postgres sorts them', async () => {
      const vpn = (await get('/api/v1/activity_log?module=vpn', admin)).json().data;
      expect(vpn.map((e: { event: string }) => e.event)).toEqual(['vpn_client_disconnected', 'vpn_client_connected']);
      const byLocation = (await get('/api/v1/activity_log?sort_by=location&sort_order=asc', admin)).json().data;
      expect(byLocation[0].location).toBe('Headquarters');
      expect(byLocation.at(-1).location).toBeNull();
      expect((await get('/api/v1/activity_log?sort_by=location&sort_order=desc', admin)).json().data[0].location).toBeNull();
    });

    it('failed changes are not logged', async () => {
      expect((await send('PATCH', '/api/v1/settings', admin, { defguard_url: 'http://10.0.0.1' })).statusCode).toBe(400);
      const events = (await get('/api/v1/activity_log', admin)).json().data.map((e: { event: string }) => e.event);
      expect(events).not.toContain('settings_updated_partial');
    });
  });

  describe('Defguard as an OpenID provider', () => {
    async function consent(cookie: string, scope = 'openid profile email', nonce = 'n-1') {
      const q = new URLSearchParams({ response_type: 'code', client_id: GRAFANA.id, redirect_uri: GRAFANA.redirect, scope, state: 'xyz', nonce });
      const res = await app.inject({ method: 'POST', url: `/api/v1/oauth/authorize?${q}`, headers: { ...as(cookie), 'content-type': 'application/x-www-form-urlencoded' }, payload: 'allow=true' });
      expect(res.statusCode).toBe(302);
      return new URL(String(res.headers.location)).searchParams.get('code')!;
    }
    const token = (form: Record<string, string>, headers: Record<string, string> = {}) =>
      app.inject({ method: 'POST', url: '/api/v1/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, payload: new URLSearchParams(form).toString() });

    it('exchanges a consent code once for tokens whose ID token verifies against the JWKS; userinfo follows the scopes', async () => {
      const code = await consent(alice);
      const basic = `Basic ${Buffer.from(`${GRAFANA.id}:${GRAFANA.secret}`).toString('base64')}`;
      const res = await token({ grant_type: 'authorization_code', code, redirect_uri: GRAFANA.redirect }, { authorization: basic });
      expect(res.statusCode).toBe(200);
      const tokens = res.json();
      expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: 3600 });
      const [head, claims, sig] = tokens.id_token.split('.');
      const header = JSON.parse(Buffer.from(head, 'base64url').toString());
      const jwk = (await get('/api/v1/oauth/discovery/keys')).json().keys.find((k: { kid: string }) => k.kid === header.kid);
      expect(verify('sha256', Buffer.from(`${head}.${claims}`), createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(sig, 'base64url'))).toBe(true);
      expect(JSON.parse(Buffer.from(claims, 'base64url').toString())).toMatchObject({ iss: 'https://vpn.example.org', sub: 'alice', aud: GRAFANA.id, nonce: 'n-1', email: 'alice@example.org' });

      const info = await app.inject({ method: 'GET', url: '/api/v1/oauth/userinfo', headers: { authorization: `Bearer ${tokens.access_token}` } });
      expect(info.json()).toEqual({ sub: 'alice', given_name: 'Alice', family_name: 'Smith', name: 'Alice Smith', preferred_username: 'alice', email: 'alice@example.org' });
      // The code works once.
      const again = await token({ grant_type: 'authorization_code', code, client_id: GRAFANA.id, client_secret: GRAFANA.secret });
      expect([again.statusCode, again.json().error]).toEqual([400, 'invalid_grant']);
      // The user now lists the app among their authorised apps.
      expect((await get('/api/v1/me', alice)).json().authorized_apps).toEqual([{ oauth2client_id: 1, oauth2client_name: 'Grafana' }]);
    });

    it('refresh tokens rotate; client authentication and grants are checked', async () => {
      const code = await consent(alice, 'openid email');
      const first = (await token({ grant_type: 'authorization_code', code, client_id: GRAFANA.id, client_secret: GRAFANA.secret })).json();
      const refreshed = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: GRAFANA.id, client_secret: GRAFANA.secret });
      expect(refreshed.statusCode).toBe(200);
      expect((await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: GRAFANA.id, client_secret: GRAFANA.secret })).json().error).toBe('invalid_grant');
      const info = await app.inject({ method: 'GET', url: '/api/v1/oauth/userinfo', headers: { authorization: `Bearer ${refreshed.json().access_token}` } });
      expect(info.json()).toEqual({ sub: 'alice', email: 'alice@example.org' });

      const code2 = await consent(alice);
      expect((await token({ grant_type: 'authorization_code', code: code2, client_id: GRAFANA.id, client_secret: 'wrong' })).json().error).toBe('invalid_client');
      expect((await token({ grant_type: 'authorization_code', code: code2, client_id: GRAFANA.id, client_secret: GRAFANA.secret, redirect_uri: 'https://evil.example/cb' })).json().error).toBe('invalid_grant');
      const malformed = await token({ grant_type: 'authorization_code', code: code2 }, { authorization: 'Basic !!!' });
      expect([malformed.statusCode, malformed.json()]).toEqual([401, { msg: 'Invalid credentials' }]);
      expect((await app.inject({ method: 'GET', url: '/api/v1/oauth/userinfo', headers: { authorization: 'Bearer nope' } })).statusCode).toBe(401);
    });

    it('a disabled client gets unauthorized_client; the discovery document points at the routes', async () => {
      const code = await consent(alice);
      await send('POST', `/api/v1/oauth/${GRAFANA.id}`, admin, { enabled: false });
      expect((await token({ grant_type: 'authorization_code', code, client_id: GRAFANA.id, client_secret: GRAFANA.secret })).json().error).toBe('unauthorized_client');
      const discovery = (await get('/.well-known/openid-configuration')).json();
      expect(discovery).toMatchObject({ issuer: 'https://vpn.example.org', token_endpoint: 'https://vpn.example.org/api/v1/oauth/token', jwks_uri: 'https://vpn.example.org/api/v1/oauth/discovery/keys' });
    });
  });

  describe('server-wide routes', () => {
    it('health, info, updates, outdated components and the license', async () => {
      const health = await get('/api/v1/health');
      expect([health.statusCode, health.body]).toEqual([200, 'alive']);
      expect((await get('/api/v1/info', admin)).json()).toMatchObject({ version: '2.0.0', network_present: true, external_openid_enabled: expect.any(Boolean) });
      expect((await get('/api/v1/updates', admin)).json()).toBeNull();
      expect((await get('/api/v1/outdated', admin)).json()).toEqual({ gateways: [], proxy: null });
      expect((await get('/api/v1/outdated', alice)).statusCode).toBe(403);
      const check = await app.inject({ method: 'POST', url: '/api/v1/license/check', payload: { license: Buffer.from('a license').toString('base64') } });
      expect(check.json()).toMatchObject({ limits: null, counts: { user: expect.any(Number), location: expect.any(Number) } });
      expect((await app.inject({ method: 'POST', url: '/api/v1/license/check', payload: { license: 'not base64!' } })).statusCode).toBe(400);
      expect((await get('/api/v1/enterprise_info', admin)).json().license_info).toMatchObject({ tier: 'Enterprise', expired: false });
    });

    it('certificates follow the URL settings chosen', async () => {
      expect((await get('/api/v1/core/cert/certs', admin)).json()).toMatchObject({ core_http_cert_source: 'None', proxy_http_cert_source: 'None' });
      const ext = await send('POST', '/api/v1/proxy/cert/external_url_settings', admin, { ssl_type: 'lets_encrypt' });
      expect(ext.statusCode).toBe(201);
      expect(ext.json().cert_info).toMatchObject({ common_name: 'enroll.example.org' });
      expect((await send('POST', '/api/v1/core/cert/internal_url_settings', admin, { ssl_type: 'own_cert' })).statusCode).toBe(400);
      expect((await send('POST', '/api/v1/core/cert/internal_url_settings', admin, { ssl_type: 'defguard_ca' })).statusCode).toBe(201);
      expect((await get('/api/v1/core/cert/certs', admin)).json()).toMatchObject({ core_http_cert_source: 'SelfSigned', proxy_http_cert_source: 'LetsEncrypt', core_http_cert_domain: 'vpn.example.org' });
      expect((await get('/api/v1/core/cert/ca', admin)).json().subject_common_name).toBe('Defguard CA');
    });

    it('serves the contract as the API document, a Swagger page, and finite event streams', async () => {
      expect((await get('/api-docs/openapi.json')).json().info.title).toBe('Defguard REST API');
      expect((await get('/api/v1/api-docs')).json().openapi).toMatch(/^3\.1/);
      const ui = await get('/api-docs');
      expect(ui.headers['content-type']).toMatch(/^text\/html/);
      expect(ui.body).toContain('/api-docs/openapi.json');
      const stream = await get('/api/v1/proxy/setup/stream?ip_or_domain=edge.example.org&grpc_port=50051&common_name=edge.example.org', admin);
      expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
      const steps = stream.body.trim().split('\n\n').map((e) => JSON.parse(e.replace(/^data: /, '')).step);
      expect(steps.at(-1)).toBe('Done');
      expect((await get('/api/v1/proxy/acme/stream', admin)).body).toMatch(/"step":"Done"/);
      expect((await get('/api/v1/proxy/acme/stream', alice)).statusCode).toBe(403);
    });

    it('directory sync test answers from the configured provider', async () => {
      // The seeded provider is a Custom one, which has no directory API.
      expect((await get('/api/v1/test_directory_sync', admin)).json()).toEqual({ success: false, message: 'Directory sync is not enabled for the provider' });
      expect((await app.inject({ method: 'DELETE', url: '/api/v1/openid/provider/Keycloak', headers: as(admin) })).statusCode).toBe(200);
      expect((await get('/api/v1/test_directory_sync', admin)).json()).toEqual({ success: false, message: 'No OpenID provider is configured' });
      expect((await get('/api/v1/info', admin)).json().external_openid_enabled).toBe(false);
    });
  });
});
