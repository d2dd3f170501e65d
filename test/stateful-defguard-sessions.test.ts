import type { FastifyInstance } from 'fastify';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { buildStatefulMockFor } from '../mocks/registry.ts';
import { selectApis } from '../src/core/contract/discover.ts';
import { loadContract } from '../src/core/contract/load.ts';
import { projectPaths } from '../src/core/paths.ts';

const contract = await loadContract(selectApis(projectPaths(), ['defguard'])[0]!);

describe('Defguard stateful mock: password login and the session cookie', () => {
  let app: FastifyInstance;
  beforeEach(async () => {
    await app?.close();
    app = await buildStatefulMockFor(contract);
  });
  afterAll(() => app.close());

  const login = (username: string, password: string, headers: Record<string, string> = { 'user-agent': 'Mozilla/5.0' }) =>
    app.inject({ method: 'POST', url: '/api/v1/auth', headers, payload: { username, password } });
  const cookieOf = (res: { headers: Record<string, unknown> }) => String(res.headers['set-cookie']).split(';')[0]!;

  it('logs a user in, and the cookie then works where the contract accepts a session', async () => {
    const res = await login('alice', 'Alice-passw0rd!');
    expect(res.statusCode).toBe(200);
    expect(res.json().user.username).toBe('alice');
    expect(String(res.headers['set-cookie'])).toMatch(/^defguard_session=[A-Za-z0-9]{32}; HttpOnly; SameSite=Lax; Path=\//);
    const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: cookieOf(res) } });
    expect(me.statusCode).toBe(200);
    expect(me.json().username).toBe('alice');
  });

  it("a normal user's session gets 403 on admin routes; an admin's session works there", async () => {
    const alice = cookieOf(await login('alice', 'Alice-passw0rd!'));
    expect((await app.inject({ method: 'GET', url: '/api/v1/user', headers: { cookie: alice } })).statusCode).toBe(403);
    const admin = cookieOf(await login('admin', 'pass123'));
    expect((await app.inject({ method: 'GET', url: '/api/v1/user', headers: { cookie: admin } })).statusCode).toBe(200);
  });

  it('accepts the e-mail address as the login name', async () => {
    expect((await login('bob@example.org', 'Bob-passw0rd!')).statusCode).toBe(200);
  });

  it('a session id is not an API token, and a session is not listed among API tokens', async () => {
    const res = await login('admin', 'pass123');
    const sessionId = cookieOf(res).split('=')[1]!;
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${sessionId}` } })).statusCode).toBe(401);
    const tokens = await app.inject({ method: 'GET', url: '/api/v1/user/admin/api_token', headers: { cookie: cookieOf(res) } });
    expect(tokens.statusCode).toBe(200);
    expect(tokens.json().map((t: { name: string }) => t.name)).toEqual(['automation']);
  });

  it('answers a wrong password, an unknown user and a disabled account alike: 401 with {}', async () => {
    for (const [user, password] of [['alice', 'nope'], ['nobody', 'pass123']]) {
      const res = await login(user!, password!);
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({});
    }
    const admin = cookieOf(await login('admin', 'pass123'));
    const bob = (await app.inject({ method: 'GET', url: '/api/v1/user/bob', headers: { cookie: admin } })).json().user;
    expect((await app.inject({ method: 'PUT', url: '/api/v1/user/bob', headers: { cookie: admin }, payload: { ...bob, is_active: false } })).statusCode).toBe(200);
    expect((await login('bob', 'Bob-passw0rd!')).statusCode).toBe(401);
  });

  it('locks a username out after five failures within a minute (429), even for the right password', async () => {
    for (let i = 0; i < 5; i++) expect((await login('alice', `wrong-${i}`)).statusCode).toBe(401);
    const locked = await login('alice', 'Alice-passw0rd!');
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toEqual({ msg: 'Too many login attempts' });
    expect((await login('bob', 'Bob-passw0rd!')).statusCode).toBe(200);
  });

  it('requires a User-Agent, as the server does', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth', payload: { username: 'alice', password: 'Alice-passw0rd!' }, headers: { 'user-agent': '' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ msg: 'Missing UserAgent header' });
  });

  it('logging out ends the session and clears the cookie; logging out with an API token leaves the token working', async () => {
    const cookie = cookieOf(await login('alice', 'Alice-passw0rd!'));
    const out = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } });
    expect(out.statusCode).toBe(200);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(401);
    const token = (await app.inject({ method: 'POST', url: '/__control/credentials', payload: { class: 'valid' } })).json().token;
    const auth = { authorization: `Bearer ${token}` };
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: auth })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: auth })).statusCode).toBe(200);
  });

  it('a user added with a password can log in with it; the state keeps only digests', async () => {
    const admin = cookieOf(await login('admin', 'pass123'));
    const added = await app.inject({
      method: 'POST',
      url: '/api/v1/user',
      headers: { cookie: admin },
      payload: { username: 'carol', first_name: 'Carol', last_name: 'King', email: 'carol@example.org', password: 'Carol-passw0rd!' },
    });
    expect(added.statusCode).toBe(201);
    expect((await login('carol', 'Carol-passw0rd!')).statusCode).toBe(200);
    const state = (await app.inject({ method: 'GET', url: '/__control/state' })).body;
    expect(state).not.toContain('Carol-passw0rd!');
    expect(state).not.toContain('pass123');
  });
});

describe('the runner names itself', () => {
  it('sends a User-Agent on every request (Defguard refuses requests without one)', async () => {
    const { Sender, USER_AGENT } = await import('../conformance/send.ts');
    const http = await import('node:http');
    const seen: Array<string | undefined> = [];
    const server = http.createServer((req, res) => {
      seen.push(req.headers['user-agent']);
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const sender = new Sender({ baseUrl: `http://127.0.0.1:${port}` });
    await sender.send({ method: 'GET', url: '/x', headers: {}, secretHeaders: [] } as never);
    await sender.close();
    server.close();
    expect(USER_AGENT).toMatch(/^security-api-contracts\/\d+\.\d+\.\d+$/);
    expect(seen).toEqual([USER_AGENT]);
  });
});
