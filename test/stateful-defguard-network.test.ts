import type { FastifyInstance } from 'fastify';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildStatefulMockFor } from '../mocks/registry.ts';
import { selectApis } from '../src/core/contract/discover.ts';
import { loadContract } from '../src/core/contract/load.ts';
import type { Contract } from '../src/core/contract/model.ts';
import { projectPaths } from '../src/core/paths.ts';
import { validators } from '../src/core/validate/cache.ts';

const KEY = 'bVyVwzD/7Lk8lp9iB1U1dxcNXuVinz5/nbaXO85SaPY=';
const KEY2 = '+N9BVQznX/Nvul3ubGVJyO29HFhVlPwxE6B0PwmTNIQ=';

const network = (overrides: Record<string, unknown> = {}) => ({
  name: 'Branch office',
  address: '10.30.0.1/24',
  endpoint: 'branch.vpn.example.org',
  port: 51830,
  allowed_ips: '10.30.0.0/24,192.168.30.5/24',
  dns: '10.30.0.1',
  mtu: 1420,
  fwmark: 0,
  allow_all_groups: true,
  allowed_groups: [],
  keepalive_interval: 25,
  peer_disconnect_threshold: 300,
  acl_enabled: false,
  acl_default_allow: false,
  location_mfa_mode: 'disabled',
  service_location_mode: 'disabled',
  ...overrides,
});

