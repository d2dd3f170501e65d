import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildStatefulMockFor, statefulApis } from '../mocks/registry.ts';
import { RESPONSE_FAULT_KINDS } from '../mocks/kit/faults.ts';
import { selectApis } from '../src/core/contract/discover.ts';
import { loadContract } from '../src/core/contract/load.ts';
import type { Contract } from '../src/core/contract/model.ts';
import { queryPairs } from '../src/core/contract/params.ts';
import { tenantFromHost } from '../src/core/contract/tenant.ts';
import { projectPaths } from '../src/core/paths.ts';

const paths = projectPaths();
const load = async (api: string) => loadContract(selectApis(paths, [api])[0]!);

async function issue(app: FastifyInstance, payload: Record<string, unknown> = {}): Promise<{ token: string; id: number }> {
  const res = await app.inject({ method: 'POST', url: '/__control/credentials', payload: { class: 'valid', ...payload } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

const change = (app: FastifyInstance, id: number, what: string, payload: Record<string, unknown> = {}) =>
  app.inject({ method: 'POST', url: `/__control/credentials/${id}/${what}`, payload });

describe('control API: changing a credential already handed out', () => {
  let app: FastifyInstance;
  const tokenAuth = (token: string) => ({ authorization: `Token ${token}` });
  const alerts = (token: string, host?: string) => app.inject({ method: 'GET', url: '/v1/alerts/', headers: { ...tokenAuth(token), ...(host ? { host } : {}) } });
  beforeAll(async () => {
    app = await buildStatefulMockFor(await load('defender-cloud-apps'), { rateLimit: false });
  });
  beforeEach(async () => {
    await app.inject({ method: 'POST', url: '/__control/reset' });
    await app.inject({ method: 'POST', url: '/__control/rate-limit', payload: { enabled: false } });
  });
  afterAll(() => app.close());

  it('revoking a working token makes its next call 401, as the contract states for revoked tokens', async () => {
    const { token, id } = await issue(app);
    expect((await alerts(token)).statusCode).toBe(200);
    const revoked = await change(app, id, 'revoke');
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({ id, state: 'revoked' });
    expect((await alerts(token)).statusCode).toBe(401);
  });

  it("deprovisioning a token's owner gets every token of that owner the contract's 403, and leaves other owners alone", async () => {
    const first = await issue(app, { owner: 'jane' });
    const second = await issue(app, { owner: 'jane' });
    const other = await issue(app, { owner: 'sam' });
    expect((await change(app, first.id, 'deprovision')).json()).toMatchObject({ owner: 'jane', ownerState: 'disabled' });
    expect((await alerts(first.token)).statusCode).toBe(403);
    expect((await alerts(second.token)).statusCode).toBe(403);
    expect((await alerts(other.token)).statusCode).toBe(200);
  });

  it('demoting the owner to read-only keeps reads working and refuses writes with 403', async () => {
    const { token, id } = await issue(app, { owner: 'ops' });
    expect((await change(app, id, 'role', { role: 'read-only' })).json()).toMatchObject({ role: 'read-only' });
    expect((await alerts(token)).statusCode).toBe(200);
    const write = await app.inject({ method: 'POST', url: '/v1/alerts/close_benign/', headers: tokenAuth(token), payload: { filters: { id: { eq: ['x'] } } } });
    expect(write.statusCode).toBe(403);
  });

  it('lists credentials without their secrets', async () => {
    const { token } = await issue(app, { name: 'nightly export' });
    const res = await app.inject({ method: 'GET', url: '/__control/credentials' });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain(token);
    expect(res.json().credentials).toContainEqual(expect.objectContaining({ name: 'nightly export', state: 'active', tenant: 'mytenant' }));
  });

  it('answers bad changes with a clear 4xx and changes nothing', async () => {
    const { token, id } = await issue(app);
    const unknownId = await change(app, 9999, 'revoke');
    expect(unknownId.statusCode).toBe(404);
    expect(unknownId.json().error).toBe('no credential with id 9999');
    const unknownChange = await change(app, id, 'explode');
    expect(unknownChange.statusCode).toBe(404);
    expect(unknownChange.json().error).toContain('revoke, expire, deprovision or role');
    expect((await change(app, id, 'role', { role: 'owner' })).json().error).toBe('role must be one of: read-only, full-admin');
    expect((await change(app, id, 'deprovision', { how: 'archived' })).statusCode).toBe(400);
    expect((await alerts(token)).statusCode).toBe(200);
  });

  it('reads the tenant from the host name: a token works at its own tenant host and not at another', async () => {
    const { token } = await issue(app);
    expect((await alerts(token, 'mytenant.us2.portal.cloudappsecurity.com')).statusCode).toBe(200);
    const foreign = await alerts(token, 'contoso.eu2.portal.cloudappsecurity.com');
    expect([401, 403]).toContain(foreign.statusCode);
    const contoso = await issue(app, { tenant: 'contoso' });
    expect((await alerts(contoso.token, 'contoso.eu2.portal.cloudappsecurity.com')).statusCode).toBe(200);
    // Reached by address, the mock serves its default tenant.
    expect([401, 403]).toContain((await alerts(contoso.token)).statusCode);
  });

  it('counts the 30 requests per minute per tenant host: one tenant is limited, another is not', async () => {
    await app.inject({ method: 'POST', url: '/__control/rate-limit', payload: { enabled: true } });
    const mine = await issue(app);
    const theirs = await issue(app, { tenant: 'contoso' });
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await alerts(mine.token, 'mytenant.us2.portal.cloudappsecurity.com')).statusCode);
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    const limited = await alerts(mine.token, 'mytenant.us2.portal.cloudappsecurity.com');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await alerts(theirs.token, 'contoso.us2.portal.cloudappsecurity.com')).statusCode).toBe(200);
  });

  it('names every fault kind when given one it does not know', async () => {
    const res = await app.inject({ method: 'POST', url: '/__control/faults', payload: { kind: 'meltdown' } });
    expect(res.statusCode).toBe(400);
    for (const kind of ['latency', 'error', 'drop', ...RESPONSE_FAULT_KINDS]) expect(res.json().error).toContain(kind);
  });
});

