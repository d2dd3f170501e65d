import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildStatefulMockFor } from '../mocks/registry.ts';
import { selectApis } from '../src/core/contract/discover.ts';
import { loadContract } from '../src/core/contract/load.ts';
import type { Contract } from '../src/core/contract/model.ts';
import { parsePrefer } from '../src/core/prefer.ts';
import { projectPaths } from '../src/core/paths.ts';
import { validators } from '../src/core/validate/cache.ts';

const contract = await loadContract(selectApis(projectPaths(), ['defguard'])[0]!);

/** Whether a body is valid against the schema the operation declares for the status (JSON). */
function validAgainst(c: Contract, operationId: string, status: number, body: unknown) {
  const op = c.operations.find((o) => o.id === operationId)!;
  const media = op.responses.find((r) => r.status === String(status))!.content.find((m) => /json/.test(m.mediaType))!;
  return validators.validate(c, media.schemaPointer!, body);
}

describe('scenarios for frontends: Prefer on the stateful mock', () => {
  let app: FastifyInstance;
  let token: string;
  const auth = () => ({ authorization: `Bearer ${token}` });
  const getUser = (name: string, prefer?: string, headers: Record<string, string> = auth()) =>
    app.inject({ method: 'GET', url: `/api/v1/user/${name}`, headers: { ...headers, ...(prefer ? { prefer } : {}) } });

  beforeAll(async () => {
    app = await buildStatefulMockFor(contract, { rateLimit: false });
  });
  beforeEach(async () => {
    await app.inject({ method: 'POST', url: '/__control/reset' });
    token = (await app.inject({ method: 'POST', url: '/__control/credentials', payload: { class: 'valid' } })).json().token;
  });
  afterAll(() => app.close());

  it('code=404 answers the declared 404 for a user that exists, with a body valid against its schema (sampled: it has no example)', async () => {
    const res = await getUser('alice', 'code=404');
    expect(res.statusCode).toBe(404);
    expect(res.headers['preference-applied']).toBe('code=404');
    expect(validAgainst(contract, 'getUser', 404, res.json())).toEqual([]);
  });

  it("code=500 answers the declared 500 with its example, valid against the schema", async () => {
    const res = await getUser('alice', 'code=500');
    expect(res.statusCode).toBe(500);
    expect(res.headers['preference-applied']).toBe('code=500');
    expect(validAgainst(contract, 'getUser', 500, res.json())).toEqual([]);
    const declared = contract.operations.find((o) => o.id === 'getUser')!.responses.find((r) => r.status === '500')!;
    expect(res.json()).toEqual(declared.content[0]!.namedExamples[0]!.value);
  });

  it('example=<name> answers that named example, with code= or alone (found in whichever response declares it)', async () => {
    const op = contract.operations.find((o) => o.id === 'getUser')!;
    const named = (status: string, name: string) => op.responses.find((r) => r.status === status)!.content[0]!.namedExamples.find((e) => e.name === name)!.value;
    const both = await getUser('alice', 'code=403, example=requiresPrivilegedAccess');
    expect(both.statusCode).toBe(403);
    expect(both.json()).toEqual(named('403', 'requiresPrivilegedAccess'));
    expect(both.headers['preference-applied']).toBe('code=403, example=requiresPrivilegedAccess');
    const alone = await getUser('alice', 'example=tokenNotAllowed');
    expect(alone.statusCode).toBe(403);
    expect(alone.json()).toEqual(named('403', 'tokenNotAllowed'));
    // The success response's own example, by name.
    const docs = await getUser('alice', 'example=docs');
    expect(docs.statusCode).toBe(200);
    expect(docs.json()).toEqual(named('200', 'docs'));
  });

  it('an undeclared code is a 400 naming the declared codes, never another answer', async () => {
    const res = await getUser('alice', 'code=418');
    expect(res.statusCode).toBe(400);
    expect(res.headers['preference-applied']).toBeUndefined();
    expect(res.json().error).toMatch(/getUser declares no 418 response; declared: 200, 401, 403, 404, 500/);
    expect(res.json().declaredCodes).toEqual(['200', '401', '403', '404', '500']);
  });

  it('an unknown example name is a 400 naming the examples there are', async () => {
    const alone = await getUser('alice', 'example=nope');
    expect(alone.statusCode).toBe(400);
    expect(alone.json().error).toMatch(/no example named 'nope' in any of its responses; named examples: .*docs.*tokenNotAllowed/);
    expect(alone.json().examples['403']).toEqual(['tokenNotAllowed', 'requiresPrivilegedAccess']);
    const withCode = await getUser('alice', 'code=403, example=internal');
    expect(withCode.statusCode).toBe(400);
    expect(withCode.json().error).toMatch(/no example named 'internal' in its 403 response; named examples: tokenNotAllowed, requiresPrivilegedAccess/);
  });

  it('a code that is no HTTP status, or an empty example name, is a 400', async () => {
    expect((await getUser('alice', 'code=abc')).json().error).toMatch(/code must be an HTTP status/);
    expect((await getUser('alice', 'code=99')).statusCode).toBe(400);
    expect((await getUser('alice', 'example=')).statusCode).toBe(400);
  });

  it('a scenario on DELETE does not run the handler: the user is still there afterwards', async () => {
    const res = await app.inject({ method: 'DELETE', url: '/api/v1/user/bob', headers: { ...auth(), prefer: 'code=200' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['preference-applied']).toBe('code=200');
    expect((await getUser('bob')).statusCode).toBe(200);
    // Without the header the same request deletes.
    expect((await app.inject({ method: 'DELETE', url: '/api/v1/user/bob', headers: auth() })).statusCode).toBe(200);
    expect((await getUser('bob')).statusCode).toBe(404);
  });

  it('a scenario on POST creates nothing', async () => {
    const before = (await app.inject({ method: 'GET', url: '/__control/state' })).json();
    const payload = { username: 'scenario-user', first_name: 'S', last_name: 'U', email: 'scenario@example.org', phone: null, password: 'Scenario-passw0rd!' };
    const res = await app.inject({ method: 'POST', url: '/api/v1/user', headers: { ...auth(), prefer: 'code=201' }, payload });
    expect(res.statusCode).toBe(201);
    expect((await app.inject({ method: 'GET', url: '/__control/state' })).json()).toEqual(before);
    expect((await getUser('scenario-user')).statusCode).toBe(404);
  });

  it('auth still comes first: no credential, or a revoked one, gets the refusal, not the scenario', async () => {
    const none = await getUser('alice', 'code=200', {});
    expect(none.statusCode).toBe(401);
    expect(none.headers['preference-applied']).toBeUndefined();
    const revoked = (await app.inject({ method: 'POST', url: '/__control/credentials', payload: { class: 'revoked' } })).json().token;
    expect((await getUser('alice', 'code=500', { authorization: `Bearer ${revoked}` })).statusCode).toBe(401);
    // Nor does a bad preference tell an unauthenticated caller anything: auth answers first.
    expect((await getUser('alice', 'code=418', {})).statusCode).toBe(401);
  });

  it('delay=<ms> holds the request at least that long, then answers as usual', async () => {
    const started = performance.now();
    const res = await getUser('alice', 'delay=300');
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(res.statusCode).toBe(200);
    expect(res.json().user.username).toBe('alice');
    expect(res.headers['preference-applied']).toBe('delay=300');
    const both = performance.now();
    const scenario = await getUser('alice', 'code=404, delay=200');
    expect(performance.now() - both).toBeGreaterThanOrEqual(190);
    expect(scenario.statusCode).toBe(404);
    expect(scenario.headers['preference-applied']).toBe('code=404, delay=200');
  });

  it('a delay that is not a whole number of ms up to 30000 is a 400', async () => {
    for (const bad of ['delay=30001', 'delay=-5', 'delay=1.5', 'delay=soon', 'delay']) {
      const res = await getUser('alice', bad);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().error, bad).toMatch(/a delay is a whole number of milliseconds from 0 to 30000/);
    }
  });

  it('preferences the mock does not honour are ignored, as RFC 7240 asks', async () => {
    const res = await getUser('alice', 'return=minimal, dynamic=true');
    expect(res.statusCode).toBe(200);
    expect(res.headers['preference-applied']).toBeUndefined();
  });

  it('browsers may send Prefer and read Preference-Applied', async () => {
    const origin = 'http://localhost:5173';
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/api/v1/user/alice',
      headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization, prefer' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(String(preflight.headers['access-control-allow-headers']).toLowerCase()).toContain('prefer');
    const res = await getUser('alice', 'code=404', { ...auth(), origin });
    expect(String(res.headers['access-control-expose-headers'])).toContain('preference-applied');
  });
});

describe('route latency through the control API', () => {
  let app: FastifyInstance;
  let token: string;
  const timed = async (url: string) => {
    const started = performance.now();
    const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    return { res, ms: performance.now() - started };
  };
  beforeAll(async () => {
    app = await buildStatefulMockFor(contract, { rateLimit: false });
  });
  beforeEach(async () => {
    await app.inject({ method: 'POST', url: '/__control/reset' });
    token = (await app.inject({ method: 'POST', url: '/__control/credentials', payload: { class: 'valid' } })).json().token;
  });
  afterAll(() => app.close());

  it('latency set for an operationId holds every request of it until removed, and leaves others alone', async () => {
    const set = await app.inject({ method: 'POST', url: '/__control/latency', payload: { operationId: 'getUser', ms: 250 } });
    expect(set.json()).toEqual({ latency: [{ operationId: 'getUser', ms: 250 }] });
    for (let i = 0; i < 2; i++) expect((await timed('/api/v1/user/alice')).ms).toBeGreaterThanOrEqual(240);
    // Another operation is not held (a generous bound: only "not 5 s" is meant).
    await app.inject({ method: 'POST', url: '/__control/latency', payload: { operationId: 'getUser', ms: 5000 } });
    const other = await timed('/api/v1/user');
    expect(other.res.statusCode).toBe(200);
    expect(other.ms).toBeLessThan(2500);
    expect((await app.inject({ method: 'GET', url: '/__control/latency' })).json().latency).toHaveLength(2);
    await app.inject({ method: 'DELETE', url: '/__control/latency' });
    expect((await app.inject({ method: 'GET', url: '/__control/latency' })).json()).toEqual({ latency: [] });
  });

  it('latency set for a path glob matches request paths and path templates; the latest setting wins', async () => {
    await app.inject({ method: 'POST', url: '/__control/latency', payload: { path: '/api/v1/user/*', ms: 250 } });
    const slow = await timed('/api/v1/user/alice');
    expect(slow.res.statusCode).toBe(200);
    expect(slow.ms).toBeGreaterThanOrEqual(240);
    await app.inject({ method: 'POST', url: '/__control/latency', payload: { path: '/api/v1/user/*', ms: 5000 } });
    await app.inject({ method: 'POST', url: '/__control/latency', payload: { path: '/api/v1/user/{username}', ms: 0 } });
    const list = (await app.inject({ method: 'GET', url: '/__control/latency' })).json().latency;
    expect(list).toEqual([{ path: '/api/v1/user/*', ms: 250 }, { path: '/api/v1/user/*', ms: 5000 }, { path: '/api/v1/user/{username}', ms: 0 }]);
    // The latest setting (0 ms, by template) wins over the 5 s glob (a generous bound: only "not 5 s" is meant).
    expect((await timed('/api/v1/user/alice')).ms).toBeLessThan(2500);
    // A reset removes every setting.
    await app.inject({ method: 'POST', url: '/__control/reset' });
    expect((await app.inject({ method: 'GET', url: '/__control/latency' })).json()).toEqual({ latency: [] });
  });

  it('refuses a latency out of bounds, an unknown operation and a path that is no glob over paths', async () => {
    const post = (payload: Record<string, unknown>) => app.inject({ method: 'POST', url: '/__control/latency', payload });
    expect((await post({ ms: 30001 })).json().error).toMatch(/ms: a delay is a whole number of milliseconds from 0 to 30000/);
    expect((await post({})).statusCode).toBe(400);
    expect((await post({ operationId: 'nope', ms: 10 })).json().error).toBe("the contract has no operation 'nope'");
    expect((await post({ path: 'user/*', ms: 10 })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: '/__control/faults', payload: { kind: 'latency', ms: 60000 } })).statusCode).toBe(400);
  });
});

describe('the Prefer header as read (RFC 7240)', () => {
  it('reads names case-insensitively, quoted values, parameters, several headers; the first of a name counts', () => {
    const prefs = parsePrefer(['Code=404; foo=bar, example="a, b"', 'code=500, delay=10']);
    expect([...prefs]).toEqual([
      ['code', '404'],
      ['example', 'a, b'],
      ['delay', '10'],
    ]);
  });
});