describe('Defguard stateful mock: locations, devices and network devices', () => {
  let contract: Contract;
  let app: FastifyInstance;
  let token: string;

  beforeAll(async () => {
    contract = await loadContract(selectApis(projectPaths(), ['defguard'])[0]!);
  });
  beforeEach(async () => {
    app = await buildStatefulMockFor(contract, { rateLimit: false });
    token = (await app.inject({ method: 'POST', url: '/__control/credentials', payload: { class: 'valid' } })).json().token;
  });
  afterEach(() => app.close());

  const call = async (method: string, url: string, payload?: unknown) => {
    const res = await app.inject({ method: method as never, url, headers: { authorization: `Bearer ${token}` }, payload: payload as never });
    return { status: res.statusCode, body: res.body, json: () => res.json(), type: String(res.headers['content-type']) };
  };
  /** The body validates against the schema the contract declares for this operation and status. */
  const conforms = (operationId: string, status: number, body: unknown) => {
    const op = contract.operations.find((o) => o.id === operationId)!;
    const media = op.responses.find((r) => r.status === String(status))?.content[0];
    expect(media, `${operationId} declares ${status}`).toBeDefined();
    expect(validators.validate(contract, media!.schemaPointer!, body), `${operationId} ${status}`).toEqual([]);
  };
  const ok = async (operationId: string, method: string, url: string, status: number, payload?: unknown) => {
    const res = await call(method, url, payload);
    expect(res.status, res.body).toBe(status);
    conforms(operationId, status, res.json());
    return res.json();
  };

  it('seeds two locations and the users’ devices, each with addresses where its owner may connect', async () => {
    const locations = await ok('listNetworks', 'GET', '/api/v1/network', 200);
    expect(locations.map((n: { name: string }) => n.name)).toEqual(['Developers lab', 'Headquarters']);
    expect(await ok('countNetworks', 'GET', '/api/v1/network/count', 200)).toEqual({ count: 2 });
    expect(await ok('getLocationsDisplay', 'GET', '/api/v1/network/display', 200)).toEqual([
      { id: 1, display: 'Headquarters' },
      { id: 2, display: 'Developers lab' },
    ]);
    const devices = await ok('listDevices', 'GET', '/api/v1/device', 200);
    expect(devices.map((d: { name: string }) => d.name)).toEqual(['alice-laptop', 'bob-phone', 'admin-workstation', 'office-printer']);
    // alice is a developer: an address at headquarters and two (IPv4 and IPv6) in the lab.
    const alice = await ok('getAllUserDeviceIps', 'GET', '/api/v1/device/user/alice/ip', 200);
    expect(alice.locations.map((l: { location_name: string; devices: Array<{ wireguard_ips: Array<{ ip: string }> }> }) => [l.location_name, l.devices[0]!.wireguard_ips.map((w) => w.ip)])).toEqual([
      ['Developers lab', ['10.20.0.2', 'fd00:20::2']],
      ['Headquarters', ['10.10.0.2']],
    ]);
    // The admin is not in the developers group, so the workstation has no lab address.
    const admin = await ok('getDeviceIps', 'GET', '/api/v1/device/user/admin/ip/3', 200);
    expect(admin.locations.map((l: { location_id: number }) => l.location_id)).toEqual([1]);
    // User records list the user's own devices with their addresses per location.
    const record = await ok('getUser', 'GET', '/api/v1/user/alice', 200);
    expect(record.user.devices.map((d: { name: string; networks: Array<{ network_name: string; device_wireguard_ips: string[] }> }) => [d.name, d.networks.map((n) => [n.network_name, n.device_wireguard_ips])])).toEqual([
      ['alice-laptop', [['Headquarters', ['10.10.0.2']], ['Developers lab', ['10.20.0.2', 'fd00:20::2']]]],
    ]);
    const group = (await call('GET', '/api/v1/group/2')).json();
    expect(group.vpn_locations).toEqual(['Developers lab']);
    const state = (await app.inject({ method: 'GET', url: '/__control/state' })).json();
    expect(state.networks).toHaveLength(2);
    expect(state.devices).toHaveLength(4);
  });

  it('creates a location, reads it back, updates it, deletes it, and then answers 404', async () => {
    const created = await ok('createNetwork', 'POST', '/api/v1/network', 201, network());
    expect(created.address).toEqual(['10.30.0.1/24']);
    // Host bits of the routed networks are cleared, as the server does.
    expect(created.allowed_ips).toEqual(['10.30.0.0/24', '192.168.30.0/24']);
    expect(Buffer.from(created.pubkey, 'base64')).toHaveLength(32);
    const url = `/api/v1/network/${created.id}`;
    const read = await ok('networkDetails', 'GET', url, 200);
    expect(read).toMatchObject({ name: 'Branch office', endpoint: 'branch.vpn.example.org', gateways: [], allowed_groups: [], has_devices: true });
    expect((await ok('countNetworks', 'GET', '/api/v1/network/count', 200)).count).toBe(3);

    // Existing devices of allowed users got addresses in the new location; a new subnet re-addresses them.
    const before = await ok('getDeviceIps', 'GET', '/api/v1/device/user/alice/ip/1', 200);
    expect(before.locations.find((l: { location_id: number }) => l.location_id === created.id).wireguard_ips[0].ip).toBe('10.30.0.2');
    const updated = await ok('modifyNetwork', 'PUT', url, 200, network({ name: 'Branch', address: '172.16.5.1/28', allow_all_groups: false, allowed_groups: ['developers', 'no-such-group'] }));
    expect(updated).toMatchObject({ name: 'Branch', address: ['172.16.5.1/28'] });
    expect((await ok('networkDetails', 'GET', url, 200)).allowed_groups).toEqual(['developers']);
    const after = await ok('getAllUserDeviceIps', 'GET', '/api/v1/device/user/alice/ip', 200);
    const branch = after.locations.find((l: { location_id: number }) => l.location_id === created.id);
    expect(branch.devices[0].wireguard_ips[0]).toEqual({ ip: '172.16.5.2', network_part: '172.16.5.', modifiable_part: '2', network_prefix: '28' });
    // The admin is not a developer: their workstation lost its address there.
    const admin = await ok('getDeviceIps', 'GET', '/api/v1/device/user/admin/ip/3', 200);
    expect(admin.locations.map((l: { location_id: number }) => l.location_id)).toEqual([1]);

    expect((await call('DELETE', url)).status).toBe(200);
    const gone = await call('GET', url);
    expect(gone.status).toBe(404);
    expect(gone.json()).toBeNull();
    conforms('networkDetails', 404, null);
    for (const [method, payload] of [['PUT', network()], ['DELETE', undefined]] as const) {
      const res = await call(method, url, payload);
      expect(res.status, method).toBe(404);
      expect(res.json()).toEqual({ msg: `Network ${created.id} not found` });
    }
    expect((await ok('getAllUserDeviceIps', 'GET', '/api/v1/device/user/alice/ip', 200)).locations).toHaveLength(2);
  });

  it('adds a device with an address in every location its owner may use, updates it, serves its config, and deletes it', async () => {
    const added = await ok('addDevice', 'POST', '/api/v1/device/alice', 201, { name: 'alice-phone', wireguard_pubkey: KEY });
    expect(added.device).toMatchObject({ name: 'alice-phone', user_id: 2, device_type: 'user', configured: true });
    expect(added.configs.map((c: { network_name: string; address: string[] }) => [c.network_name, c.address])).toEqual([
      ['Headquarters', ['10.10.0.5']],
      ['Developers lab', ['10.20.0.4', 'fd00:20::4']],
    ]);
    expect(added.configs[0].endpoint).toBe('vpn.example.org:51820');
    const id = added.device.id;

    expect((await ok('getDevice', 'GET', `/api/v1/device/${id}`, 200)).name).toBe('alice-phone');
    const mine = await ok('listUserDevices', 'GET', '/api/v1/device/user/alice', 200);
    expect(mine.map((d: { name: string }) => d.name)).toEqual(['alice-laptop', 'alice-phone']);
    const modified = await ok('modifyDevice', 'PUT', `/api/v1/device/${id}`, 200, { name: 'alice-tablet', wireguard_pubkey: KEY2, description: 'iPad' });
    expect(modified).toMatchObject({ id, name: 'alice-tablet', wireguard_pubkey: KEY2, description: 'iPad' });
    expect((await ok('getDevice', 'GET', `/api/v1/device/${id}`, 200)).description).toBe('iPad');

    const config = await call('GET', `/api/v1/network/2/device/${id}/config`);
    expect(config.status).toBe(200);
    expect(config.type).toMatch(/^text\/plain/);
    expect(config.body).toContain('Address = 10.20.0.4,fd00:20::4');
    expect(config.body).toContain('Endpoint = lab.vpn.example.org:51821');
    expect(config.body).toContain('PublicKey = 3OdBe4sy1JrUXuD3vH59574XsKMZvD81uhz3Y9BBzJY=');
    expect(config.body).toContain('AllowedIPs = 10.20.0.0/24,fd00:20::/64');

    expect((await call('DELETE', `/api/v1/device/${id}`)).status).toBe(200);
    for (const url of [`/api/v1/device/${id}`, `/api/v1/network/1/device/${id}/config`]) {
      const res = await call('GET', url);
      expect(res.status, url).toBe(404);
      expect(res.json()).toEqual({ msg: `device id ${id} not found` });
    }
    expect((await call('DELETE', `/api/v1/device/${id}`)).status).toBe(404);
    // The freed address goes to the next device.
    const next = await ok('addDevice', 'POST', '/api/v1/device/bob', 201, { name: 'bob-laptop', wireguard_pubkey: KEY });
    expect(next.configs[0].address).toEqual(['10.10.0.5']);
  });

  it('devices follow group membership: leaving the allowed group takes the address away, rejoining gives one back', async () => {
    expect((await call('GET', '/api/v1/network/2/device/2/config')).status).toBe(200);
    expect((await call('DELETE', '/api/v1/group/2/user/bob')).status).toBe(200);
    const refused = await call('GET', '/api/v1/network/2/device/2/config');
    expect(refused.status).toBe(404);
    expect(refused.json()).toEqual({ msg: 'No IP address found for device: bob-phone(2)' });
    expect((await call('POST', '/api/v1/group/2', { username: 'bob' })).status).toBe(200);
    expect((await call('GET', '/api/v1/network/2/device/2/config')).body).toContain('Address = 10.20.0.3,fd00:20::3');
  });

  it('deleting a user removes their devices', async () => {
    expect((await call('DELETE', '/api/v1/user/bob')).status).toBe(200);
    const devices = await ok('listDevices', 'GET', '/api/v1/device', 200);
    expect(devices.map((d: { user_id: number }) => d.user_id)).not.toContain(3);
    expect((await call('GET', '/api/v1/device/2')).status).toBe(404);
    expect(await ok('listUserDevices', 'GET', '/api/v1/device/user/bob', 200)).toEqual([]);
  });

  it('adds a network device at a chosen address, reads it back, moves it, and deletes it', async () => {
    const free = await ok('findAvailableIps', 'GET', '/api/v1/device/network/ip/1', 200);
    expect(free).toEqual([{ ip: '10.10.0.5', network_part: '10.10.0.', modifiable_part: '5', network_prefix: '24' }]);
    const added = await ok('addNetworkDevice', 'POST', '/api/v1/device/network', 201, {
      name: 'branch-router',
      description: 'Edge router',
      location_id: 1,
      assigned_ips: ['10.10.0.50'],
      wireguard_pubkey: KEY,
    });
    expect(added.device).toMatchObject({ name: 'branch-router', assigned_ips: ['10.10.0.50'], added_by: 'runner', location: { id: 1, name: 'Headquarters' } });
    expect(added.config.config).toContain('Address = 10.10.0.50');
    const id = added.device.id;
    const url = `/api/v1/device/network/${id}`;
    expect((await ok('getNetworkDevice', 'GET', url, 200)).description).toBe('Edge router');
    const list = await ok('listNetworkDevices', 'GET', '/api/v1/device/network?per_page=1', 200);
    expect(list.data.map((d: { name: string }) => d.name)).toEqual(['branch-router']);
    expect(list.pagination).toMatchObject({ total_items: 2, total_pages: 2, next_page: 2 });

    const check = await ok('checkIpAvailability', 'POST', '/api/v1/device/network/ip/1', 200, { ips: ['10.10.0.50', '10.10.0.51', '10.10.0.1', '10.99.0.1', 'nonsense'] });
    expect(check).toEqual([
      { available: false, valid: true },
      { available: true, valid: true },
      { available: false, valid: true },
      { available: false, valid: false },
      { available: false, valid: false },
    ]);
    // Its own address counts as free for the device itself.
    expect(await ok('checkIpAvailability', 'POST', '/api/v1/device/network/ip/1', 200, { ips: ['10.10.0.50'], device_id: id })).toEqual([{ available: true, valid: true }]);

    const taken = await call('PUT', url, { name: 'branch-router', assigned_ips: ['10.10.0.2'] });
    expect(taken.status).toBe(400);
    expect(taken.json()).toEqual({ msg: 'IP address 10.10.0.2 is already assigned in location Headquarters' });
    const moved = await ok('modifyNetworkDevice', 'PUT', url, 200, { name: 'edge-router', description: null, assigned_ips: ['10.10.0.60'] });
    expect(moved).toMatchObject({ name: 'edge-router', description: null, assigned_ips: ['10.10.0.60'] });
    expect((await call('GET', `/api/v1/network/1/device/${id}/config`)).body).toContain('Address = 10.10.0.60');

    expect((await call('DELETE', url)).status).toBe(200);
    const gone = await call('GET', url);
    expect(gone.status).toBe(404);
    expect(gone.json()).toEqual({ msg: `Network device with ID ${id} not found` });
    expect((await call('PUT', url, { name: 'x', assigned_ips: [] })).status).toBe(404);
    expect((await call('DELETE', url)).status).toBe(404);
  });

  it('deleting a location removes its network devices and every address in it', async () => {
    expect((await call('DELETE', '/api/v1/network/1')).status).toBe(200);
    expect((await call('GET', '/api/v1/device/network/4')).status).toBe(404);
    const list = await ok('listNetworkDevices', 'GET', '/api/v1/device/network', 200);
    expect(list.data).toEqual([]);
    const admin = await ok('getDeviceIps', 'GET', '/api/v1/device/user/admin/ip/3', 200);
    expect(admin.locations).toEqual([]);
    // The device itself stays; it just has no address anywhere.
    expect((await call('GET', '/api/v1/device/3')).status).toBe(200);
  });

  it('refuses bad input with the declared 4xx', async () => {
    const cases: Array<[string, string, string, unknown, number, unknown]> = [
      ['networkDetails', 'GET', '/api/v1/network/99', undefined, 404, null],
      ['modifyNetwork', 'PUT', '/api/v1/network/99', network(), 404, { msg: 'Network 99 not found' }],
      ['downloadConfig', 'GET', '/api/v1/network/99/device/1/config', undefined, 404, { msg: 'Network 99 not found' }],
      ['downloadConfig', 'GET', '/api/v1/network/1/device/99/config', undefined, 404, { msg: 'device id 99 not found' }],
      ['findAvailableIps', 'GET', '/api/v1/device/network/ip/99', undefined, 400, { msg: 'Failed to find available IP, network not found' }],
      ['checkIpAvailability', 'POST', '/api/v1/device/network/ip/99', { ips: ['10.10.0.7'] }, 400, { msg: 'Failed to check IP availability, location not found' }],
      ['addNetworkDevice', 'POST', '/api/v1/device/network', { name: 'x', location_id: 99, assigned_ips: ['10.10.0.7'], wireguard_pubkey: KEY }, 400, { msg: 'Failed to add device, network not found' }],
      ['createNetwork', 'POST', '/api/v1/network', network({ address: 'not-an-address' }), 400, { msg: 'Must provide at least one valid network address' }],
      ['modifyDevice', 'PUT', '/api/v1/device/99', { name: 'x', wireguard_pubkey: KEY }, 404, { msg: 'device id 99 not found' }],
      ['addDevice', 'POST', '/api/v1/device/nobody', { name: 'x', wireguard_pubkey: KEY }, 404, { msg: 'user nobody not found' }],
      ['addDevice', 'POST', '/api/v1/device/alice', { name: 'x', wireguard_pubkey: '2Ha/aRn8M0TlGoOgGXp1pqRUp8uf6/zglpTtYSqPxC4=' }, 400, { msg: 'Failed to add device x, identical pubkey (2Ha/aRn8M0TlGoOgGXp1pqRUp8uf6/zglpTtYSqPxC4=) already exists' }],
      ['modifyDevice', 'PUT', '/api/v1/device/1', { name: 'x', wireguard_pubkey: 'HAoTpf5xoAKm6VKqnDmt2moP6pZ4PX+GFx0q2L446f0=' }, 400, { msg: "device's pubkey must be different from server's pubkey" }],
      ['createNetwork', 'POST', '/api/v1/network', network({ location_mfa_mode: 'internal', peer_disconnect_threshold: 60 }), 400, { msg: 'peer_disconnect_threshold must be at least 120 when location MFA is enabled' }],
      ['createNetwork', 'POST', '/api/v1/network', network({ allow_all_groups: false, allowed_groups: [] }), 400, { msg: 'At least one group must be specified when allow_all_groups is disabled' }],
      ['createNetwork', 'POST', '/api/v1/network', network({ address: '10.30.0.0/24' }), 400, { msg: 'address is network' }],
      ['modifyNetwork', 'PUT', '/api/v1/network/1', network({ address: 'not-an-address' }), 400, { msg: 'Must provide at least one valid network address' }],
      ['addNetworkDevice', 'POST', '/api/v1/device/network', { name: 'x', location_id: 1, assigned_ips: ['10.10.0.1'], wireguard_pubkey: KEY }, 400, { msg: 'IP address 10.10.0.1 is reserved for Gateway in location Headquarters' }],
      ['addNetworkDevice', 'POST', '/api/v1/device/network', { name: 'x', location_id: 1, assigned_ips: ['10.11.0.9'], wireguard_pubkey: KEY }, 400, { msg: 'Location Headquarters has no network that could contain IP address 10.11.0.9, available networks: [10.10.0.1/24]' }],
    ];
    for (const [operationId, method, url, payload, status, body] of cases) {
      const res = await call(method, url, payload);
      expect(res.status, `${operationId} ${url}`).toBe(status);
      expect(res.json(), `${operationId} ${url}`).toEqual(body);
      conforms(operationId, status, body);
    }
    // Bodies that break the schema are refused before any handler runs.
    for (const [url, payload] of [['/api/v1/network', { name: 'x' }], ['/api/v1/device/alice', { name: 'x' }], ['/api/v1/device/network', { name: 'x', location_id: 'one' }],
      // Not 32 bytes of canonical base64: the contract's key pattern refuses it.
      ['/api/v1/device/alice', { name: 'x', wireguard_pubkey: 'not-a-wireguard-key' }],
      ['/api/v1/device/alice', { name: 'x', wireguard_pubkey: KEY.slice(0, 42) + 'B=' }]] as const) {
      const res = await call('POST', url, payload);
      expect([400, 422], url).toContain(res.status);
    }
    expect((await call('GET', '/api/v1/network/abc')).status).toBe(400);
  });

  it('takes locations and devices from a seed, and restarting with the state as seed gives identical state', async () => {
    await call('POST', '/api/v1/device/alice', { name: 'alice-phone', wireguard_pubkey: KEY });
    await call('POST', '/api/v1/network', network());
    const snapshot = (await app.inject({ method: 'GET', url: '/__control/state' })).json();
    const second = await buildStatefulMockFor(contract, { seed: snapshot });
    expect((await second.inject({ method: 'GET', url: '/__control/state' })).json()).toEqual(snapshot);
    await second.close();

    // A seed device without addresses gets them as the server would assign them.
    const seeded = await buildStatefulMockFor(contract, {
      seed: {
        networks: [{ ...snapshot.networks[0], id: 7, name: 'Only', address: ['192.168.50.1/24'], allow_all_groups: true, allowed_groups: [] }],
        devices: [{ id: 9, name: 'carry-on', wireguard_pubkey: KEY, user_id: 2, created: '2025-01-02T03:04:05', device_type: 'user', description: null, configured: true }],
      },
    });
    const seedToken = (await seeded.inject({ method: 'POST', url: '/__control/credentials', payload: { class: 'valid' } })).json().token;
    const res = await seeded.inject({ method: 'GET', url: '/api/v1/network/7/device/9/config', headers: { authorization: `Bearer ${seedToken}` } });
    expect(res.body).toContain('Address = 192.168.50.2');
    await seeded.close();
  });
});
