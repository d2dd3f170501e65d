import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judge } from '../conformance/judge.ts';
import type { RequestCase } from '../conformance/types.ts';
import { selectApis } from '../src/core/contract/discover.ts';
import { loadContract } from '../src/core/contract/load.ts';
import type { Contract } from '../src/core/contract/model.ts';
import { matchResponse } from '../src/core/contract/responses.ts';
import { lookupRoute } from '../src/core/contract/route.ts';
import { freePort } from '../src/core/net.ts';
import { packageRoot, projectPaths } from '../src/core/paths.ts';
import { validators } from '../src/core/validate/cache.ts';
import { runCli } from './helpers/cli.ts';
import { parseCalls } from './traffic-record.ts';

/**
 * What a frontend developer does: run `contracts mock --all --stateful`, read the printed URLs and
 * credentials, log in to Defguard as the built-in admin and click through the web UI's main screens.
 * The command runs as a real process (killed at the end); every answer the UI's calls get is judged
 * against the contract.
 */

/** The Defguard web UI's main-screen calls, as listed in the real-clients fixture (`# UI <screen>: ...`). */
const uiCalls = parseCalls(fs.readFileSync(path.join(packageRoot, 'test/fixtures/real-clients/calls.txt'), 'utf8')).filter(
  (c) => c.api === 'defguard' && /^UI [\w-]+: /.test(c.comment ?? ''),
);

/** Whether a port can be bound on 127.0.0.1 right now. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** A first port with `count` free ports from it (the command takes consecutive ports). */
async function freePortRun(count: number): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const first = await freePort();
    if (first + count > 65535) continue;
    const free = await Promise.all(Array.from({ length: count }, (_, i) => portIsFree(first + i)));
    if (free.every(Boolean)) return first;
  }
  throw new Error(`no ${count} consecutive free ports`);
}

