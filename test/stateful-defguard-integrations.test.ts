import type { FastifyInstance } from 'fastify';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildStatefulMockFor } from '../mocks/registry.ts';
import { selectApis } from '../src/core/contract/discover.ts';
import { loadContract } from '../src/core/contract/load.ts';
import type { Contract } from '../src/core/contract/model.ts';
import { projectPaths } from '../src/core/paths.ts';
import { validators } from '../src/core/validate/cache.ts';

const rule = (overrides: Record<string, unknown> = {}) => ({
  name: 'Admins to DNS',
  all_locations: true,
  locations: [],
  expires: null,
  enabled: true,
  allow_all_users: false,
  deny_all_users: false,
  allow_all_groups: false,
  deny_all_groups: false,
  allow_all_network_devices: false,
  deny_all_network_devices: false,
  allowed_users: [],
  denied_users: [],
  allowed_groups: [1],
  denied_groups: [],
  allowed_network_devices: [],
  denied_network_devices: [],
  use_manual_destination_settings: true,
  addresses: '10.10.0.53,10.10.1.0/24 , 10.10.2.1-10.10.2.9',
  ports: '53',
  protocols: [6, 17],
  any_address: false,
  any_port: false,
  any_protocol: false,
  aliases: [],
  destinations: [],
  ...overrides,
});

const webhook = (overrides: Record<string, unknown> = {}) => ({
  url: 'https://chat.example.org/hooks/defguard',
  description: 'Announce new users',
  token: 'chat-4e2b91',
  enabled: true,
  on_user_created: true,
  on_user_deleted: false,
  on_user_modified: false,
  on_hwkey_provision: false,
  ...overrides,
});

