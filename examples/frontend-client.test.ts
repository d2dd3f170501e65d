/**
 * Frontend-style test: code that calls Defguard through the typed client, checked against the
 * contract. In your project the imports are
 *
 *   import { clients, contract } from 'security-api-contracts';
 *   import 'security-api-contracts/vitest';   // or test.setupFiles: ['security-api-contracts/vitest']
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { clients, contract } from '../src/index.ts';
import '../src/vitest.ts';
import { useMock } from './mock.ts';

const mock = useMock('defguard');
const TOKEN = 'dg-0123456789abcdefghijABCDEFGHIJ01';

describe('a frontend using the Defguard client', () => {
  beforeAll(async () => {
    // Loads and compiles the contract once; the matcher is synchronous from here on.
    await contract('defguard').load();
  });

  it('reads a user with the typed client, and the answer matches the contract', async () => {
    const api = clients.defguard({ baseUrl: mock.url, token: TOKEN });
    const { data, error, response } = await api.GET('/api/v1/user/{username}', { params: { path: { username: 'admin' } } });
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    // `data` is typed from generated/defguard.ts: data.user.username is a string.
    expect(typeof data?.user.username).toBe('string');
    // The client kept an unread copy of the body, so the matcher can judge it after parsing.
    await expect(response).toMatchContract('defguard');
  });

  it('sends the credential as `Authorization: Bearer <token>`, as the contract says', async () => {
    let sent: string | null = null;
    const api = clients.defguard({
      baseUrl: mock.url,
      token: TOKEN,
      fetch: (request) => {
        sent = request.headers.get('authorization');
        return fetch(request);
      },
    });
    await api.GET('/api/v1/me');
    expect(sent).toBe(`Bearer ${TOKEN}`);
  });

  it('a plain fetch without credentials gets the declared 401', async () => {
    const response = await fetch(`${mock.url}/api/v1/user/admin`);
    expect(response.status).toBe(401);
    // A fetch Response does not know its request method: pass it (the client's responses carry it).
    await expect(response).toMatchContract('defguard', { method: 'GET' });
  });

  it('a route the contract does not have is reported as operation-unknown', async () => {
    const response = await fetch(`${mock.url}/api/v1/user/admin`, { method: 'PATCH', headers: { authorization: `Bearer ${TOKEN}` } });
    await expect(response).not.toMatchContract('defguard', { method: 'PATCH' });
    const violations = await contract('defguard').validateResponse({ method: 'PATCH', path: '/api/v1/user/admin', status: response.status });
    expect(violations.map((v) => v.check)).toEqual(['operation-unknown']);
  });
});