describe('control API on an API without roles: expiry of an IoT sensor token', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildStatefulMockFor(await load('defender-iot-sensor'));
  });
  afterAll(() => app.close());

  it('an expired token gets the refusal the contract states, a fresh one still works', async () => {
    const { token, id } = await issue(app);
    const devices = (t: string) => app.inject({ method: 'GET', url: '/api/v1/devices', headers: { authorization: t } });
    expect((await devices(token)).statusCode).toBe(200);
    expect((await change(app, id, 'expire')).json().state).toBe('expired');
    expect((await devices(token)).statusCode).toBe(401);
    expect((await devices((await issue(app)).token)).statusCode).toBe(200);
  });
});

describe('tenantFromHost', () => {
  let contract: Contract;
  beforeAll(async () => {
    contract = await load('defender-cloud-apps');
  });

  it('reads the tenant label of a host that fits a server template, with or without a port', () => {
    expect(tenantFromHost(contract, 'contoso.us3.portal.cloudappsecurity.com')).toBe('contoso');
    expect(tenantFromHost(contract, 'Contoso.US3.portal.cloudappsecurity.com:443')).toBe('contoso');
  });

  it('gives nothing for hosts that do not fit, or for APIs without a tenant in the host', async () => {
    expect(tenantFromHost(contract, '127.0.0.1:4010')).toBeUndefined();
    expect(tenantFromHost(contract, 'portal.cloudappsecurity.com')).toBeUndefined();
    expect(tenantFromHost(contract, 'evil.example.org')).toBeUndefined();
    expect(tenantFromHost(contract, undefined)).toBeUndefined();
    expect(tenantFromHost(await load('defguard'), 'contoso.us3.portal.cloudappsecurity.com')).toBeUndefined();
  });
});

describe('seed round trip on every stateful mock', () => {
  for (const api of statefulApis()) {
    it(`${api}: the state served as seed gives the same state back`, async () => {
      const contract = await load(api);
      const first = await buildStatefulMockFor(contract);
      const snapshot = (await first.inject({ method: 'GET', url: '/__control/state' })).json();
      const second = await buildStatefulMockFor(contract, { seed: snapshot });
      expect((await second.inject({ method: 'GET', url: '/__control/state' })).json()).toEqual(snapshot);
      await Promise.all([first.close(), second.close()]);
    });
  }
});

