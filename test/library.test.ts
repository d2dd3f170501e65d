import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningMock } from '../mocks/prism/prism.ts';
import { startMocks, stopMocks } from '../src/cli/commands/mock.ts';
import { PRISM_UNSUPPORTED_CLASSES } from '../src/cli/commands/test.ts';
import { discoverApis, selectApis } from '../src/core/contract/discover.ts';
import { loadContract } from '../src/core/contract/load.ts';
import { AUTH_SCHEMES, clients, contract, type ContractViolation } from '../src/index.ts';
import { formatViolations, toMatchContract } from '../src/library/matcher.ts';
import { withCredential, type ClientApi } from '../src/library/clients.ts';
import { authScheme, isSecured } from '../src/core/auth/index.ts';
import { credentialFormat, renderApiIndex } from '../src/engines/types/api-index.ts';
import { freePort } from '../src/core/net.ts';
import { packageRoot, projectPaths } from '../src/core/paths.ts';
import { validators } from '../src/core/validate/cache.ts';
import '../src/vitest.ts';

const paths = projectPaths();

/** A body that conforms to getUser's 200 (the contract's own example). */
async function userExample(): Promise<Record<string, any>> {
  const c = await contract('defguard').load();
  const op = c.operations.find((o) => o.id === 'getUser')!;
  return structuredClone(op.responses.find((r) => r.status === '200')!.content[0]!.examples[0]) as Record<string, any>;
}

const json = { 'content-type': 'application/json' };

describe('contract()', () => {
  it('loads once per name, through the shared loader', async () => {
    expect(contract('defguard')).toBe(contract('defguard'));
    const loaded = await contract('defguard').load();
    expect(loaded).toBe(await loadContract(selectApis(paths, ['defguard'])[0]!));
    expect(await contract('defguard').load()).toBe(loaded);
  });

  it('accepts a path to an OpenAPI file', async () => {
    const file = path.join(packageRoot, 'specs/defender-iot-sensor/openapi.yaml');
    const op = await contract(file).findOperation('GET', '/api/v1/devices/7/connections?x=1');
    expect(op?.id).toBeDefined();
    expect(op?.path).toBe('/api/v1/devices/{deviceId}/connections');
  });

  it('an unknown name is a clear error', async () => {
    await expect(contract('no-such-api').validateResponse({ method: 'GET', path: '/', status: 200 })).rejects.toThrow(
      /unknown API 'no-such-api'; known APIs: defender-cloud-apps, /,
    );
  });

  it('packageRoot is the folder with package.json (also from dist/)', () => {
    expect(path.basename(path.join(packageRoot, 'package.json'))).toBe('package.json');
    expect(discoverApis(paths).map((a) => a.name)).toContain('defguard');
  });
});