describe('Defguard stateful mock: OpenID clients, webhooks, ACLs, activity-log streams and the OpenID provider', () => {
  let contract: Contract;
  let app: FastifyInstance;
  let token: string;

  beforeAll(async () => {
    contract = await loadContract(selectApis(projectPaths(), ['defguard'])[0]!);
  });
  beforeEach(async () => {
    app = await buildStatefulMockFor(contract, { rateLimit: false });
    token = (await app.inject({ method: 'POST', url: '/__control/credentials', payload: { class: 'valid' } })).json().token;
  });
  afterEach(() => app.close());

  const call = async (method: string, url: string, payload?: unknown) => {
    const res = await app.inject({ method: method as never, url, headers: { authorization: `Bearer ${token}` }, payload: payload as never });
    return { status: res.statusCode, body: res.body, json: () => res.json() };
  };
  /** The answer has the status and validates against the schema the contract declares for it. */
  const ok = async (operationId: string, method: string, url: string, status: number, payload?: unknown) => {
    const res = await call(method, url, payload);
    expect(res.status, `${operationId}: ${res.body}`).toBe(status);
    const op = contract.operations.find((o) => o.id === operationId)!;
    const media = op.responses.find((r) => r.status === String(status))?.content.find((c) => c.mediaType === 'application/json');
    expect(media, `${operationId} declares ${status}`).toBeDefined();
    const body = res.json();
    expect(validators.validate(contract, media!.schemaPointer!, body), `${operationId} ${status}`).toEqual([]);
    return body;
  };

  it('OpenID clients: create, list, read, update, enable/disable, delete, then 404', async () => {
    const created = await ok('addOpenidClient', 'POST', '/api/v1/oauth', 201, { name: 'Wiki', redirect_uri: ['https://wiki.example.org/callback'], scope: ['openid', 'email'], enabled: true });
    expect(created.client_id).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(created.client_secret).toMatch(/^[A-Za-z0-9]{32}$/);
    const url = `/api/v1/oauth/${created.client_id}`;
    const list = await ok('listOpenidClients', 'GET', '/api/v1/oauth', 200);
    expect(list.data.map((c: { name: string }) => c.name)).toEqual(['Grafana', 'Wiki']);
    expect(await ok('getOpenidClient', 'GET', url, 200)).toEqual(created);

    await ok('changeOpenidClient', 'PUT', url, 200, { name: 'Team wiki', redirect_uri: ['https://wiki.example.org/oidc'], scope: ['openid'], enabled: true });
    expect(await ok('getOpenidClient', 'GET', url, 200)).toEqual({ ...created, name: 'Team wiki', redirect_uri: ['https://wiki.example.org/oidc'], scope: ['openid'] });
    await ok('changeOpenidClientState', 'POST', url, 200, { enabled: false });
    expect((await ok('getOpenidClient', 'GET', url, 200)).enabled).toBe(false);

    await ok('deleteOpenidClient', 'DELETE', url, 200);
    expect(await ok('getOpenidClient', 'GET', url, 404)).toEqual({});
    expect((await call('DELETE', url)).status).toBe(404);
    expect((await ok('listOpenidClients', 'GET', '/api/v1/oauth', 200)).data).toHaveLength(1);
  });

  // A body the contract does not accept gets the contract's first declared rejection (400), before any handler runs.
  it('OpenID clients: a body without the enabled flag is refused and nothing is created or changed', async () => {
    expect((await call('POST', '/api/v1/oauth', { name: 'Wiki', redirect_uri: [], scope: [] })).status).toBe(400);
    expect((await call('POST', '/api/v1/oauth/Kx7fQ2mZp9LwR4tB', { enabled: 'no' })).status).toBe(400);
    expect((await ok('getOpenidClient', 'GET', '/api/v1/oauth/Kx7fQ2mZp9LwR4tB', 200)).enabled).toBe(true);
    expect((await ok('listOpenidClients', 'GET', '/api/v1/oauth', 200)).data).toHaveLength(1);
  });

  it('webhooks: create (found in the list), read, update, enable/disable, delete, then 404', async () => {
    await ok('addWebhook', 'POST', '/api/v1/webhook', 201, webhook());
    const list = await ok('listWebhooks', 'GET', '/api/v1/webhook', 200);
    expect(list.map((w: { description: string }) => w.description)).toEqual(['HR system account sync', 'Announce new users']);
    const { id } = list[1];
    const url = `/api/v1/webhook/${id}`;
    expect(await ok('getWebhook', 'GET', url, 200)).toEqual({ id, ...webhook() });

    await ok('changeWebhook', 'PUT', url, 200, webhook({ url: 'https://chat.example.org/hooks/v2', on_user_deleted: true }));
    expect(await ok('getWebhook', 'GET', url, 200)).toMatchObject({ id, url: 'https://chat.example.org/hooks/v2', on_user_deleted: true });
    await ok('changeWebhookEnabled', 'POST', url, 200, { enabled: false });
    expect((await ok('getWebhook', 'GET', url, 200)).enabled).toBe(false);

    await ok('deleteWebhook', 'DELETE', url, 200);
    expect((await call('GET', url)).status).toBe(404);
    expect((await call('PUT', url, webhook())).status).toBe(404);
    expect(await ok('listWebhooks', 'GET', '/api/v1/webhook', 200)).toHaveLength(1);
  });

  it('webhooks: a body missing the token is refused; a non-numeric id gets the framework 400', async () => {
    const { token: _token, ...noToken } = webhook();
    expect((await call('POST', '/api/v1/webhook', noToken)).status).toBe(400);
    expect(await ok('listWebhooks', 'GET', '/api/v1/webhook', 200)).toHaveLength(1);
    expect((await call('GET', '/api/v1/webhook/abc')).status).toBe(400);
  });

  it('ACL rules: create (New), list, read, update, delete, then 404', async () => {
    const created = await ok('createAclRule', 'POST', '/api/v1/acl/rule', 201, rule());
    expect(created).toMatchObject({ parent_id: null, state: 'New', modified_by: 'runner', addresses: '10.10.0.53, 10.10.1.0/24, 10.10.2.1-10.10.2.9' });
    const url = `/api/v1/acl/rule/${created.id}`;
    const list = await ok('listAclRules', 'GET', '/api/v1/acl/rule', 200);
    expect(list.data.map((r: { id: number }) => r.id)).toEqual([1, created.id]);
    expect(await ok('getAclRule', 'GET', url, 200)).toEqual(created);

    const updated = await ok('updateAclRule', 'PUT', url, 200, rule({ name: 'Admins to DNS and NTP', ports: '53, 123', aliases: [1] }));
    expect(updated).toMatchObject({ id: created.id, name: 'Admins to DNS and NTP', ports: '53, 123', state: 'New' });
    expect(await ok('getAclRule', 'GET', url, 200)).toEqual(updated);
    // The alias now lists the rule among its users.
    expect((await ok('getAclAlias', 'GET', '/api/v1/acl/alias/1', 200)).rules).toEqual([1, created.id]);

    await ok('deleteAclRule', 'DELETE', url, 200);
    expect(await ok('getAclRule', 'GET', url, 404)).toMatchObject({ msg: `Rule ${created.id} not found` });
    expect((await call('DELETE', url)).status).toBe(404);
  });

  it('ACL rules: editing an applied rule marks it Modified', async () => {
    const updated = await ok('updateAclRule', 'PUT', '/api/v1/acl/rule/1', 200, rule({ allowed_groups: [2], destinations: [2] }));
    expect(updated).toMatchObject({ id: 1, state: 'Modified', destinations: [2] });
  });

  it('ACL rules: no allowed source is a 400; unreadable addresses and unknown aliases are 422', async () => {
    expect(await ok('createAclRule', 'POST', '/api/v1/acl/rule', 400, rule({ allowed_groups: [] }))).toEqual({ msg: 'Must provide some allowed users, groups or devices' });
    expect((await ok('createAclRule', 'POST', '/api/v1/acl/rule', 422, rule({ addresses: '10.0.0.300' }))).msg).toBe('Unprocessable entity');
    expect((await ok('createAclRule', 'POST', '/api/v1/acl/rule', 422, rule({ addresses: '10.0.0.9-10.0.0.1' }))).msg).toMatch(/^Invalid IP range/);
    expect((await ok('createAclRule', 'POST', '/api/v1/acl/rule', 422, rule({ ports: '70000' }))).msg).toBe('Unprocessable entity');
    await ok('createAclRule', 'POST', '/api/v1/acl/rule', 422, rule({ aliases: [424242] }));
    expect((await ok('listAclRules', 'GET', '/api/v1/acl/rule', 200)).data).toHaveLength(1);
  });

  it('ACL aliases: create, list, read, update, delete, then 404; one in use cannot be deleted', async () => {
    const created = await ok('createAclAlias', 'POST', '/api/v1/acl/alias', 201, { name: 'NTP', addresses: '10.10.0.123', ports: '123', protocols: [17] });
    expect(created).toMatchObject({ kind: 'Component', state: 'Applied', rules: [], parent_id: null });
    // Aliases and destinations share ids: the seeded destination is 2.
    expect(created.id).toBe(3);
    const url = `/api/v1/acl/alias/${created.id}`;
    expect((await ok('listAclAliases', 'GET', '/api/v1/acl/alias', 200)).map((a: { name: string }) => a.name)).toEqual(['DNS servers', 'NTP']);
    expect(await ok('getAclAlias', 'GET', url, 200)).toEqual(created);
    const updated = await ok('updateAclAlias', 'PUT', url, 200, { name: 'NTP servers', addresses: '10.10.0.123,10.10.0.124', ports: '123', protocols: [17] });
    expect(updated).toMatchObject({ name: 'NTP servers', addresses: '10.10.0.123, 10.10.0.124', state: 'Modified' });
    expect(await ok('getAclAlias', 'GET', url, 200)).toEqual(updated);
    await ok('deleteAclAlias', 'DELETE', url, 200);
    expect(await ok('getAclAlias', 'GET', url, 404)).toEqual({ msg: `Alias ${created.id} not found` });

    expect(await ok('deleteAclAlias', 'DELETE', '/api/v1/acl/alias/1', 400)).toEqual({ msg: 'Alias 1 is used by some existing ACL rules' });
    expect((await call('POST', '/api/v1/acl/alias', { name: 'Bad', addresses: 'not-an-address', ports: '', protocols: [] })).status).toBe(422);
    // A destination is not an alias.
    expect((await call('GET', '/api/v1/acl/alias/2')).status).toBe(404);
  });

  it('ACL destinations: create, list, read, update, delete, then 404; one in use cannot be deleted', async () => {
    const body = { name: 'Monitoring', addresses: '10.10.5.0/24', ports: '9090-9100', protocols: [6], any_address: false, any_port: false, any_protocol: false };
    const created = await ok('createAclDestination', 'POST', '/api/v1/acl/destination', 201, body);
    expect(created).toMatchObject({ kind: 'Destination', state: 'Applied', rules: [] });
    const url = `/api/v1/acl/destination/${created.id}`;
    expect((await ok('listAclDestinations', 'GET', '/api/v1/acl/destination', 200)).map((d: { id: number }) => d.id)).toEqual([2, created.id]);
    expect(await ok('getAclDestination', 'GET', url, 200)).toEqual(created);
    const updated = await ok('updateAclDestination', 'PUT', url, 200, { ...body, any_port: true, ports: '' });
    expect(await ok('getAclDestination', 'GET', url, 200)).toEqual(updated);
    expect(updated).toMatchObject({ any_port: true, ports: '', state: 'Modified' });
    await ok('deleteAclDestination', 'DELETE', url, 200);
    expect(await ok('getAclDestination', 'GET', url, 404)).toEqual({ msg: `Destination ${created.id} not found` });

    expect((await ok('deleteAclDestination', 'DELETE', '/api/v1/acl/destination/2', 400)).msg).toBe('Destination 2 is used by some existing ACL rules');
    expect((await call('PUT', '/api/v1/acl/destination/2', { ...body, ports: '80-' })).status).toBe(422);
  });

  it('activity-log streams: create (found in the list), update keeps the type, delete, then 404', async () => {
    const body = { name: 'Logstash', stream_type: 'logstash_http', stream_config: { url: 'https://logstash.example.org:8080', username: null, password: null, cert: null } };
    await ok('createActivityLogStream', 'POST', '/api/v1/activity_log_stream', 201, body);
    const list = await ok('getActivityLogStream', 'GET', '/api/v1/activity_log_stream', 200);
    expect(list.map((s: { name: string }) => s.name)).toEqual(['SIEM (Vector)', 'Logstash']);
    const { id } = list[1];
    expect(list[1]).toEqual({ id, name: 'Logstash', stream_type: 'logstash_http', config: body.stream_config });
    const url = `/api/v1/activity_log_stream/${id}`;

    await ok('modifyActivityLogStream', 'PUT', url, 200, { ...body, name: 'Logstash (EU)', stream_type: 'vector_http', stream_config: { url: 'https://logstash-eu.example.org:8080' } });
    const after = (await ok('getActivityLogStream', 'GET', '/api/v1/activity_log_stream', 200)).find((s: { id: number }) => s.id === id);
    expect(after).toEqual({ id, name: 'Logstash (EU)', stream_type: 'logstash_http', config: { url: 'https://logstash-eu.example.org:8080' } });

    await ok('deleteActivityLogStream', 'DELETE', url, 200);
    expect(await ok('getActivityLogStream', 'GET', '/api/v1/activity_log_stream', 200)).toHaveLength(1);
    expect(await ok('deleteActivityLogStream', 'DELETE', url, 404)).toEqual({ msg: `Activity Log Stream of id ${id} not found.` });
    expect((await call('PUT', url, body)).status).toBe(404);
  });

  it('activity-log streams: a destination that is not a URL is a 400 and nothing is created', async () => {
    const bad = await ok('createActivityLogStream', 'POST', '/api/v1/activity_log_stream', 400, { name: 'Broken', stream_type: 'vector_http', stream_config: { url: 'vector:8686' } });
    expect(bad).toEqual({ msg: 'Invalid stream config' });
    expect(await ok('getActivityLogStream', 'GET', '/api/v1/activity_log_stream', 200)).toHaveLength(1);
  });

  const provider = (overrides: Record<string, unknown> = {}) => ({
    name: 'Google',
    base_url: 'https://accounts.google.com',
    kind: 'Google',
    client_id: '1234567890-abc.apps.googleusercontent.com',
    client_secret: 'GOCSPX-secret',
    display_name: 'Google Workspace',
    admin_email: 'admin@example.org',
    google_service_account_email: 'dirsync@example-project.iam.gserviceaccount.com',
    google_service_account_key: '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----',
    directory_sync_enabled: true,
    directory_sync_interval: 900,
    directory_sync_user_behavior: 'disable',
    directory_sync_admin_behavior: 'keep',
    directory_sync_target: 'users',
    okta_private_jwk: null,
    okta_dirsync_client_id: null,
    directory_sync_group_match: 'staff, contractors',
    jumpcloud_api_key: null,
    prefetch_users: false,
    create_account: false,
    username_handling: 'PruneEmailDomain',
    ...overrides,
  });

  it('the OpenID provider: adding one replaces the seeded one; read (keys blanked), update, delete, then 204', async () => {
    await ok('addOpenidProvider', 'POST', '/api/v1/openid/provider', 201, provider());
    const list = await ok('listOpenidProviders', 'GET', '/api/v1/openid/provider', 200);
    expect(list.map((p: { name: string }) => p.name)).toEqual(['Google']);
    expect(list[0]).toMatchObject({ directory_sync_group_match: ['staff', 'contractors'], directory_sync_target: 'users', google_service_account_key: provider().google_service_account_key });

    const read = await ok('getOpenidProvider', 'GET', '/api/v1/openid/provider/Google', 200);
    expect(read.provider).toMatchObject({ name: 'Google', kind: 'Google', google_service_account_key: null, okta_private_jwk: null });
    expect(read.settings).toEqual({ create_account: false, username_handling: 'PruneEmailDomain' });
    expect(await ok('getCurrentOpenidProvider', 'GET', '/api/v1/openid/provider/current', 200)).toEqual(read);

    // The body's name picks the provider; only the URL and client credentials change.
    await ok('modifyOpenidProvider', 'PUT', '/api/v1/openid/provider/Google', 200, provider({ client_secret: 'GOCSPX-rotated', display_name: 'Ignored' }));
    const after = (await ok('getOpenidProvider', 'GET', '/api/v1/openid/provider/Google', 200)).provider;
    expect(after).toMatchObject({ client_secret: 'GOCSPX-rotated', display_name: 'Google Workspace' });

    await ok('deleteOpenidProvider', 'DELETE', '/api/v1/openid/provider/Google', 200);
    expect((await call('GET', '/api/v1/openid/provider/Google')).status).toBe(204);
    expect(await ok('listOpenidProviders', 'GET', '/api/v1/openid/provider', 200)).toEqual([]);
    expect(await ok('deleteOpenidProvider', 'DELETE', '/api/v1/openid/provider/Google', 404)).toEqual({});
  });

  it('the OpenID provider: an unknown name in the body is a 404; a wrongly typed interval is refused', async () => {
    expect(await ok('modifyOpenidProvider', 'PUT', '/api/v1/openid/provider/Keycloak', 404, provider({ name: 'Okta' }))).toEqual({});
    expect((await call('POST', '/api/v1/openid/provider', provider({ directory_sync_interval: 'hourly' }))).status).toBe(400);
    expect((await ok('listOpenidProviders', 'GET', '/api/v1/openid/provider', 200)).map((p: { name: string }) => p.name)).toEqual(['Keycloak']);
  });

  it('the state carries the new collections, and a reset brings the seeded records back', async () => {
    await call('DELETE', '/api/v1/webhook/1');
    expect((await app.inject({ method: 'GET', url: '/__control/state' })).json().webhooks).toEqual([]);
    await app.inject({ method: 'POST', url: '/__control/reset' });
    const state = (await app.inject({ method: 'GET', url: '/__control/state' })).json();
    expect(Object.fromEntries(['oauthClients', 'webhooks', 'aclRules', 'aclAliases', 'aclDestinations', 'activityLogStreams', 'openidProviders'].map((k) => [k, state[k].length]))).toEqual({
      oauthClients: 1, webhooks: 1, aclRules: 1, aclAliases: 1, aclDestinations: 1, activityLogStreams: 1, openidProviders: 1,
    });
  });
});