describe('server core: request forms the contracts declare', () => {
  let app: FastifyInstance;
  let token: string;
  const send = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) =>
    app.inject({ method, url, headers: { authorization: token }, ...(payload === undefined ? {} : { payload: payload as object }) });
  beforeAll(async () => {
    app = await buildStatefulMockFor(await load('defender-iot-management'));
    token = (await issue(app)).token;
  });
  afterAll(() => app.close());

  it('reads a comma-separated list where the contract says explode: false, and rejects a bad item', async () => {
    const all = (await send('GET', '/external/v1/devices')).json() as Array<{ sensorId: number }>;
    const sensors = [...new Set(all.map((d) => d.sensorId))].slice(0, 2);
    const listed = await send('GET', `/external/v1/devices?sensorId=${sensors.join(',')}`);
    expect(listed.statusCode, listed.body).toBe(200);
    const body = listed.json() as Array<{ sensorId: number }>;
    expect(body.length).toBe(all.filter((d) => sensors.includes(d.sensorId)).length);
    expect((await send('GET', `/external/v1/devices?sensorId=${sensors[0]},x`)).statusCode).toBe(400);
  });

  it('takes an optional body as optional: a window closed by query parameter alone', async () => {
    const ticketId = 'CHG-query-close';
    const sensorId = ((await send('GET', '/external/v1/devices')).json() as Array<{ sensorId: number }>)[0]!.sensorId;
    expect((await send('POST', '/external/v1/maintenanceWindow', { ticketId, ttl: 20, sensorIds: [String(sensorId)] })).statusCode).toBe(201);
    expect((await send('DELETE', `/external/v1/maintenanceWindow?ticketId=${ticketId}`)).statusCode).toBe(200);
    expect((await send('DELETE', `/external/v1/maintenanceWindow?ticketId=${ticketId}`)).statusCode).toBe(404);
  });

  it('answers a missing required body with the declared 400, and a JSON null body is validated, not skipped', async () => {
    const missing = await send('POST', '/external/v1/maintenanceWindow');
    expect(missing.statusCode).toBe(400);
    const nullBody = await app.inject({ method: 'POST', url: '/external/v1/maintenanceWindow', headers: { authorization: token, 'content-type': 'application/json' }, payload: 'null' });
    expect(nullBody.statusCode).toBe(400);
  });
});

describe('server core: requests routed by the contract and read as its schemas say', () => {
  let app: FastifyInstance;
  let auth: Record<string, string>;
  beforeAll(async () => {
    app = await buildStatefulMockFor(await load('defguard'));
    auth = { authorization: `Bearer ${(await issue(app)).token}` };
  });
  afterAll(() => app.close());
  const locationBody = { name: 'Typed', address: '10.40.0.1/24', endpoint: 'typed.example.org', port: 51840, allowed_ips: '', dns: null, mtu: 1420, fwmark: 0, allow_all_groups: true, allowed_groups: [], keepalive_interval: 25, peer_disconnect_threshold: 300, acl_enabled: false, acl_default_allow: false, location_mfa_mode: 'disabled', service_location_mode: 'disabled' };

  it('reads path and query text as the schema types them, and refuses text that does not fit', async () => {
    const found = await app.inject({ method: 'GET', url: '/api/v1/network/1', headers: auth });
    expect(found.statusCode, found.body).toBe(200);
    expect(found.json().id).toBe(1);
    // `network_id` is an integer: the contract's 400 for a path that does not parse (plain text), not a handler's 404.
    const notANumber = await app.inject({ method: 'GET', url: '/api/v1/network/abc', headers: auth });
    expect(notANumber.statusCode).toBe(400);
    expect(notANumber.headers['content-type']).toMatch(/^text\/plain/);
    const paged = await app.inject({ method: 'GET', url: '/api/v1/user?per_page=2&page=2', headers: auth });
    expect(paged.json().pagination).toMatchObject({ current_page: 2, page_size: 2 });
    expect((await app.inject({ method: 'GET', url: '/api/v1/user?per_page=many', headers: auth })).statusCode).toBe(400);
  });

  it('takes a JSON body as sent: a number written as text is refused, the same number is taken', async () => {
    const asText = await app.inject({ method: 'POST', url: '/api/v1/network', headers: auth, payload: { ...locationBody, port: '51840' } });
    expect([400, 422]).toContain(asText.statusCode);
    const asNumber = await app.inject({ method: 'POST', url: '/api/v1/network', headers: auth, payload: locationBody });
    expect(asNumber.statusCode, asNumber.body).toBe(201);
    expect(asNumber.json()).toMatchObject({ name: 'Typed', port: 51840 });
  });

  it('answers HEAD like GET without a body, and a path the contract does not have with 404', async () => {
    const head = await app.inject({ method: 'HEAD', url: '/api/v1/network/1', headers: auth });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
    expect((await app.inject({ method: 'GET', url: '/api/v1/no-such-route', headers: auth })).statusCode).toBe(404);
    expect((await app.inject({ method: 'PATCH', url: '/api/v1/network/1', headers: auth })).statusCode).toBe(404);
  });
});

