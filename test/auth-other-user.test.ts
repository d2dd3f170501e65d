import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveRunCredentials } from '../conformance/credentials.ts';
import { formatRun } from '../conformance/reporters/console.ts';
import { htmlReport } from '../conformance/reporters/html.ts';
import { jsonReport } from '../conformance/reporters/json.ts';
import { junitReport } from '../conformance/reporters/junit.ts';
import { sarifReport } from '../conformance/reporters/sarif.ts';
import { runContract, type RunResult } from '../conformance/run.ts';
import { buildStatefulMockFor } from '../mocks/registry.ts';
import { credentialsFromControlApi } from '../src/cli/commands/stateful.ts';
import { selectApis } from '../src/core/contract/discover.ts';
import { loadContract } from '../src/core/contract/load.ts';
import { projectPaths } from '../src/core/paths.ts';
import { authContractTable, operationRows } from '../src/engines/docs/auth-contract.ts';

const defguard = await loadContract(selectApis(projectPaths(), ['defguard'])[0]!);
const root = projectPaths().root;
/** The operations the sweep visits (marked `x-owned-by`), and the reads that feed them. */
const owned = defguard.operations.filter((o) => o.ownedBy);

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function serve(patch?: (app: FastifyInstance) => void): Promise<string> {
  app = await buildStatefulMockFor(defguard);
  patch?.(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

const control = (url: string, route: string, body?: unknown) =>
  fetch(`${url}/__control/${route}`, { method: body === undefined ? 'GET' : 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

async function sweep(url: string, withPair = true): Promise<{ run: RunResult; secrets: string[] }> {
  const issued = await credentialsFromControlApi(url);
  const run = await runContract(defguard, {
    baseUrl: url,
    operations: owned,
    credentials: () => issued.valid,
    secretVariable: 'DEFGUARD_TOKEN',
    // The class credentials go with their variables, as `contracts test` hands them over.
    classCredentials: issued.classCredentials,
    extraSecrets: Object.entries(issued.classCredentials).map(([cls, value]) => ({ value: value!, variable: `DEFGUARD_TOKEN_${cls.toUpperCase()}` })),
    otherUser: withPair ? issued.otherUser : undefined,
    kinds: ['auth'],
  });
  const secrets = [issued.valid, ...Object.values(issued.classCredentials), issued.otherUser!.owner.value, issued.otherUser!.other.value] as string[];
  return { run, secrets };
}

const sweepResults = (r: RunResult) => r.results.filter((x) => x.check === 'auth-other-user');

describe('mock: ownership of one user\'s objects (Defguard)', () => {
  it('issues other-user credentials for a named ordinary user as a session, and refuses bad requests', async () => {
    const url = await serve();
    expect(await (await control(url, 'users')).json()).toEqual({ ordinary: ['alice', 'bob'], role: 'user' });
    const bob = await (await control(url, 'credentials', { class: 'other-user', owner: 'bob' })).json();
    expect(bob).toMatchObject({ class: 'other-user', role: 'user', owner: 'bob', kind: 'session' });
    const me = await fetch(`${url}/api/v1/me`, { headers: { cookie: `defguard_session=${bob.token}` } });
    expect((await me.json()).username).toBe('bob');
    expect((await control(url, 'credentials', { class: 'other-user' })).status).toBe(400);
    expect((await control(url, 'credentials', { class: 'other-user', owner: 'bob', role: 'admin' })).status).toBe(400);
    expect((await control(url, 'credentials', { class: 'valid', owner: 'alice', kind: 'cookie' })).status).toBe(400);
  });

  it("refuses another user's objects as the server does, and serves them with ignores-ownership", async () => {
    const url = await serve();
    const bob = (await (await control(url, 'credentials', { class: 'other-user', owner: 'bob' })).json()).token as string;
    const as = (p: string) => fetch(`${url}${p}`, { headers: { cookie: `defguard_session=${bob}` } });
    // alice owns device 1 in the seed.
    const device = await as('/api/v1/device/1');
    expect(device.status).toBe(404);
    expect(await device.json()).toEqual({ msg: 'device id 1 not found' });
    expect((await as('/api/v1/user/alice')).status).toBe(403);
    expect(await (await as('/api/v1/user/alice')).json()).toEqual({ msg: 'requires privileged access' });
    // A route without a handler is answered from the contract's other-user outcome.
    expect((await as('/api/v1/user/alice/auth_key')).status).toBe(403);
    expect((await as('/api/v1/user/bob/auth_key')).status).toBe(200);
    expect((await control(url, 'faults', { kind: 'ignores-ownership', operationId: 'getDevice' })).status).toBe(200);
    const leaked = await as('/api/v1/device/1');
    expect(leaked.status).toBe(200);
    expect((await leaked.json()).name).toBe('alice-laptop');
    // Only the named operation: the user route still refuses.
    expect((await as('/api/v1/user/alice')).status).toBe(403);
    await fetch(`${url}/__control/faults`, { method: 'DELETE' });
    expect((await as('/api/v1/device/1')).status).toBe(404);
  });
});

describe('runner: the other-user sweep (auth-other-user)', () => {
  it('passes on a mock that enforces ownership, and says how much it tried', async () => {
    const { run, secrets } = await sweep(await serve());
    const results = sweepResults(run);
    expect(results.filter((r) => r.status === 'failed').map((r) => r.findings.map((f) => f.message))).toEqual([]);
    expect(results.filter((r) => r.status === 'passed').length).toBeGreaterThanOrEqual(10);
    // Reads and writes alike, each on an object of alice's, sent with bob's session cookie.
    expect(results.some((r) => r.method === 'DELETE' && r.status === 'passed')).toBe(true);
    expect(run.otherUser).toMatchObject({ owner: 'alice', other: 'bob' });
    expect(run.otherUser!.operations).toBeGreaterThanOrEqual(10);
    const text = formatRun(run, root);
    expect(text).toMatch(/objects tried with another user's credential: \d+ \(\d+ operations; objects of 'alice', asked for by 'bob'\)/);
    expect(text).toMatch(/other-user\s+\d+\s+0\s+\d+/);
    for (const s of secrets) expect(text).not.toContain(s);
  });

  it('fails with ignores-ownership, naming the leaked objects, both credentials and a reproducer without values', async () => {
    const url = await serve();
    await control(url, 'faults', { kind: 'ignores-ownership' });
    const { run, secrets } = await sweep(url);
    const failed = sweepResults(run).filter((r) => r.status === 'failed');
    const ids = failed.map((r) => r.operationId);
    expect(ids).toEqual(expect.arrayContaining(['getDevice', 'getUser', 'listUserDevices', 'fetchAuthenticationKeys']));
    const getDevice = failed.find((r) => r.operationId === 'getDevice')!;
    expect(getDevice.findings[0]!.message).toBe("'bob' asked for device_id=1 of 'alice': an other-user credential was accepted (200); the contract requires 404");
    expect(getDevice.curl).toBe(`curl -sS -X GET '${url}/api/v1/device/1' -H "cookie: defguard_session=$OTHER_USER_BOB"`);
    const reports = [formatRun(run, root), jsonReport([run]), sarifReport([run], root), junitReport([run]), htmlReport([run], root)];
    for (const report of reports) {
      expect(report).toContain("'bob' asked for device_id=1 of 'alice'");
      for (const s of secrets) expect(report).not.toContain(s);
    }
    expect(JSON.parse(jsonReport([run])).otherUser).toMatchObject({ owner: 'alice', other: 'bob' });
  });

  it('notices existence leaking where the contract says foreign and missing answer alike', async () => {
    // A broken server: an unknown device id gets a different answer than another user's.
    const url = await serve((a) =>
      a.addHook('onRequest', async (req, reply) => {
        if (/^\/api\/v1\/device\/2000000\d+$/.test(req.url)) await reply.code(400).send({ error: 'no such device' });
      }),
    );
    const { run } = await sweep(url);
    const leak = sweepResults(run).find((r) => r.operationId === 'getDevice')!;
    expect(leak.status).toBe('failed');
    expect(leak.findings.map((f) => f.message)).toEqual([
      expect.stringMatching(/^'bob' asked for device_id=1 of 'alice': existence leaks — the foreign object answered 404, an id that does not exist \(device_id=2000000\d+\) answered 400/),
    ]);
    expect(leak.findings[0]!.location.pointer).toMatch(/x-auth-contract\/classes\/other-user\/sameAsMissing$/);
  });

  it('without an other-user credential, reports the sweep as not covered — never passed', async () => {
    const { run } = await sweep(await serve(), false);
    const results = sweepResults(run);
    expect(results.length).toBe(owned.length);
    expect(results.every((r) => r.status === 'skipped' && /^not covered: no other-user credential/.test(r.message ?? ''))).toBe(true);
    expect(formatRun(run, root)).toMatch(/objects tried with another user's credential: 0 — not covered: no other-user credential/);
  });
});

describe('credentials file: the other-user pair', () => {
  const file = (text: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'creds-'));
    const f = path.join(dir, 'credentials.yaml');
    fs.writeFileSync(f, text);
    return f;
  };
  const env = { ADMIN: 'dg-admin000000000000000000000000000', ALICE: 'alice-session', BOB: 'bob-session' };

  it('pairs the other-user entry with the credential it names, by name and variable', () => {
    const f = file('defguard:\n  admin: { value: env:ADMIN, role: admin }\n  alice: { value: env:ALICE, role: user }\n  bob: { value: env:BOB, class: other-user, objectsOf: alice }\n');
    const c = resolveRunCredentials({ api: 'defguard', target: 'https://vpn.example.org', env, credentialsFile: f });
    expect(c.value).toBe(env.ADMIN);
    expect(c.otherUser).toEqual({ owner: { name: 'alice', value: env.ALICE, variable: 'ALICE' }, other: { name: 'bob', value: env.BOB, variable: 'BOB' } });
    expect(c.classCredentials['other-user']).toBeUndefined();
  });

  it('refuses an objectsOf that names no valid credential', () => {
    const f = file('defguard:\n  admin: { value: env:ADMIN }\n  bob: { value: env:BOB, class: other-user, objectsOf: carol }\n');
    expect(() => resolveRunCredentials({ api: 'defguard', target: 'https://vpn.example.org', env, credentialsFile: f })).toThrow(/objectsOf 'carol', which is no credential of class valid/);
  });
});

describe('reference docs: the other-user row', () => {
  const op = (id: string) => defguard.operations.find((o) => o.id === id)!;
  it('shows the outcome where an object belongs to one user, and leaves it out elsewhere', () => {
    const table = authContractTable(operationRows(defguard, op('getDevice')));
    expect(table).toMatch(/\| `other-user` \| 404 \| .*sent as `SessionCookie`.*existence does not leak/);
    expect(operationRows(defguard, op('listUsers')).map((r) => r.cls)).not.toContain('other-user');
  });
});
