/**
 * Backend-style test: a request handler under test (plain node:http, as an Express or Fastify app
 * would be), called with supertest and checked with `toMatchContract`. In your project the imports are
 *
 *   import { contract } from 'security-api-contracts';
 *   import 'security-api-contracts/vitest';
 */
import http from 'node:http';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../src/index.ts';
import '../src/vitest.ts';

/** A tiny Defguard-compatible user service: the code under test. */
function userService(options: { bug?: 'numeric-id-as-string' | 'plain-text-401' } = {}): http.RequestListener {
  const users: Record<string, { id: number; username: string; is_admin: boolean }> = {
    admin: { id: 1, username: 'admin', is_admin: true },
  };
  return (req, res) => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!req.headers.authorization?.startsWith('Bearer ')) {
      if (options.bug === 'plain-text-401') {
        res.writeHead(401, { 'content-type': 'text/plain' });
        return res.end('nope');
      }
      return json(401, { msg: 'Session is required' });
    }
    const match = /^\/api\/v1\/user\/([^/]+)$/.exec(req.url ?? '');
    if (req.method === 'GET' && match) {
      const user = users[decodeURIComponent(match[1]!)];
      if (!user) return json(404, { msg: `user ${match[1]} not found` });
      return json(200, {
        biometric_enabled_devices: [],
        security_keys: [],
        user: {
          id: options.bug === 'numeric-id-as-string' ? String(user.id) : user.id,
          username: user.username,
          first_name: 'Ada',
          last_name: 'Admin',
          name: 'Ada Admin',
          email: 'admin@example.com',
          phone: null,
          mfa_enabled: false,
          totp_enabled: false,
          email_mfa_enabled: false,
          mfa_method: 'None',
          groups: ['admin'],
          authorized_apps: [],
          devices: [],
          is_active: true,
          enrolled: true,
          is_admin: user.is_admin,
          ldap_pass_requires_change: false,
        },
      });
    }
    json(404, { msg: 'not found' });
  };
}

const auth = { Authorization: 'Bearer dg-0123456789abcdefghijABCDEFGHIJ01' };

describe('a backend implementing part of the Defguard API', () => {
  beforeAll(async () => {
    await contract('defguard').load(); // compile once; toMatchContract is synchronous afterwards
  });

  it('GET /api/v1/user/{username} answers as the contract says', async () => {
    const res = await request(http.createServer(userService())).get('/api/v1/user/admin').set(auth);
    expect(res.status).toBe(200);
    expect(res).toMatchContract('defguard');
  });

  it('unknown users and missing credentials get declared answers', async () => {
    const app = http.createServer(userService());
    expect(await request(app).get('/api/v1/user/nobody').set(auth)).toMatchContract('defguard');
    expect(await request(app).get('/api/v1/user/admin')).toMatchContract('defguard');
  });

  it('a wrong field type is caught, with the JSON pointer into the body', async () => {
    const res = await request(http.createServer(userService({ bug: 'numeric-id-as-string' }))).get('/api/v1/user/admin').set(auth);
    expect(res).not.toMatchContract('defguard');
    const violations = await contract('defguard').validateResponse({
      method: 'GET',
      path: '/api/v1/user/admin',
      status: res.status,
      headers: res.headers,
      text: res.text,
    });
    expect(violations).toMatchObject([{ check: 'response-schema', pointer: '/user/id', operationId: 'getUser' }]);
  });

  it('an undeclared media type is caught by the content-type check', async () => {
    const res = await request(http.createServer(userService({ bug: 'plain-text-401' }))).get('/api/v1/user/admin');
    expect(() => expect(res).toMatchContract('defguard')).toThrow(/content-type: Content-Type 'text\/plain' is not declared/);
  });
});
