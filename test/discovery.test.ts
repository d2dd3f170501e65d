import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import YAML from 'yaml';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { runContract, type RunResult } from '../conformance/run.ts';
import { formatRun } from '../conformance/reporters/console.ts';
import { htmlReport } from '../conformance/reporters/html.ts';
import { jsonReport } from '../conformance/reporters/json.ts';
import { junitReport } from '../conformance/reporters/junit.ts';
import { sarifReport } from '../conformance/reporters/sarif.ts';
import { buildStatefulMockFor } from '../mocks/registry.ts';
import { credentialsFromControlApi } from '../src/cli/commands/stateful.ts';
import { selectApis } from '../src/core/contract/discover.ts';
import { contractLinks, linksInto, parseRuntimeExpression, valuesOf } from '../src/core/contract/links.ts';
import { loadContract } from '../src/core/contract/load.ts';
import { projectPaths } from '../src/core/paths.ts';

const defguard = await loadContract(selectApis(projectPaths(), ['defguard'])[0]!);
const op = (id: string) => defguard.operations.find((o) => o.id === id)!;

describe('links: written and inferred, one model', () => {
  it('parses runtime expressions and reads every item of a list through /0/', () => {
    const source = parseRuntimeExpression('$response.body#/data/0/id')!;
    expect(source).toEqual({ kind: 'response-body', pointer: '/data/0/id' });
    const exchange = { responseBody: { data: [{ id: 7 }, { id: 9 }, { name: 'no id' }] }, responseHeaders: { location: '/x/3' }, requestPath: { username: 'u' }, requestQuery: {} };
    expect(valuesOf(source, exchange)).toEqual([7, 9]);
    expect(valuesOf(parseRuntimeExpression('$response.header.Location')!, exchange)).toEqual(['/x/3']);
    expect(valuesOf(parseRuntimeExpression('$request.path.username')!, exchange)).toEqual(['u']);
    expect(parseRuntimeExpression('$url')).toBeUndefined();
  });

  it('infers the users list as the producer of {username}, and the creation as the producer of what it creates', () => {
    const into = linksInto(defguard, op('getUser'));
    const read = into.find((l) => l.producer.operationId === 'getUsers' || l.producer.operationId === op('getUser').id);
    expect(into.some((l) => l.parameters.some((p) => p.name === 'username'))).toBe(true);
    expect(read ?? into[0]).toBeDefined();
    expect(into.some((l) => l.producer.operationId === 'addUser')).toBe(true);
  });

  it('every path parameter of the four main APIs has a producer or a stated reason (the lint rule passes)', async () => {
    const { unproducedPathParameters } = await import('../src/core/contract/links.ts');
    for (const api of ['defguard', 'defender-cloud-apps', 'defender-iot-sensor', 'defender-iot-management']) {
      const contract = await loadContract(selectApis(projectPaths(), [api])[0]!);
      expect(contractLinks(contract).length, api).toBeGreaterThan(0);
      expect(unproducedPathParameters(contract).map((u) => `${api} ${u.operation.id} ${u.parameter.name}`)).toEqual([]);
    }
  });
});