describe('contracts mock --all --stateful, as a frontend developer uses it', () => {
  let child: ChildProcess | undefined;
  let stdout = '';
  let defguard: Contract;

  beforeAll(async () => {
    defguard = await loadContract(selectApis(projectPaths(), ['defguard'])[0]!);
    const first = await freePortRun(4);
    child = spawn(process.execPath, [path.join(packageRoot, 'bin/contracts.js'), 'mock', '--all', '--stateful', '--port', String(first)], {
      cwd: packageRoot,
      env: { ...process.env, CONTRACTS_DEBUG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    await new Promise<void>((resolve, reject) => {
      child!.stdout!.on('data', (d) => {
        stdout += d;
        if (stdout.includes('Press Ctrl+C to stop.')) resolve();
      });
      child!.once('exit', (code) => reject(new Error(`contracts mock exited with ${code}: ${stderr}`)));
    });
  });

  afterAll(async () => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  });

  /** The URL the command printed for an API. */
  const urlOf = (api: string) => new RegExp(`^${api}\\s+(http://127\\.0\\.0\\.1:\\d+)$`, 'm').exec(stdout)?.[1];
  /** The credential line printed under an API: header name and value. */
  const credentialOf = (api: string) => {
    // The guide's block of the API (the table above it may spell the line the same way).
    const block = stdout.slice(stdout.indexOf(`\n${api}  http`, stdout.indexOf('Mock credentials')));
    const m = /^ {2}credential {3}([\w-]+): (\S+(?: \S+)?) {3}\(mock /m.exec(block)!;
    return { header: m[1]!, value: m[2]! };
  };

  it('prints each API with its URL, a ready mock credential and its control API, and says they are mock credentials', () => {
    for (const api of ['defender-cloud-apps', 'defender-iot-management', 'defender-iot-sensor', 'defguard']) {
      const url = urlOf(api);
      expect(url, api).toBeDefined();
      expect(stdout).toContain(`  control API  ${url}/__control/`);
      expect(credentialOf(api).value.length, api).toBeGreaterThan(10);
    }
    expect(stdout).toContain(`GET ${urlOf('defguard')}/__control/mail   mail the mock would have sent (test mail, support data)`);
    expect(credentialOf('defguard').value).toMatch(/^Bearer dg-[A-Za-z0-9]{32}$/);
    expect(credentialOf('defender-cloud-apps').value).toMatch(/^Token \S+$/);
    expect(stdout).toContain('they are not credentials of any real service');
    expect(stdout).toMatch(/log in {7}POST http:\/\/127\.0\.0\.1:\d+\/api\/v1\/auth \{"username":"admin","password":"pass123"\} {2}→ defguard_session cookie/);
    expect(stdout).toContain('other users: alice / Alice-passw0rd!, bob / Bob-passw0rd!');
    for (const route of ['POST credentials {class?, role?, owner?, kind?}', 'GET  users', 'POST reset', 'GET state', 'POST faults', 'POST rate-limit']) expect(stdout).toContain(route);
    // APIs without a stateful mock are named, not silently dropped.
    expect(stdout).toContain('No stateful mock (serve the contract-only one with `contracts mock <api>`): defguard-migration, defguard-setup');
  });

  it('each printed credential works against its mock as printed', async () => {
    const reads: Record<string, string> = {
      'defender-cloud-apps': '/api/v1/alerts/',
      'defender-iot-management': '/external/v1/devices',
      'defender-iot-sensor': '/api/v1/devices',
      defguard: '/api/v1/user/admin',
    };
    for (const [api, p] of Object.entries(reads)) {
      const { header, value } = credentialOf(api);
      const method = api === 'defender-cloud-apps' ? 'POST' : 'GET';
      const res = await fetch(`${urlOf(api)}${p}`, { method, headers: { [header]: value, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) }, body: method === 'POST' ? '{}' : undefined });
      expect(res.status, `${api} ${p}: ${await res.text()}`).toBe(200);
    }
  });

  it('logs in to Defguard as the built-in admin and walks the web UI main screens: every answer declared and valid', async () => {
    const base = urlOf('defguard')!;
    const login = await fetch(`${base}/api/v1/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Mozilla/5.0 (frontend test)' },
      body: JSON.stringify({ username: 'admin', password: 'pass123' }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    expect(cookie).toMatch(/^defguard_session=\w+$/);
    expect(((await login.json()) as { user: { username: string } }).user.username).toBe('admin');

    expect(uiCalls.length).toBeGreaterThanOrEqual(20);
    expect(new Set(uiCalls.map((c) => c.comment!.split(':')[0]))).toEqual(new Set(['UI app', 'UI users', 'UI api-tokens', 'UI groups', 'UI devices', 'UI locations']));
    const undeclared: string[] = [];
    const failures: string[] = [];
    const statuses: string[] = [];
    let schemaJudged = 0;
    for (const c of uiCalls) {
      const lookup = lookupRoute(defguard, c.method, c.path);
      expect(lookup.match, `${c.method} ${c.path} is a contract operation`).toBeDefined();
      const operation = lookup.match!.operation;
      const started = performance.now();
      // The browser sends the session cookie only, never an Authorization header.
      const res = await fetch(`${base}${c.path}`, { method: c.method, headers: { cookie, 'user-agent': 'Mozilla/5.0 (frontend test)' } });
      const headers: Record<string, string> = {};
      res.headers.forEach((v, k) => (headers[k] = v));
      const observed = { status: res.status, headers, text: await res.text(), durationMs: performance.now() - started };
      statuses.push(`${operation.id} ${res.status}`);
      if (!matchResponse(operation, res.status)) undeclared.push(`${c.method} ${c.path} (${operation.id}): ${res.status} ${observed.text.slice(0, 120)}`);
      const requestCase: RequestCase = { kind: 'positive', operation, method: c.method, url: c.path, headers: { cookie }, secretHeaders: ['cookie'] };
      for (const verdict of judge(defguard, requestCase, observed, { validators, origin: 'observed' })) {
        if (verdict.check === 'response-schema' && verdict.status === 'passed') schemaJudged++;
        if (verdict.status === 'failed') failures.push(`${c.method} ${c.path} (${operation.id}) ${verdict.check}: ${verdict.message}`);
      }
    }
    expect(undeclared).toEqual([]);
    expect(failures).toEqual([]);
    // Every body was held against its schema (not skipped).
    expect(schemaJudged).toBe(uiCalls.length);
    // The admin's session opens every screen: no refusal and no not-found on the seeded records.
    expect(statuses.filter((s) => !/ 200$/.test(s))).toEqual([]);
  });
});

describe('contracts mock --stateful: bad input is one line and exit 2', () => {
  it('an unknown API', async () => {
    const r = await runCli(['mock', 'no-such-api', '--stateful', '--port', String(await freePort())]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/unknown API 'no-such-api'/);
  });

  it('an API that has no stateful mock', async () => {
    const r = await runCli(['mock', 'defguard-setup', '--stateful', '--port', String(await freePort())]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('contracts: no stateful mock for: defguard-setup');
  });

  it('a busy port', async () => {
    const port = await freePort();
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(port, '127.0.0.1', resolve));
    try {
      const r = await runCli(['mock', 'defguard', '--stateful', '--port', String(port)]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(`contracts: stateful mock for 'defguard' cannot listen on 127.0.0.1:${port}`);
      expect(r.stdout).not.toContain('Press Ctrl+C');
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });
});
