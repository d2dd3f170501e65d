import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStatefulMockFor, hasStatefulMock } from '../mocks/registry.ts';
import { credentialsFromControlApi, startStatefulMocks } from '../src/cli/commands/stateful.ts';
import { testApi } from '../src/cli/commands/test.ts';
import { discoverApis, selectApis } from '../src/core/contract/discover.ts';
import { loadContract } from '../src/core/contract/load.ts';
import type { Contract } from '../src/core/contract/model.ts';
import { freePort } from '../src/core/net.ts';
import { projectPaths } from '../src/core/paths.ts';
import { validators } from '../src/core/validate/cache.ts';

const paths = projectPaths();
const load = async (api: string) => loadContract(selectApis(paths, [api])[0]!);

async function issue(app: FastifyInstance, cls: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/__control/credentials', payload: { class: cls, ...extra } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().token;
}

describe('Defguard stateful mock: users and the API token lifecycle', () => {
  let app: FastifyInstance;
  let contract: Contract;
  let admin: string;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  beforeAll(async () => {
    contract = await load('defguard');
    app = await buildStatefulMockFor(contract);
    admin = await issue(app, 'valid');
  });
  afterAll(() => app.close());

  it('creates a user, reads it back, updates it, deletes it, and then answers 404', async () => {
    const created = await app.inject({ method: 'POST', url: '/api/v1/user', headers: auth(admin), payload: { username: 'carol', first_name: 'Carol', last_name: 'King', email: 'carol@example.org' } });
    expect(created.statusCode).toBe(201);
    const op = contract.operations.find((o) => o.id === 'addUser')!;
    expect(validators.validate(contract, op.responses.find((r) => r.status === '201')!.content[0]!.schemaPointer!, created.json())).toEqual([]);
    const read = await app.inject({ method: 'GET', url: '/api/v1/user/carol', headers: auth(admin) });
    expect(read.json().user.email).toBe('carol@example.org');
    const updated = await app.inject({
      method: 'PUT',
      url: '/api/v1/user/carol',
      headers: auth(admin),
      payload: { ...read.json().user, email: 'carol.king@example.org' },
    });
    expect(updated.statusCode, updated.body).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/v1/user/carol', headers: auth(admin) })).json().user.email).toBe('carol.king@example.org');
    expect((await app.inject({ method: 'DELETE', url: '/api/v1/user/carol', headers: auth(admin) })).statusCode).toBe(200);
    const gone = await app.inject({ method: 'GET', url: '/api/v1/user/carol', headers: auth(admin) });
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toEqual({ msg: 'user carol not found' });
  });

  it('shows a new token once, lists it without the secret, renames it, and deletes it so it stops working', async () => {
    const created = await app.inject({ method: 'POST', url: '/api/v1/user/admin/api_token', headers: auth(admin), payload: { name: 'ci pipeline' } });
    expect(created.statusCode).toBe(201);
    const token: string = created.json().token;
    expect(token).toMatch(/^dg-[A-Za-z0-9]{32}$/);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: auth(token) })).json().username).toBe('admin');

    const list = await app.inject({ method: 'GET', url: '/api/v1/user/admin/api_token', headers: auth(admin) });
    expect(list.body).not.toContain(token);
    const entry = list.json().find((t: { name: string }) => t.name === 'ci pipeline');
    expect(Object.keys(entry).sort()).toEqual(['created_at', 'id', 'name']);

    const renamed = await app.inject({ method: 'POST', url: `/api/v1/user/admin/api_token/${entry.id}/rename`, headers: auth(admin), payload: { name: 'deploys' } });
    expect(renamed.statusCode, renamed.body).toBe(200);
    const after = await app.inject({ method: 'GET', url: '/api/v1/user/admin/api_token', headers: auth(admin) });
    expect(after.json().map((t: { name: string }) => t.name)).toContain('deploys');

    expect((await app.inject({ method: 'DELETE', url: `/api/v1/user/admin/api_token/${entry.id}`, headers: auth(admin) })).statusCode).toBe(200);
    const refused = await app.inject({ method: 'GET', url: '/api/v1/me', headers: auth(token) });
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toEqual({ msg: 'Invalid API token' });
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/user/admin/api_token/${entry.id}`, headers: auth(admin) })).json()).toEqual({ msg: 'Key not found' });
  });

  it("disabling a token's owner revokes it for good; demoting the owner makes it insufficient", async () => {
    const alice = (await app.inject({ method: 'GET', url: '/api/v1/user/alice', headers: auth(admin) })).json().user;
    // Promote alice, give her a token, then demote her: the token stays but is refused with 403.
    await app.inject({ method: 'PUT', url: '/api/v1/user/alice', headers: auth(admin), payload: { ...alice, groups: ['admin'] } });
    const token = (await app.inject({ method: 'POST', url: '/api/v1/user/alice/api_token', headers: auth(admin), payload: { name: 'alice' } })).json().token;
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: auth(token) })).statusCode).toBe(200);
    await app.inject({ method: 'PUT', url: '/api/v1/user/alice', headers: auth(admin), payload: { ...alice, groups: [] } });
    const demoted = await app.inject({ method: 'GET', url: '/api/v1/me', headers: auth(token) });
    expect(demoted.statusCode).toBe(403);
    expect(demoted.json()).toEqual({ msg: 'Token authentication is not allowed for normal users' });
    // Disabling deletes the tokens: re-enabling and re-promoting does not revive this one.
    await app.inject({ method: 'PUT', url: '/api/v1/user/alice', headers: auth(admin), payload: { ...alice, groups: ['admin'], is_active: false } });
    await app.inject({ method: 'PUT', url: '/api/v1/user/alice', headers: auth(admin), payload: { ...alice, groups: ['admin'], is_active: true } });
    const dead = await app.inject({ method: 'GET', url: '/api/v1/me', headers: auth(token) });
    expect(dead.statusCode).toBe(401);
    expect(dead.json()).toEqual({ msg: 'Invalid API token' });
  });

  it('group membership decides admin rights: leaving the admin group makes a token insufficient, rejoining restores it', async () => {
    const created = await app.inject({ method: 'POST', url: '/api/v1/group', headers: auth(admin), payload: { name: 'ops', members: ['bob'], is_admin: true } });
    expect(created.statusCode, created.body).toBe(201);
    const groups = (await app.inject({ method: 'GET', url: '/api/v1/group', headers: auth(admin) })).json();
    expect(groups.data).toContain('ops');
    const token = (await app.inject({ method: 'POST', url: '/api/v1/user/bob/api_token', headers: auth(admin), payload: { name: 'bob' } })).json().token;
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: auth(token) })).json().groups).toContain('ops');
    const opsId = 3;
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/group/${opsId}/user/bob`, headers: auth(admin) })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: auth(token) })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: `/api/v1/group/${opsId}`, headers: auth(admin), payload: { username: 'bob' } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: auth(token) })).statusCode).toBe(200);
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/group/${opsId}`, headers: auth(admin) })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: `/api/v1/group/${opsId}`, headers: auth(admin) })).statusCode).toBe(404);
  });

  it('answers every credential class as the contract states, with no WWW-Authenticate header', async () => {
    const cases: Array<[string, Record<string, string>, number, unknown]> = [
      ['missing', {}, 401, { msg: 'Session is required' }],
      ['wrong scheme', { authorization: `Token ${admin}` }, 401, { msg: 'Invalid auth header' }],
      ['unknown', auth('dg-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'), 401, { msg: 'Invalid API token' }],
      ['revoked', auth(await issue(app, 'revoked')), 401, { msg: 'Invalid API token' }],
      ['deprovisioned', auth(await issue(app, 'deprovisioned')), 401, { msg: 'Invalid API token' }],
      ['insufficient', auth(await issue(app, 'insufficient')), 403, { msg: 'Token authentication is not allowed for normal users' }],
    ];
    for (const [name, headers, status, body] of cases) {
      const res = await app.inject({ method: 'GET', url: '/api/v1/user', headers });
      expect(res.statusCode, name).toBe(status);
      expect(res.json(), name).toEqual(body);
      expect(res.headers['www-authenticate'], name).toBeUndefined();
    }
  });
});

describe('Cloud Apps stateful mock', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildStatefulMockFor(await load('defender-cloud-apps'));
  });
  afterAll(() => app.close());

  it('a read-only token may read but not write; the tenant must match; Bearer and bare keys are refused', async () => {
    const reader = await issue(app, 'insufficient');
    const admin = await issue(app, 'valid');
    const foreign = await issue(app, 'other-tenant');
    const read = await app.inject({ method: 'GET', url: '/v1/alerts/', headers: { authorization: `Token ${reader}` } });
    expect(read.statusCode).toBe(200);
    const close = { filters: { id: { eq: ['5f2ad0f7aa55b3ad0cf2ba77'] } }, comment: 'benign', reasonId: 2, sendFeedback: false };
    expect((await app.inject({ method: 'POST', url: '/v1/alerts/close_benign/', headers: { authorization: `Token ${reader}` }, payload: close })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/v1/alerts/close_benign/', headers: { authorization: `Token ${admin}` }, payload: close })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/v1/alerts/', headers: { authorization: `Token ${foreign}` } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/v1/alerts/', headers: { authorization: `Bearer ${admin}` } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/v1/alerts/', headers: { authorization: admin } })).statusCode).toBe(401);
  });

  it('searches alerts with the filter language, pages with skip/limit, and closes them for good', async () => {
    const admin = await issue(app, 'valid');
    const h = { authorization: `Token ${admin}` };
    const high = await app.inject({ method: 'POST', url: '/v1/alerts/', headers: h, payload: { filters: { severity: { eq: [2] } }, sortField: 'date', sortDirection: 'asc' } });
    expect(high.statusCode).toBe(200);
    const highAlerts = high.json().data as Array<{ _id: string; severityValue: number; timestamp: number }>;
    expect(highAlerts.length).toBeGreaterThan(0);
    expect(highAlerts.every((a) => a.severityValue === 2)).toBe(true);
    expect(highAlerts.map((a) => a.timestamp)).toEqual([...highAlerts.map((a) => a.timestamp)].sort((a, b) => a - b));

    const first = (await app.inject({ method: 'POST', url: '/v1/alerts/', headers: h, payload: { skip: 0, limit: 5 } })).json();
    expect(first.data).toHaveLength(5);
    expect(first.hasNext).toBe(true);
    const last = (await app.inject({ method: 'POST', url: '/v1/alerts/', headers: h, payload: { skip: 10, limit: 5 } })).json();
    expect(last.hasNext).toBe(false);
    expect(last.data).toHaveLength(first.total - 10);

    const target = highAlerts[0]!._id;
    const closed = await app.inject({ method: 'POST', url: '/v1/alerts/close_benign/', headers: h, payload: { filters: { id: { eq: [target, 'ffffffffffffffffffffffff'] } }, reasonId: 2 } });
    expect(closed.json()).toEqual({ closed_benign: 1, alertsNotFound: ['ffffffffffffffffffffffff'] });
    const open = (await app.inject({ method: 'POST', url: '/v1/alerts/', headers: h, payload: { filters: { alertOpen: { eq: true } } } })).json();
    expect(open.data.map((a: { _id: string }) => a._id)).not.toContain(target);
    expect((await app.inject({ method: 'GET', url: `/v1/alerts/${target}/`, headers: h })).json().resolutionStatusValue).toBe(4);
    expect((await app.inject({ method: 'GET', url: '/v1/alerts/000000000000000000000000/', headers: h })).statusCode).toBe(404);
  });

  it('limits each tenant to 30 requests a minute with 429 and Retry-After, and the limit can be switched off', async () => {
    const admin = await issue(app, 'valid');
    await app.inject({ method: 'POST', url: '/__control/reset' });
    const token = await issue(app, 'valid');
    let limited;
    for (let i = 0; i < 31; i++) limited = await app.inject({ method: 'GET', url: '/v1/alerts/', headers: { authorization: `Token ${token}` } });
    expect(limited!.statusCode).toBe(429);
    expect(Number(limited!.headers['retry-after'])).toBeGreaterThan(0);
    await app.inject({ method: 'POST', url: '/__control/rate-limit', payload: { enabled: false } });
    expect((await app.inject({ method: 'GET', url: '/v1/alerts/', headers: { authorization: `Token ${token}` } })).statusCode).toBe(200);
    expect(admin).not.toBe(token);
  });
});

describe('management console stateful mock', () => {
  it('remembers alert actions and the maintenance window lifecycle', async () => {
    const app = await buildStatefulMockFor(await load('defender-iot-management'));
    const h = { authorization: await issue(app, 'valid') };
    const act = (action: string) => app.inject({ method: 'PUT', url: '/external/v1/alerts/1-1594550943000', headers: h, payload: { action } });
    expect((await act('handle')).json()).toEqual({ content: 'Alert update request finished successfully' });
    expect((await act('handle')).json()).toEqual({ content: 'Alert was already handled (handle).' });
    expect((await act('handleAndLearn')).json()).toEqual({ content: 'Alert update request finished successfully' });
    expect((await act('handle')).json()).toEqual({ content: 'Alert was already handled (handleAndLearn).' });

    const window = { ticketId: 'a5fe99c-d914-4bda-9332-307384fe40bf', ttl: 20, engines: ['ANOMALY'], sensorIds: [5], subnets: ['10.0.0.0/16'] };
    const mw = (method: string, payload: object) => app.inject({ method: method as never, url: '/external/v1/maintenanceWindow', headers: h, payload });
    expect((await mw('POST', window)).statusCode).toBe(201);
    expect((await mw('POST', window)).statusCode).toBe(409);
    expect((await mw('PUT', { ticketId: window.ticketId, ttl: 60 })).statusCode).toBe(200);
    expect((await mw('DELETE', { ticketId: window.ticketId })).statusCode).toBe(200);
    expect((await mw('PUT', { ticketId: window.ticketId, ttl: 60 })).statusCode).toBe(404);
    await app.close();
  });
});

describe('control API and state', () => {
  it('answers loopback clients only', async () => {
    const app = await buildStatefulMockFor(await load('defender-iot-sensor'));
    const remote = await app.inject({ method: 'POST', url: '/__control/credentials', payload: { class: 'valid' }, remoteAddress: '10.1.2.3' });
    expect(remote.statusCode).toBe(403);
    const local = await app.inject({ method: 'POST', url: '/__control/credentials', payload: { class: 'valid' }, remoteAddress: '127.0.0.1' });
    expect(local.statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/__control/credentials', payload: { class: 'malformed' } })).statusCode).toBe(400);
    await app.close();
  });

  it('injects errors and latency on request', async () => {
    const app = await buildStatefulMockFor(await load('defender-iot-sensor'));
    const token = await issue(app, 'valid');
    await app.inject({ method: 'POST', url: '/__control/faults', payload: { operationId: 'listDevices', kind: 'error' } });
    expect((await app.inject({ method: 'GET', url: '/api/v1/devices', headers: { authorization: token } })).statusCode).toBe(500);
    expect((await app.inject({ method: 'GET', url: '/api/v1/devices', headers: { authorization: token } })).statusCode).toBe(200);
    await app.inject({ method: 'POST', url: '/__control/faults', payload: { kind: 'latency', ms: 300 } });
    const started = Date.now();
    await app.inject({ method: 'GET', url: '/api/v1/devices', headers: { authorization: token } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    await app.close();
  });

  it('restarting with the state as seed gives identical state', async () => {
    const contract = await load('defguard');
    const first = await buildStatefulMockFor(contract);
    const token = await issue(first, 'valid');
    await first.inject({ method: 'POST', url: '/api/v1/user', headers: { authorization: `Bearer ${token}` }, payload: { username: 'dave', first_name: 'Dave', last_name: 'Lee', email: 'dave@example.org' } });
    const snapshot = (await first.inject({ method: 'GET', url: '/__control/state' })).json();
    const second = await buildStatefulMockFor(contract, { seed: snapshot });
    expect((await second.inject({ method: 'GET', url: '/__control/state' })).json()).toEqual(snapshot);
    await first.close();
    await second.close();
  });
});

describe('robustness', () => {
  it('survives 10,000 malformed requests with no crash and no undeclared 5xx', async () => {
    const contract = await load('defguard');
    const app = await buildStatefulMockFor(contract, { rateLimit: false });
    const token = await issue(app, 'valid');
    const ops = contract.operations;
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const junk = [
      '{', '{"a":', 'null', '[]', '"text"', '{"username": 123}', '\u0000\u0001', Buffer.from([0xff, 0xfe, 0xfd, 0xc3, 0x28]),
      JSON.stringify({ username: 'x'.repeat(5000) }), '{"name": {"$gt": ""}}', 'a=1&b=2', '9'.repeat(400),
    ];
    const serverErrors: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      const op = ops[rnd(ops.length)]!;
      const url = op.path.replace(/\{[^}]+\}/g, () => ['%00', 'abc', '-1', '9'.repeat(30), '%ZZ', '..', 'admin'][rnd(7)]!) + (rnd(3) === 0 ? '?page=x&per_page=-5' : '');
      const body = junk[rnd(junk.length)];
      const headers: Record<string, string> = {
        'content-type': ['application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1'][rnd(4)]!,
      };
      if (rnd(2) === 0) headers.authorization = ['Bearer ' + token, 'Bearer', 'Basic Zm9vOmJhcg==', `Bearer ${'A'.repeat(8000)}`][rnd(4)]!;
      const res = await app.inject({ method: op.method.toUpperCase() as never, url, headers, payload: ['get', 'delete'].includes(op.method) ? undefined : body });
      if (res.statusCode >= 500) {
        const declared = op.responses.some((r) => r.status === String(res.statusCode));
        if (!declared) serverErrors.push(`${op.method.toUpperCase()} ${url} -> ${res.statusCode} ${res.body.slice(0, 80)}`);
      }
    }
    expect(serverErrors.slice(0, 5)).toEqual([]);
    // still serving after the storm
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
    await app.close();
  });
});

describe('the runner against every stateful mock', () => {
  it('passes every check, with every applicable credential class exercised', async () => {
    const apis = discoverApis(paths).filter((a) => hasStatefulMock(a.name));
    const mocks = await startStatefulMocks(apis, () => freePort(), { rateLimit: false });
    try {
      for (const [i, api] of apis.entries()) {
        const issued = await credentialsFromControlApi(mocks[i]!.url);
        const { run } = await testApi(api, mocks[i]!.url, {}, { issued });
        const failed = run.results.filter((r) => r.status === 'failed');
        expect(failed.map((r) => `${r.operationId} ${r.check}: ${r.message}`), api.name).toEqual([]);
        const exercised = new Set(run.results.filter((r) => r.check.startsWith('auth-') && r.status === 'passed').map((r) => r.check));
        for (const cls of ['auth-missing', 'auth-malformed', 'auth-wrong-scheme', 'auth-unknown', 'auth-revoked']) expect(exercised, `${api.name} ${cls}`).toContain(cls);
      }
    } finally {
      await Promise.all(mocks.map((m) => m.stop()));
    }
  });
});