/** The shipped Defguard seed with every identity changed: other ids, user and group names, locations and addresses. */
function otherWorld(): Record<string, unknown> {
  const seed = YAML.parse(fs.readFileSync(new URL('../mocks/defguard/seed.yaml', import.meta.url), 'utf8')) as Record<string, any>;
  const rename: Record<string, string> = { alice: 'carol', bob: 'dave', developers: 'engineering' };
  const name = (n: string) => rename[n] ?? n;
  for (const u of seed.users) {
    u.id += 40;
    u.username = name(u.username);
    u.email = `${u.username}@corp.example.net`;
    u.groups = u.groups.map(name);
  }
  for (const g of seed.groups) {
    g.id += 40;
    g.name = name(g.name);
    g.members = g.members.map(name);
  }
  const shift = (s: string) => s.replace(/^10\.10\./, '10.110.').replace(/^10\.20\./, '10.120.').replace(/^fd00:20:/, 'fd00:120:');
  for (const n of seed.networks) {
    n.id += 40;
    n.name = `${n.name} (east)`;
    n.address = n.address.map(shift);
    n.allowed_ips = n.allowed_ips.map(shift);
    if (n.dns) n.dns = shift(n.dns);
    n.allowed_groups = n.allowed_groups.map(name);
  }
  for (const d of seed.devices) {
    d.id += 40;
    d.user_id += 40;
    d.name = `east-${d.name}`;
    for (const a of d.addresses ?? []) {
      a.network_id += 40;
      a.wireguard_ips = a.wireguard_ips.map(shift);
    }
  }
  for (const y of seed.yubikeys) {
    y.id += 40;
    y.user_id += 40;
    y.serial = `9${y.serial}`;
  }
  for (const k of seed.authenticationKeys) {
    k.id += 40;
    k.user_id += 40;
    if (k.yubikey_id !== null) k.yubikey_id += 40;
  }
  for (const u of seed.users) for (const a of u.authorized_apps) a.oauth2client_id += 40;
  for (const c of seed.oauthClients) c.id += 40;
  seed.passwords = Object.fromEntries(Object.entries(seed.passwords).map(([k, v]) => [name(k), v]));
  return seed;
}

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function serve(seed?: unknown, patch?: (app: FastifyInstance) => void): Promise<string> {
  app = await buildStatefulMockFor(defguard, seed ? { seed } : {});
  patch?.(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

async function run(baseUrl: string, operations = defguard.operations, extra: Partial<Parameters<typeof runContract>[1]> = {}): Promise<RunResult> {
  const issued = await credentialsFromControlApi(baseUrl);
  return runContract(defguard, { baseUrl, operations, credentials: () => issued.valid, secretVariable: 'DEFGUARD_TOKEN', classCredentials: issued.classCredentials, ...extra });
}

const failures = (r: RunResult) => r.results.filter((x) => x.status === 'failed').map((x) => `${x.check} ${x.method} ${x.path}: ${x.message}`);

describe('discovery: a Defguard whose data the contract has never seen', () => {
  it('learns real ids first, so valid requests use them: no false failures, and coverage close to the built-in world', async () => {
    const result = await run(await serve(otherWorld()));
    expect(failures(result)).toEqual([]);
    expect(result.discovery!.reads).toBeGreaterThan(10);
    expect(result.discovery!.operationsWithValues).toBeGreaterThan(50);
    // The location routes that answered 400 to the example location now get a real one.
    for (const id of ['findAvailableIps', 'checkIpAvailability']) {
      const positive = result.results.find((r) => r.operationId === id && r.case === 'positive' && r.check === 'status-declared')!;
      expect(positive.valueOrigin, id).toBe('discovered');
      expect(positive.request.url, id).toMatch(/\/4[12]$/);
    }
    expect(result.results.find((r) => r.operationId === 'findAvailableIps' && r.case === 'positive')!.response?.status).toBe(200);
    // Lower than the built-in world's: the second-factor steps (TOTP, e-mail and recovery codes,
    // security keys) answer the runner's made-up codes with 4xx, as the server does, and operations
    // whose example body names a location, device, user, group or ACL record of the built-in seed
    // (static IPs, group assignment, network device setup, ACL apply) look those up and answer
    // "not found" or 400 here, where they used to send canned examples.
    expect(result.coverage!.totals.successJudged).toBeGreaterThanOrEqual(128);
  });

  it('an example value the target does not have makes the operation "not covered", never failed', async () => {
    // Discovery off: every value is the contract's example, which this world does not have.
    const result = await run(await serve(otherWorld()), defguard.operations.filter((o) => o.method === 'get'), { discover: false });
    const notCovered = result.results.filter((r) => r.check === 'positive-input' && r.status === 'skipped' && /^not covered/.test(r.message ?? ''));
    expect(notCovered.length).toBeGreaterThan(0);
    expect(failures(result).filter((f) => f.startsWith('positive-input'))).toEqual([]);
    const reasons = result.coverage!.operations.filter((c) => c.reason?.id === 'no-value-discovered');
    expect(reasons.length).toBeGreaterThan(0);
  });
});

describe('workflows: create, read back, change, delete, gone, clean up', () => {
  const networkOps = () => defguard.operations.filter((o) => /^\/api\/v1\/network(\/\{network_id\})?$/.test(o.path));

  it('reads a created location back and sees it gone after deleting it; nothing is left', async () => {
    const result = await run(await serve(), networkOps());
    expect(failures(result)).toEqual([]);
    const readBack = result.results.filter((r) => r.check === 'created-readable');
    const gone = result.results.filter((r) => r.check === 'deleted-gone');
    expect(readBack.map((r) => r.status)).toEqual(['passed']);
    expect(gone.map((r) => r.status)).toEqual(['passed']);
    expect(result.cleanup).toEqual({ removed: 0, leftovers: [] });
    // Changing and deleting used the created location, never a seeded one.
    const del = result.results.find((r) => r.operationId === 'deleteNetwork' && r.case === 'positive')!;
    expect(del.valueOrigin).toBe('created');
    const state = (await app!.inject({ method: 'GET', url: '/__control/state' })).json() as { networks: { name: string }[] };
    expect(state.networks.map((n) => n.name)).toEqual(['Headquarters', 'Developers lab']);
  });

  it('fails deleted-gone when a delete is acknowledged but the object stays', async () => {
    const url = await serve(undefined, (a) =>
      a.addHook('onRequest', async (req, reply) => {
        if (req.method === 'DELETE' && /^\/api\/v1\/network\/\d+$/.test(req.url)) await reply.code(200).send({});
      }),
    );
    const result = await run(url, networkOps());
    const gone = result.results.find((r) => r.check === 'deleted-gone')!;
    expect(gone.status).toBe('failed');
    expect(gone.message).toMatch(/the object the run deleted is still there: GET \/api\/v1\/network\/\d+ answered 200/);
    // The object is still there, so clean-up removes it... through the same broken delete: it reports nothing left
    // only when the target says so; here the delete "succeeds", which the run takes at its word.
    expect(result.cleanup!.leftovers).toEqual([]);
  });

  it('fails created-readable when a created object cannot be read back', async () => {
    const url = await serve(undefined, (a) =>
      a.addHook('onRequest', async (req, reply) => {
        if (req.method === 'GET' && /^\/api\/v1\/network\/([3-9]|\d\d+)$/.test(req.url)) await reply.code(404).send({ msg: 'network not found' });
      }),
    );
    const result = await run(url, networkOps());
    const readBack = result.results.find((r) => r.check === 'created-readable')!;
    expect(readBack.status).toBe('failed');
    expect(readBack.message).toMatch(/could not be read back: GET \/api\/v1\/network\/\d+ answered 404/);
  });

  it('removes what it created when interrupted, and reports the cases it did not send', async () => {
    const controller = new AbortController();
    const url = await serve();
    // Stop as soon as the location exists (the creation is the first case that changes state).
    const result = await run(url, networkOps(), {
      concurrency: 1,
      onProgress: (done) => {
        if (done === 1) controller.abort();
      },
      signal: controller.signal,
    });
    expect(result.interrupted).toBe(true);
    expect(result.results.some((r) => r.message === 'not sent: the run was interrupted')).toBe(true);
    expect(result.cleanup!.removed).toBe(1);
    const state = (await app!.inject({ method: 'GET', url: '/__control/state' })).json() as { networks: unknown[] };
    expect(state.networks).toHaveLength(2);
    expect(formatRun(result, projectPaths().root)).toMatch(/interrupted: cases not sent yet are reported as skipped/);
  });

  it('reports an object it could not remove, with the request that would', async () => {
    const url = await serve(undefined, (a) =>
      a.addHook('onRequest', async (req, reply) => {
        if (req.method === 'DELETE' && /^\/api\/v1\/network\/\d+$/.test(req.url)) await reply.code(500).send({ msg: 'busy' });
      }),
    );
    const result = await run(url, networkOps());
    expect(result.cleanup!.leftovers).toHaveLength(1);
    const left = result.cleanup!.leftovers[0]!;
    expect(left.object).toMatch(/network_id=\d+ \(created by POST \/api\/v1\/network\)/);
    expect(left.curl).toMatch(/curl -sS -X DELETE '.*\/api\/v1\/network\/\d+' -H "authorization: Bearer \$DEFGUARD_TOKEN"/);
    const text = formatRun(result, projectPaths().root);
    expect(text).toMatch(/LEFT BEHIND network_id=\d+/);
    expect(text).not.toContain((await credentialsFromControlApi(url)).valid);
    expect(JSON.parse(jsonReport([result])).cleanup.leftovers).toHaveLength(1);
    expect(junitReport([result])).toMatch(/<testcase classname="defguard\.clean-up" name="left behind: network_id=\d+[^"]*">\s*<skipped message="DELETE \/api\/v1\/network\/\d+ answered 500; remove with: curl/);
    expect(JSON.parse(sarifReport([result], projectPaths().root)).runs[0].properties.cleanupByApi.defguard.leftovers).toHaveLength(1);
    expect(htmlReport([result], projectPaths().root)).toMatch(/left behind<\/span> network_id=\d+/);
  });
});