describe('validateResponse', () => {
  it('a conforming body gives no violations', async () => {
    const body = await userExample();
    const violations = await contract('defguard').validateResponse({ method: 'GET', path: '/api/v1/user/admin', status: 200, headers: json, body });
    expect(violations).toEqual([]);
  });

  it('a broken body gives response-schema violations with JSON pointers into the body and the spec location', async () => {
    const body = await userExample();
    body.user.id = 'six hundred';
    delete body.user.email;
    const violations = await contract('defguard').validateResponse({ method: 'get', path: '/api/v1/user/admin', status: 200, headers: json, body });
    expect(violations.map((v) => [v.check, v.pointer])).toEqual(
      expect.arrayContaining([
        ['response-schema', '/user'],
        ['response-schema', '/user/id'],
      ]),
    );
    expect(violations).toHaveLength(2);
    const idViolation = violations.find((v) => v.pointer === '/user/id')!;
    expect(idViolation).toMatchObject({ operationId: 'getUser', message: expect.stringContaining('must be integer') });
    // The location is the schema keyword the value breaks, in the file that writes it.
    expect(idViolation.location?.file).toBe(path.join(packageRoot, 'specs/defguard/components/schemas.yaml'));
    expect(idViolation.location?.pointer).toBe('#/UserInfo/properties/id/type');
    expect(idViolation.location?.line).toBeGreaterThan(0);
    expect(violations.find((v) => v.pointer === '/user')!.location?.pointer).toBe('#/UserInfo/required');
  });

  it('gives the body pointer exactly as the validator reports it', async () => {
    const c = await contract('defguard').load();
    const pointer = c.operations.find((o) => o.id === 'getUser')!.responses.find((r) => r.status === '200')!.content[0]!.schemaPointer!;
    const body = { user: { id: 'x' } };
    const fromValidator = validators.validate(c, pointer, body).map((v) => v.instancePath);
    const fromLibrary = (await contract('defguard').validateResponse({ method: 'GET', path: '/api/v1/user/a', status: 200, body })).map((v) => v.pointer);
    expect(fromLibrary).toEqual(fromValidator);
    expect(fromLibrary).toContain('');
  });

  it('an undeclared status, media type and header value are reported under the runner check ids', async () => {
    const c = contract('defguard');
    const undeclared = await c.validateResponse({ method: 'GET', path: '/api/v1/user/admin', status: 418, headers: json, body: {} });
    expect(undeclared.map((v) => v.check)).toEqual(['status-declared']);
    expect(undeclared[0]!.message).toMatch(/status 418 is not declared/);

    const text = await c.validateResponse({ method: 'GET', path: '/api/v1/user/admin', status: 200, headers: { 'Content-Type': 'text/html' }, text: '<p>hi</p>' });
    expect(text.map((v) => v.check)).toEqual(['content-type']);

    const cloud = contract('defender-cloud-apps');
    const header = await cloud.validateResponse({
      method: 'GET',
      path: '/v1/alerts/',
      status: 429,
      headers: { 'content-type': 'application/json', 'retry-after': 'whenever' },
      body: { detail: 'slow down' },
    });
    expect(header.map((v) => v.check)).toContain('response-headers');
    expect(header.find((v) => v.check === 'response-headers')!.message).toMatch(/Retry-After/);
    // Located at the keyword the value breaks, in the shared response that declares the header.
    expect(header.find((v) => v.check === 'response-headers')!.location).toMatchObject({
      file: path.join(packageRoot, 'specs/defender-cloud-apps/components/responses.yaml'),
      pointer: '#/TooManyRequests/headers/Retry-After/schema/type',
    });
  });

  it('matches concrete paths against templates, also below the server base path (Cloud Apps `/api`)', async () => {
    expect((await contract('defender-cloud-apps').findOperation('GET', '/api/v1/alerts/'))?.id).toBe('listAlerts');
    expect((await contract('defender-cloud-apps').findOperation('GET', 'https://t.eu2.portal.cloudappsecurity.com/api/v1/alerts/abc/'))?.id).toBe('getAlert');
  });

  it('honours x-trailing-slash as check-traffic and the mocks do: a spelling the contract declares optional matches', async () => {
    const sensor = contract('defender-iot-sensor');
    const declared = await sensor.findOperation('GET', '/api/v1/devices');
    expect(declared?.path).toBe('/api/v1/devices');
    expect((await sensor.findOperation('GET', '/api/v1/devices/'))?.id).toBe(declared!.id);
    const ok = declared!.responses.find((r) => r.status === '200')!.content[0]!;
    const body = ok.examples[0];
    expect(body).toBeDefined();
    expect(await sensor.validateResponse({ method: 'GET', path: '/api/v1/devices/', status: 200, headers: json, body })).toEqual([]);
    expect({ status: 200, headers: json, body, text: JSON.stringify(body), req: { method: 'GET', path: '/api/v1/devices/' } }).toMatchContract('defender-iot-sensor');
    // Cloud Apps declares no tolerance: its documented slash is part of the route.
    const cloud = await contract('defender-cloud-apps').validateResponse({ method: 'GET', path: '/api/v1/alerts', status: 200, headers: json, body: {} });
    expect(cloud.map((v) => v.check)).toEqual(['operation-unknown']);
  });

  it('an unknown path or method is operation-unknown', async () => {
    const c = contract('defguard');
    const unknownPath = await c.validateResponse({ method: 'GET', path: '/api/v9/nothing', status: 200, body: {} });
    const paths = { file: path.join(packageRoot, 'specs/defguard/openapi.yaml'), pointer: '#/paths', line: expect.any(Number) };
    expect(unknownPath).toEqual([{ check: 'operation-unknown', message: 'GET /api/v9/nothing matches no operation of defguard', location: expect.objectContaining(paths) }]);
    const unknownMethod = await c.validateResponse({ method: 'PATCH', path: '/api/v1/user/admin', status: 200, body: {} });
    expect(unknownMethod).toEqual([
      { check: 'operation-unknown', message: expect.stringMatching(/PATCH \/api\/v1\/user\/admin is not declared; the path allows GET, PUT, DELETE/), location: expect.objectContaining(paths) },
    ]);
  });
});