describe('response faults: a finished answer rewritten to break the contract', () => {
  let app: FastifyInstance;
  let auth: Record<string, string>;
  beforeEach(async () => {
    await app?.close();
    app = await buildStatefulMockFor(await load('defguard'));
    auth = { authorization: `Bearer ${(await issue(app)).token}` };
  });
  afterAll(() => app.close());
  const fault = (kind: string, times?: number) => app.inject({ method: 'POST', url: '/__control/faults', payload: { operationId: 'countNetworks', kind, times } });
  const count = (headers: Record<string, string> = auth) => app.inject({ method: 'GET', url: '/api/v1/network/count', headers });

  it('retypes a field, for the operation named only, until removed', async () => {
    expect((await fault('wrong-field-type')).statusCode).toBe(200);
    expect((await count()).json()).toEqual({ count: '2-as-text' });
    expect((await count()).json()).toEqual({ count: '2-as-text' });
    expect((await app.inject({ method: 'GET', url: '/api/v1/network/1', headers: auth })).json().id).toBe(1);
    await app.inject({ method: 'DELETE', url: '/__control/faults' });
    expect((await count()).json()).toEqual({ count: 2 });
  });

  it('lets a request without a credential through when told to ignore auth, once', async () => {
    expect((await count({})).statusCode).toBe(401);
    await fault('ignores-auth', 1);
    const leaked = await count({});
    expect(leaked.statusCode).toBe(200);
    expect(leaked.json()).toEqual({ count: 2 });
    expect((await count({})).statusCode).toBe(401);
  });
});

describe('queryPairs: the runner writes list parameters as the contract declares', () => {
  const param = (explode: boolean) => ({ name: 'sensorId', in: 'query' as const, required: false, explode, examples: [], schema: { type: 'array' }, pointer: '' });
  it('repeats an exploded list, joins an unexploded one with commas, and leaves scalars alone', () => {
    expect(queryPairs(param(true), [1, 5])).toEqual([['sensorId', '1'], ['sensorId', '5']]);
    expect(queryPairs(param(false), [1, 5])).toEqual([['sensorId', '1,5']]);
    expect(queryPairs(param(false), 'x')).toEqual([['sensorId', 'x']]);
  });
});

describe('control API deprovisioning on Defguard: the user record follows the directory', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildStatefulMockFor(await load('defguard'));
  });
  afterAll(() => app.close());

  it("an admin's token stops working, the user shows as disabled, and their devices lose their addresses", async () => {
    const { token, id } = await issue(app, { owner: 'admin' });
    const me = () => app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    expect((await me()).statusCode).toBe(200);
    const before = (await app.inject({ method: 'GET', url: '/__control/state' })).json();
    const adminId = before.users.find((u: { username: string }) => u.username === 'admin').id;
    const addressed = (state: { devices: Array<{ user_id: number; device_type: string; addresses: unknown[] }> }) =>
      state.devices.filter((d) => d.user_id === adminId && d.device_type === 'user' && d.addresses.length > 0).length;
    expect(addressed(before)).toBeGreaterThan(0);
    expect((await change(app, id, 'deprovision')).statusCode).toBe(200);
    const refused = await me();
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toEqual({ msg: 'Invalid API token' });
    const after = (await app.inject({ method: 'GET', url: '/__control/state' })).json();
    expect(after.users.find((u: { username: string }) => u.username === 'admin').is_active).toBe(false);
    expect(addressed(after)).toBe(0);
  });
});

describe('browsers: CORS on the API, none on the control API', () => {
  let app: FastifyInstance;
  const origin = 'http://localhost:5173';
  beforeAll(async () => {
    app = await buildStatefulMockFor(await load('defguard'));
  });
  afterAll(() => app.close());

  it('answers a preflight from a frontend dev server, allowing its method, headers and cookies', async () => {
    const res = await app.inject({
      method: 'OPTIONS',
      url: '/api/v1/user',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(origin);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(String(res.headers['access-control-allow-methods'])).toContain('POST');
    expect(String(res.headers['access-control-allow-headers']).toLowerCase()).toContain('authorization');
  });

  it('puts CORS headers on refusals too, so the page can read its 401', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/user', headers: { origin } });
    expect(res.statusCode).toBe(401);
    expect(res.headers['access-control-allow-origin']).toBe(origin);
    expect(String(res.headers['access-control-expose-headers'])).toContain('www-authenticate');
  });

  it('the control API refuses any request a browser sends, and gives browsers no CORS headers', async () => {
    const res = await app.inject({ method: 'POST', url: '/__control/reset', headers: { origin: 'https://evil.example' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toBe('the control API does not answer browsers');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await app.inject({ method: 'OPTIONS', url: '/__control/credentials', headers: { origin, 'access-control-request-method': 'POST' } });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('sends no CORS headers when switched off', async () => {
    const plain = await buildStatefulMockFor(await load('defguard'), { cors: false });
    const res = await plain.inject({ method: 'GET', url: '/api/v1/user', headers: { origin } });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    await plain.close();
  });
});
