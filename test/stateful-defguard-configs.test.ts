import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startCredentialGate } from '../mocks/prism/credential-gate.ts';
import { buildStatefulMockFor } from '../mocks/registry.ts';
import { selectApis } from '../src/core/contract/discover.ts';
import { loadContract } from '../src/core/contract/load.ts';
import type { Contract } from '../src/core/contract/model.ts';
import { isNotFoundAnswer } from '../src/core/contract/responses.ts';
import { lookupRoute } from '../src/core/contract/route.ts';
import { freePort } from '../src/core/net.ts';
import { projectPaths } from '../src/core/paths.ts';
import { validators } from '../src/core/validate/cache.ts';

/**
 * The two configuration downloads the Defguard web UI calls: `GET /api/v1/device/{device_id}/config`
 * (a user device, one file per location) and `GET /api/v1/device/network/{device_id}/config` (a
 * network device). Their templates overlap the neighbours' under `/api/v1/device/`, so every matcher
 * must let a literal segment win.
 */
let contract: Contract;
beforeAll(async () => {
  contract = await loadContract(selectApis(projectPaths(), ['defguard'])[0]!);
});

describe('Defguard route table: literal segments beat parameters under /api/v1/device/', () => {
  const op = (method: string, path: string) => {
    const m = lookupRoute(contract, method, path).match;
    return m && { id: m.operation.id, params: m.params, canonicalPath: m.canonicalPath };
  };

  it('tells the user-device and network-device downloads apart, and both from their neighbours', () => {
    expect(op('GET', '/api/v1/device/network/5/config')).toEqual({ id: 'networkDeviceConfigs', params: { device_id: '5' }, canonicalPath: '/api/v1/device/network/5/config' });
    expect(op('GET', '/api/v1/device/5/config')).toEqual({ id: 'userDeviceConfigs', params: { device_id: '5' }, canonicalPath: '/api/v1/device/5/config' });
    expect(op('GET', '/api/v1/device/network/5')).toMatchObject({ id: 'getNetworkDevice', params: { device_id: '5' } });
    expect(op('GET', '/api/v1/device/5')).toMatchObject({ id: 'getDevice', params: { device_id: '5' } });
    expect(op('GET', '/api/v1/network/2/device/5/config')).toMatchObject({ id: 'downloadConfig', params: { network_id: '2', device_id: '5' } });
  });

  it('reads the spellings the lint rule calls ambiguous as the literal route, never as a device id', () => {
    // Each would fit a `{device_id}` template too; the server's router and ours take the literal.
    expect(op('GET', '/api/v1/device/user/config')).toMatchObject({ id: 'listUserDevices', params: { username: 'config' } });
    expect(op('GET', '/api/v1/device/network/config')).toMatchObject({ id: 'getNetworkDevice', params: { device_id: 'config' } });
    expect(op('GET', '/api/v1/device/network/ip/config')).toMatchObject({ id: 'findAvailableIps', params: { network_id: 'config' } });
    expect(op('POST', '/api/v1/device/network/start_cli/config')).toMatchObject({ id: 'startNetworkDeviceSetupForDevice' });
    expect(op('GET', '/api/v1/device/network')).toMatchObject({ id: 'listNetworkDevices' });
  });

  it('names the methods the download paths do have when another is asked for', () => {
    expect(lookupRoute(contract, 'DELETE', '/api/v1/device/5/config')).toEqual({ otherMethods: ['GET'] });
    expect(lookupRoute(contract, 'POST', '/api/v1/device/network/5/config')).toEqual({ otherMethods: ['GET'] });
  });

  it('the Prism credential gate forwards each download under its own path, and refuses one without a credential', async () => {
    const seen: string[] = [];
    const upstream = http.createServer((req, res) => {
      seen.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const gate = await startCredentialGate(contract, `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`, await freePort());
    try {
      const headers = { cookie: 'defguard_session=abc123' };
      for (const path of ['/api/v1/device/network/5/config', '/api/v1/device/5/config']) expect((await fetch(gate.url + path, { headers })).status).toBe(200);
      expect(seen).toEqual(['/api/v1/device/network/5/config', '/api/v1/device/5/config']);
      const refused = await fetch(`${gate.url}/api/v1/device/network/5/config`);
      expect(refused.status).toBe(401);
      expect(await refused.json()).toEqual({ msg: 'Session is required' });
      expect(seen).toHaveLength(2);
    } finally {
      await gate.close();
      await new Promise((resolve) => upstream.close(resolve));
    }
  });
});

describe('Defguard stateful mock: configuration downloads', () => {
  let app: FastifyInstance;
  let admin: string;

  beforeEach(async () => {
    app = await buildStatefulMockFor(contract, { rateLimit: false });
    admin = await login('admin', 'pass123');
  });
  afterEach(() => app.close());

  async function login(username: string, password: string): Promise<string> {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth', headers: { 'user-agent': 'Mozilla/5.0' }, payload: { username, password } });
    expect(res.statusCode, res.body).toBe(200);
    return String(res.headers['set-cookie']).split(';')[0]!;
  }
  const get = async (url: string, cookie?: string) => {
    const res = await app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
    return { status: res.statusCode, type: String(res.headers['content-type']), json: () => res.json(), body: res.body };
  };
  /** The answer validates against what the contract declares for the operation and status. */
  const conforms = (operationId: string, status: number, body: unknown) => {
    const op = contract.operations.find((o) => o.id === operationId)!;
    const media = op.responses.find((r) => r.status === String(status))?.content[0];
    expect(media, `${operationId} declares ${status}`).toBeDefined();
    expect(validators.validate(contract, media!.schemaPointer!, body), `${operationId} ${status}`).toEqual([]);
  };
  type Config = { network_id: number; network_name: string; config: string; location_mfa_mode: string };

  it('gives a user device one file per location it has an address in, leaving out MFA locations', async () => {
    // bob-phone (2) has addresses at headquarters and in the lab, which requires MFA.
    const res = await get('/api/v1/device/2/config', admin);
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^application\/json/);
    const configs: Config[] = res.json();
    conforms('userDeviceConfigs', 200, configs);
    expect(configs.map((c) => [c.network_id, c.network_name, c.location_mfa_mode])).toEqual([[1, 'Headquarters', 'disabled']]);
    const hq = configs[0]!.config;
    expect(hq).toContain('Address = 10.10.0.3');
    expect(hq).toContain('PublicKey = HAoTpf5xoAKm6VKqnDmt2moP6pZ4PX+GFx0q2L446f0=');
    expect(hq).toContain('Endpoint = vpn.example.org:51820');
    expect(hq).toContain('DNS = 10.10.0.1');
    // The same file the per-location download gives.
    expect((await get('/api/v1/network/1/device/2/config', admin)).body).toBe(hq);
  });

  it('lists every non-MFA location, and follows the location when it changes', async () => {
    const lab = (await get('/api/v1/network/2', admin)).json();
    const { gateways: _g, has_devices: _h, id: _id, connected_at: _c, pubkey: _p, ...editable } = lab;
    const edited = await app.inject({ method: 'PUT', url: '/api/v1/network/2', headers: { cookie: admin, 'user-agent': 'Mozilla/5.0' }, payload: { ...editable, address: editable.address.join(','), allowed_ips: editable.allowed_ips.join(','), location_mfa_mode: 'disabled' } });
    expect(edited.statusCode, edited.body).toBe(200);
    const configs: Config[] = (await get('/api/v1/device/2/config', admin)).json();
    expect(configs.map((c) => c.network_name)).toEqual(['Headquarters', 'Developers lab']);
    const file = configs[1]!.config;
    expect(file).toContain('Address = 10.20.0.3,fd00:20::3');
    expect(file).toContain('Endpoint = lab.vpn.example.org:51821');
    expect(file).toContain('PublicKey = 3OdBe4sy1JrUXuD3vH59574XsKMZvD81uhz3Y9BBzJY=');
  });

  it('gives a network device the file for its location', async () => {
    const res = await get('/api/v1/device/network/4/config', admin);
    expect(res.status).toBe(200);
    const configs: Config[] = res.json();
    conforms('networkDeviceConfigs', 200, configs);
    expect(configs).toHaveLength(1);
    expect(configs[0]).toMatchObject({ network_id: 1, network_name: 'Headquarters', location_mfa_mode: 'disabled' });
    expect(configs[0]!.config).toContain('Address = 10.10.0.100');
    expect(configs[0]!.config).toContain('Endpoint = vpn.example.org:51820');
    expect(configs[0]!.config).toContain('PublicKey = HAoTpf5xoAKm6VKqnDmt2moP6pZ4PX+GFx0q2L446f0=');
    // The network device's own details route stays what it was.
    expect((await get('/api/v1/device/network/4', admin)).json()).toMatchObject({ id: 4, name: 'office-printer' });
  });

  it('a device added through the API is downloadable at once, and gone once deleted', async () => {
    const headers = { cookie: admin, 'user-agent': 'Mozilla/5.0' };
    const added = await app.inject({ method: 'POST', url: '/api/v1/device/network', headers, payload: { name: 'lobby-camera', description: null, location_id: 1, assigned_ips: ['10.10.0.150'], wireguard_pubkey: 'xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=' } });
    expect(added.statusCode, added.body).toBe(201);
    const id = added.json().device.id as number;
    const [config] = (await get(`/api/v1/device/network/${id}/config`, admin)).json() as Config[];
    expect(config!.config).toBe(added.json().config.config);
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/device/network/${id}`, headers })).statusCode).toBe(200);
    const gone = await get(`/api/v1/device/network/${id}/config`, admin);
    expect(gone.status).toBe(404);
    expect(gone.json()).toEqual({ msg: `device id ${id} not found` });
  });

  it('answers an unknown device with the declared not-found', async () => {
    for (const [operationId, url] of [['userDeviceConfigs', '/api/v1/device/99/config'], ['networkDeviceConfigs', '/api/v1/device/network/99/config']] as const) {
      const res = await get(url, admin);
      expect(res.status, url).toBe(404);
      expect(res.json()).toEqual({ msg: 'device id 99 not found' });
      conforms(operationId, 404, res.json());
      const op = contract.operations.find((o) => o.id === operationId)!;
      expect(isNotFoundAnswer(res.status, op.responses.find((r) => r.status === '404')), operationId).toBe(true);
    }
  });

  it('lets a user download their own device but answers another user’s as unknown (admins: any)', async () => {
    const alice = await login('alice', 'Alice-passw0rd!');
    const own = await get('/api/v1/device/1/config', alice);
    expect(own.status).toBe(200);
    expect((own.json() as Config[])[0]!.config).toContain('Address = 10.10.0.2');
    // bob's phone and the admin's printer are not alice's: 404, as for an unknown id.
    for (const url of ['/api/v1/device/2/config', '/api/v1/device/network/4/config']) {
      const res = await get(url, alice);
      expect(res.status, url).toBe(404);
      expect(res.json().msg).toMatch(/^device id \d not found$/);
    }
    // The admin may download alice's device.
    expect((await get('/api/v1/device/1/config', admin)).status).toBe(200);
  });

  it('refuses a request without a credential, and a non-numeric id, as declared', async () => {
    for (const [operationId, url] of [['userDeviceConfigs', '/api/v1/device/1/config'], ['networkDeviceConfigs', '/api/v1/device/network/4/config']] as const) {
      const anonymous = await get(url);
      expect(anonymous.status).toBe(401);
      conforms(operationId, 401, anonymous.json());
    }
    expect((await get('/api/v1/device/abc/config', admin)).status).toBe(400);
    expect((await get('/api/v1/device/network/abc/config', admin)).status).toBe(400);
  });
});