describe('toMatchContract', () => {
  beforeAll(async () => {
    await contract('defguard').load();
  });

  const supertestLike = (status: number, body: unknown, headers: Record<string, string> = json) => ({
    status,
    headers,
    body,
    text: JSON.stringify(body),
    req: { method: 'GET', path: '/api/v1/user/admin?expand=1' },
  });

  it('passes a conforming supertest-like response synchronously', async () => {
    const res = supertestLike(200, await userExample());
    const result = toMatchContract(res, 'defguard');
    expect(result).not.toBeInstanceOf(Promise);
    expect(res).toMatchContract('defguard');
  });

  it('fails with a message listing check id, body pointer, message and spec location', async () => {
    const body = await userExample();
    body.user.username = 42;
    let message = '';
    try {
      expect(supertestLike(200, body)).toMatchContract('defguard');
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toBe(
      [
        'expected GET /api/v1/user/admin?expand=1 → 200 to match the defguard contract; 1 violation:',
        '  ✗ response-schema at body /user/username: body /user/username must be string (got 42)',
        `      spec: ${path.join('specs', 'defguard', 'components', 'schemas.yaml')}:${message.match(/yaml:(\d+:\d+)/)?.[1]} #/UserInfo/properties/username/type`,
      ].join('\n'),
    );
    expect(message).toMatch(/schemas\.yaml:\d+:\d+ #\/UserInfo\/properties\/username\/type/);
  });

  it('formats several violations, and operation-unknown without a location', () => {
    const violations: ContractViolation[] = [
      { check: 'status-declared', message: 'status 418 is not declared (declared: 200)', location: { file: path.join(packageRoot, 'specs/x.yaml'), pointer: '#/get/responses', line: 3, column: 5 } },
      { check: 'operation-unknown', message: 'GET /x matches no operation of defguard' },
    ];
    expect(formatViolations('defguard', 'GET /x → 418', violations)).toBe(
      [
        'expected GET /x → 418 to match the defguard contract; 2 violations:',
        '  ✗ status-declared: status 418 is not declared (declared: 200)',
        `      spec: ${path.join('specs', 'x.yaml')}:3:5 #/get/responses`,
        '  ✗ operation-unknown: GET /x matches no operation of defguard',
      ].join('\n'),
    );
  });

  it('judges fetch Responses asynchronously, with method and path from the options or the url', async () => {
    const good = new Response(JSON.stringify(await userExample()), { status: 200, headers: json });
    await expect(good).toMatchContract('defguard', { method: 'GET', path: '/api/v1/user/admin' });
    expect(good.bodyUsed).toBe(false); // the matcher read a clone

    const bad = new Response('{"msg": 1}', { status: 401, headers: json });
    Object.defineProperty(bad, 'url', { value: 'http://127.0.0.1:9/api/v1/user/admin' });
    await expect(expect(bad).toMatchContract('defguard', { method: 'GET' })).rejects.toThrow(/✗ response-schema at body \/msg: body \/msg must be string/);

    const deleted = new Response(null, { status: 200 });
    Object.defineProperty(deleted, 'url', { value: 'http://127.0.0.1:9/api/v1/user/admin' });
    await expect(expect(deleted).toMatchContract('defguard', { method: 'DELETE' })).rejects.toThrow(
      /expected DELETE \/api\/v1\/user\/admin → 200 .*\n  ✗ content-type: response has no body and no Content-Type/,
    );
  });

  it('loads the contract on first use when it is not loaded yet (then it returns a promise)', async () => {
    const result = toMatchContract(
      { status: 200, headers: json, text: '[]', body: [], req: { method: 'GET', path: '/api/v1/devices' } },
      'defender-iot-management',
    );
    // The management console has no /api/v1/devices: operation-unknown once loaded.
    const outcome = await result;
    expect(outcome.pass).toBe(false);
    expect(outcome.message()).toMatch(/operation-unknown: GET \/api\/v1\/devices matches no operation/);
  });
});

describe('toMatchContract cannot pass by accident', () => {
  beforeAll(async () => {
    await contract('defguard').load();
  });

  /** A UserInfo, as POST /api/v1/user answers it with 201. */
  async function createdUser(): Promise<Record<string, any>> {
    return (await userExample()).user as Record<string, any>;
  }
  const newUser = { username: 'ada', first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com' };

  it('an unawaited matcher fails the test, with a message saying to await it (vitest run in a fresh project)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contracts-unawaited-'));
    try {
      fs.symlinkSync(path.join(packageRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
      fs.writeFileSync(
        path.join(dir, 'vitest.config.mjs'),
        `export default { test: { include: ['*.test.ts'], setupFiles: [${JSON.stringify(path.join(packageRoot, 'src/vitest.ts'))}] } };\n`,
      );
      const user = JSON.stringify((await createdUser()));
      fs.writeFileSync(
        path.join(dir, 'user.test.ts'),
        [
          "import { beforeAll, expect, it } from 'vitest';",
          `const user = ${user};`,
          'function answer(body: unknown, status = 200): Response {',
          "  const r = new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });",
          "  Object.defineProperty(r, 'url', { value: 'http://127.0.0.1:9/api/v1/user/admin' });",
          '  return r;',
          '}',
          "const broken = () => answer({ user: { ...user, id: 'six' } });",
          'const fine = () => answer({ msg: \'Session is required\' }, 401);',
          "it('unawaited broken', () => { expect(broken()).toMatchContract('defguard', { method: 'GET' }); });",
          "it('unawaited fine', () => { expect(fine()).toMatchContract('defguard', { method: 'GET' }); });",
          "it('unawaited not', () => { expect(broken()).not.toMatchContract('defguard', { method: 'GET' }); });",
          "it('awaited fine', async () => { await expect(fine()).toMatchContract('defguard', { method: 'GET' }); });",
          "it('returned fine', () => expect(fine()).toMatchContract('defguard', { method: 'GET' }));",
          "it('awaited broken', async () => { await expect(broken()).toMatchContract('defguard', { method: 'GET' }); });",
          '',
        ].join('\n'),
      );
      const run = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [path.join(packageRoot, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=json', '--outputFile=report.json'], {
          cwd: dir,
          env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', VITEST_POOL_ID: undefined, VITEST_WORKER_ID: undefined, VITEST: undefined, TEST: undefined },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        child.stdout.on('data', (d) => (output += d));
        child.stderr.on('data', (d) => (output += d));
        child.once('error', reject);
        child.once('close', (code) => resolve({ code, output }));
      });
      expect(run.code, run.output).toBe(1);
      const report = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8')) as {
        testResults: { assertionResults: { title: string; status: string; failureMessages: string[] }[] }[];
      };
      const byTitle = Object.fromEntries(report.testResults[0]!.assertionResults.map((a) => [a.title, a]));
      expect(Object.fromEntries(Object.entries(byTitle).map(([t, a]) => [t, a.status]))).toEqual({
        'unawaited broken': 'failed',
        'unawaited fine': 'failed',
        'unawaited not': 'failed',
        'awaited fine': 'passed',
        'returned fine': 'passed',
        'awaited broken': 'failed',
      });
      const unawaited = byTitle['unawaited broken']!.failureMessages.join('\n');
      expect(unawaited).toContain("expect(actual).toMatchContract('defguard', { method: 'GET' }) was not awaited: write `await expect(actual).toMatchContract('defguard', { method: 'GET' })`");
      // The verdict the test missed is shown too, and the error points at the line without `await`.
      expect(unawaited).toMatch(/✗ response-schema at body \/user\/id: body \/user\/id must be integer/);
      expect(unawaited).toMatch(/user\.test\.ts:10:/);
      expect(byTitle['unawaited fine']!.failureMessages.join('\n')).toMatch(/was not awaited.*It passed this time/s);
      expect(byTitle['unawaited not']!.failureMessages.join('\n')).toContain('expect(actual).not.toMatchContract(');
      expect(byTitle['awaited broken']!.failureMessages.join('\n')).not.toMatch(/was not awaited/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is synchronous for supertest and app.inject() responses once the contract is loaded: nothing to await', async () => {
    const result = toMatchContract({ status: 401, headers: json, body: { msg: 'x' }, text: '{"msg":"x"}', req: { method: 'GET', path: '/api/v1/user/admin' } }, 'defguard');
    expect(result).not.toBeInstanceOf(Promise);
    expect(result).toMatchObject({ pass: true });
  });

  it('refuses a fetch Response without a method, saying how to pass it', async () => {
    const created = new Response(JSON.stringify(await createdUser()), { status: 201, headers: json });
    Object.defineProperty(created, 'url', { value: 'http://127.0.0.1:9/api/v1/user' });
    const refused = expect(expect(created).toMatchContract('defguard')).rejects;
    await refused.toThrow(/a fetch Response does not record the request method/);
    await expect(expect(created).toMatchContract('defguard')).rejects.toThrow("await expect(res).toMatchContract('defguard', { method: 'POST' })");
    // With the method it is judged as the POST it was.
    await expect(created).toMatchContract('defguard', { method: 'POST' });
    // An un-awaited request is named as such, not judged.
    const pending = Promise.resolve(created);
    expect(() => expect(pending).toMatchContract('defguard')).toThrow(/received a promise; await the request first/);
  });

  it('takes the method and URL of a typed-client response from its request: a POST is judged as POST', async () => {
    const body = await createdUser();
    const seen: string[] = [];
    const api = clients.defguard({
      baseUrl: 'http://127.0.0.1:9',
      fetch: async (request) => {
        seen.push(`${request.method} ${new URL(request.url).pathname}`);
        // A Response made by hand has no url: the client's record of the request supplies it.
        return new Response(JSON.stringify(body), { status: 201, headers: json });
      },
    });
    const result = await api.POST('/api/v1/user', { body: newUser });
    expect(seen).toEqual(['POST /api/v1/user']);
    expect(result.response.url).toBe('');
    expect(result.data?.username).toBe(body.username);
    await expect(result.response).toMatchContract('defguard');
    await expect(result).toMatchContract('defguard'); // the whole `{ data, error, response }` works too
    // Judged as POST: a 201 with a broken body fails on the body, not on an undeclared status.
    const broken = await clients
      .defguard({ baseUrl: 'http://127.0.0.1:9', fetch: async () => new Response(JSON.stringify({ ...body, id: 'six' }), { status: 201, headers: json }) })
      .POST('/api/v1/user', { body: newUser });
    await expect(expect(broken.response).toMatchContract('defguard')).rejects.toThrow(
      /^expected POST \/api\/v1\/user → 201 to match the defguard contract; 1 violation:\n  ✗ response-schema at body \/id: body \/id must be integer/,
    );
    // Without the kept body the method is still known, and the error says why the body is not.
    const lean = await clients.defguard({ baseUrl: 'http://127.0.0.1:9', keepResponseBody: false, fetch: async () => new Response(JSON.stringify(body), { status: 201, headers: json }) }).POST('/api/v1/user', { body: newUser });
    await expect(expect(lean.response).toMatchContract('defguard')).rejects.toThrow(/keepResponseBody: false/);
  });

  it('takes the method from supertest and light-my-request (Fastify app.inject) responses', async () => {
    const body = await createdUser();
    const handler: http.RequestListener = (req, res) => {
      res.writeHead(req.method === 'POST' ? 201 : 405, { 'content-type': 'application/json' });
      res.end(JSON.stringify(req.method === 'POST' ? body : { msg: 'no' }));
    };
    const viaSupertest = await request(http.createServer(handler)).post('/api/v1/user').send(newUser);
    expect(viaSupertest.status).toBe(201);
    expect(viaSupertest).toMatchContract('defguard');

    const app = Fastify();
    app.post('/api/v1/user', async (_req, reply) => reply.code(201).send(body));
    try {
      const injected = await app.inject({ method: 'POST', url: '/api/v1/user?x=1', payload: newUser });
      expect(injected.statusCode).toBe(201);
      expect(injected).toMatchContract('defguard');
      const asGet = await app.inject({ method: 'GET', url: '/api/v1/user' });
      expect(() => expect(asGet).toMatchContract('defguard')).toThrow(/^expected GET \/api\/v1\/user → 404 to match the defguard contract; 1 violation:\n  ✗ status-declared/);
    } finally {
      await app.close();
    }
  });

  it('locates a failure at the schema of the failing field, as a path to open from the working directory', async () => {
    const body = await userExample();
    body.user.id = 'six hundred';
    const violations = await contract('defguard').validateResponse({ method: 'GET', path: '/api/v1/user/admin', status: 200, headers: json, body });
    const schemas = path.join(packageRoot, 'specs/defguard/components/schemas.yaml');
    // getUser's response refers to UserDetails, whose `user` refers to UserInfo: the line is in the component file.
    expect(violations).toMatchObject([{ check: 'response-schema', pointer: '/user/id', location: { file: schemas, pointer: '#/UserInfo/properties/id/type' } }]);
    const { line, column } = violations[0]!.location!;
    const lines = fs.readFileSync(schemas, 'utf8').split('\n');
    // The line is the `id` property's schema: its `type` keyword, or the property itself when the
    // file writes the schema as a YAML alias (`id: *id002`).
    const located = lines[line! - 1]!.slice(column! - 1);
    const owner = located.startsWith('type:') ? lines.slice(0, line! - 1).reverse().find((l) => /^\s+\w+:\s*$/.test(l))?.trim() : located.split(':')[0] + ':';
    expect(owner).toBe('id:');
    expect(lines.slice(0, line! - 1).reverse().find((l) => /^\S/.test(l))).toBe('UserInfo:');

    const at = (cwd: string) => formatViolations('defguard', 'GET /api/v1/user/admin → 200', violations, cwd).split('\n').at(-1);
    // In this repository (cwd = the package): specs/…; in a project that installed the package: node_modules/security-api-contracts/specs/…
    expect(at(packageRoot)).toBe(`      spec: ${path.join('specs/defguard/components/schemas.yaml')}:${line}:${column} #/UserInfo/properties/id/type`);
    const project = path.dirname(packageRoot);
    expect(at(project)).toBe(`      spec: ${path.join(path.basename(packageRoot), 'specs/defguard/components/schemas.yaml')}:${line}:${column} #/UserInfo/properties/id/type`);
    // Outside the working directory: absolute, so it still opens.
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'contracts-cwd-'));
    try {
      expect(at(elsewhere)).toBe(`      spec: ${schemas}:${line}:${column} #/UserInfo/properties/id/type`);
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
    // The matcher uses the process's working directory.
    const cwd = vi.spyOn(process, 'cwd').mockReturnValue(project);
    try {
      expect(() => expect({ status: 200, headers: json, body, text: JSON.stringify(body), req: { method: 'GET', path: '/api/v1/user/admin' } }).toMatchContract('defguard')).toThrow(
        `spec: ${path.join(path.basename(packageRoot), 'specs/defguard/components/schemas.yaml')}:${line}:${column}`,
      );
    } finally {
      cwd.mockRestore();
    }
  });
});

describe('clients', () => {
  const TOKEN = '0123456789abcdef0123456789abcdef';

  async function sentAuthorization(make: (fetchImpl: (r: Request) => Promise<Response>) => { GET: (...a: any[]) => Promise<unknown> }, url: string) {
    let seen: string | null = 'not called';
    const client = make(async (request) => {
      seen = request.headers.get('authorization');
      return new Response('{}', { status: 200, headers: json });
    });
    await client.GET(url as never);
    return seen;
  }

  it('apply each API’s scheme: Bearer for Defguard, Token for Cloud Apps, the raw token for the IoT APIs', async () => {
    expect(await sentAuthorization((f) => clients.defguard({ baseUrl: 'http://x', token: TOKEN, fetch: f }), '/api/v1/me')).toBe(`Bearer ${TOKEN}`);
    expect(await sentAuthorization((f) => clients.defenderCloudApps({ baseUrl: 'http://x/api', token: TOKEN, fetch: f }), '/v1/alerts/')).toBe(`Token ${TOKEN}`);
    expect(await sentAuthorization((f) => clients.defenderIotSensor({ baseUrl: 'http://x', token: TOKEN, fetch: f }), '/api/v1/devices')).toBe(TOKEN);
    expect(await sentAuthorization((f) => clients.defenderIotManagement({ baseUrl: 'http://x', token: TOKEN, fetch: f }), '/external/v1/devices')).toBe(TOKEN);
    expect(await sentAuthorization((f) => clients.defguard({ baseUrl: 'http://x', fetch: f }), '/api/v1/health')).toBeNull();
  });

  it('the credential table and the client list are generated from every contract, and fresh', async () => {
    const all = await Promise.all(discoverApis(paths).map(async (a) => ({ name: a.name, contract: await loadContract(a) })));
    // What `contracts generate` would write now is what is committed: no hand-kept table to forget.
    expect(fs.readFileSync(path.join(paths.generated, 'index.ts'), 'utf8')).toBe(renderApiIndex(all));
    for (const { name, contract: c } of all) expect(AUTH_SCHEMES[name as ClientApi], name).toEqual(credentialFormat(c));
    // One client per API, named in camelCase.
    const apis = all.map((a) => a.name);
    expect(Object.keys(clients).sort()).toEqual(apis.map((a) => a.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())).sort());
    // The table's scheme is the one the auth contract is about on most secured operations.
    for (const { name, contract: c } of all) {
      const table = AUTH_SCHEMES[name as ClientApi];
      const secured = c.operations.filter((o) => isSecured(o));
      const usingIt = secured.filter((o) => authScheme(c, o)?.name === table.scheme);
      expect(usingIt.length, name).toBeGreaterThan(secured.length / 2);
    }
  });

  it('puts the token where the scheme carries it: header, cookie or query parameter', async () => {
    const request = () => new Request('http://x/api/v1/me?a=1', { headers: { cookie: 'theme=dark' } });
    expect(withCredential(request(), { scheme: 'K', header: 'X-Api-Key', prefix: 'Key ' }, TOKEN).headers.get('x-api-key')).toBe(`Key ${TOKEN}`);
    expect(withCredential(request(), { scheme: 'S', cookie: 'sid', prefix: '' }, TOKEN).headers.get('cookie')).toBe(`theme=dark; sid=${TOKEN}`);
    const byQuery = withCredential(request(), { scheme: 'Q', query: 'api_key', prefix: '' }, TOKEN);
    expect(new URL(byQuery.url).search).toBe(`?a=1&api_key=${TOKEN}`);
    expect(byQuery.headers.get('cookie')).toBe('theme=dark');
  });
});

describe('authMatrix against the contract-only mock', () => {
  let mocks: RunningMock[] = [];
  beforeAll(async () => {
    mocks = await startMocks(paths, selectApis(paths, ['defender-iot-sensor']), () => freePort());
  });
  afterAll(async () => {
    await stopMocks(mocks);
  });

  it('runs only the auth-* checks and counts them per credential class', async () => {
    const matrix = await contract('defender-iot-sensor').authMatrix(
      mocks[0]!.url,
      { valid: '0123456789abcdef0123456789abcdef', revoked: 'fedcba9876543210fedcba9876543210' },
      { unsupportedClasses: PRISM_UNSUPPORTED_CLASSES },
    );
    expect(matrix.results.length).toBeGreaterThan(0);
    expect(matrix.results.every((r) => r.check.startsWith('auth-'))).toBe(true);
    expect(matrix.results.some((r) => r.case === 'negative')).toBe(false);
    expect(matrix.summary.failed, JSON.stringify(matrix.results.filter((r) => r.status === 'failed'), null, 1)).toBe(0);
    expect(matrix.classes.missing?.passed).toBeGreaterThan(0);
    expect(matrix.classes['wrong-scheme']?.passed).toBeGreaterThan(0);
    expect(matrix.classes.valid?.passed).toBeGreaterThan(0);
    expect(matrix.classes.revoked?.skipped).toBeGreaterThan(0); // the Prism mock cannot honour it
    const total = Object.values(matrix.classes).reduce((n, c) => n + c.passed + c.failed + c.skipped, 0);
    expect(total).toBe(matrix.results.length);
    // Credentials never appear in the results.
    expect(JSON.stringify(matrix.results)).not.toContain('0123456789abcdef0123456789abcdef');
    expect(JSON.stringify(matrix.results)).not.toContain('fedcba9876543210fedcba9876543210');
  });
});
