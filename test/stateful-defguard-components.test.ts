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
const MINUTE = 60_000;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('Defguard stateful mock: proxies, gateways, statistics, SNAT, static IPs, workers, ACL apply, group edits', () => {
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

  /** A session of an ordinary user (alice) through the web UI's password login. */
  const aliceSession = async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth', payload: { username: 'alice', password: 'Alice-passw0rd!' }, headers: { 'user-agent': 'Mozilla/5.0' } });
    expect(res.statusCode, res.body).toBe(200);
    return String(res.headers['set-cookie']).split(';')[0]!;
  };
  const call = async (method: string, url: string, payload?: unknown, cookie?: string) => {
    const headers = cookie ? { cookie, 'user-agent': 'Mozilla/5.0' } : { authorization: `Bearer ${token}`, 'user-agent': 'Mozilla/5.0' };
    const res = await app.inject({ method: method as never, url, headers, payload: payload as never });
    return { status: res.statusCode, body: res.body, type: String(res.headers['content-type']), json: () => (res.body === '' ? undefined : res.json()) };
  };
  /** Answers with the status, and the body validates against what the contract declares for it. */
  const ok = async (operationId: string, method: string, url: string, status: number, payload?: unknown, cookie?: string) => {
    const res = await call(method, url, payload, cookie);
    expect(res.status, `${operationId}: ${res.body}`).toBe(status);
    const op = contract.operations.find((o) => o.id === operationId)!;
    const media = op.responses.find((r) => r.status === String(status))?.content[0];
    expect(media, `${operationId} declares ${status}`).toBeDefined();
    if (media!.schemaPointer && /json/.test(media!.mediaType)) expect(validators.validate(contract, media!.schemaPointer, res.json()), `${operationId} ${status}`).toEqual([]);
    return /json/.test(res.type) ? res.json() : res.body;
  };
  const state = async () => (await app.inject({ method: 'GET', url: '/__control/state' })).json();

  describe('proxies', () => {
    it('lists, reads, renames, disables and deletes the seeded proxy; an unknown one is a 404 null', async () => {
      const list = await ok('proxyList', 'GET', '/api/v1/proxy', 200);
      expect(list).toHaveLength(1);
      expect(list[0]).not.toHaveProperty('core_client_cert_expiry');
      expect(await ok('proxyDetails', 'GET', '/api/v1/proxy/1', 200)).toMatchObject({ id: 1, name: 'edge-1', enabled: true });
      const changed = await ok('updateProxy', 'PUT', '/api/v1/proxy/1', 200, { name: 'edge-eu', enabled: false });
      // The admin who changed it is recorded by full name.
      expect(changed).toMatchObject({ name: 'edge-eu', enabled: false, modified_by: 'Contract Runner' });
      expect((await ok('proxyList', 'GET', '/api/v1/proxy', 200))[0]).toMatchObject({ name: 'edge-eu', enabled: false });
      expect(await ok('deleteProxy', 'DELETE', '/api/v1/proxy/1', 200)).toBeNull();
      expect(await ok('proxyDetails', 'GET', '/api/v1/proxy/1', 404)).toBeNull();
      expect(await ok('updateProxy', 'PUT', '/api/v1/proxy/1', 404, { name: 'x', enabled: true })).toBeNull();
      expect(await ok('deleteProxy', 'DELETE', '/api/v1/proxy/1', 404)).toBeNull();
      expect(await ok('proxyList', 'GET', '/api/v1/proxy', 200)).toEqual([]);
    });

    it('is for admins only', async () => {
      const alice = await aliceSession();
      expect((await call('GET', '/api/v1/proxy', undefined, alice)).status).toBe(403);
      expect((await call('PUT', '/api/v1/proxy/1', { name: 'x', enabled: false }, alice)).status).toBe(403);
    });
  });

  describe('gateways', () => {
    it('adopts a gateway into a location, reads it back everywhere, changes and deletes it', async () => {
      const all = await ok('gatewayList', 'GET', '/api/v1/gateway', 200);
      expect(all).toEqual([expect.objectContaining({ id: 1, location_id: 1, location_name: 'Headquarters', connected: true })]);
      const adopted = await ok('adoptGateway', 'POST', '/api/v1/network/2/gateways/adopt', 201, { name: 'lab-gw', ip_or_domain: 'https://gw.lab.example.org', grpc_port: 50066 });
      // The scheme is stripped; a fresh gateway has not connected yet.
      expect(adopted).toMatchObject({ location_id: 2, name: 'lab-gw', address: 'gw.lab.example.org', port: 50066, connected_at: null, enabled: true, modified_by: 'Contract Runner' });
      expect(adopted.certificate_serial).toMatch(/^[0-9a-f]{32}$/);
      const id = adopted.id;
      expect(await ok('gatewayDetails', 'GET', `/api/v1/gateway/${id}`, 200)).toEqual(adopted);
      const inLab = await ok('gatewayStatus', 'GET', '/api/v1/network/2/gateways', 200);
      expect(inLab).toEqual([expect.objectContaining({ id, location_name: 'Developers lab', connected: false })]);
      expect((await ok('allGatewaysStatus', 'GET', '/api/v1/network/gateways', 200)).map((g: Json) => g.id)).toEqual([1, id]);
      expect((await ok('networkDetails', 'GET', '/api/v1/network/2', 200)).gateways.map((g: Json) => g.id)).toEqual([id]);

      const updated = await ok('updateGateway', 'PUT', `/api/v1/gateway/${id}`, 200, { name: 'lab-gw-2', enabled: false });
      expect(updated).toMatchObject({ name: 'lab-gw-2', enabled: false, modified_at: adopted.modified_at });
      expect(await ok('deleteGateway', 'DELETE', `/api/v1/gateway/${id}`, 200)).toBeNull();
      expect(await ok('gatewayDetails', 'GET', `/api/v1/gateway/${id}`, 404)).toBeNull();
      expect(await ok('updateGateway', 'PUT', `/api/v1/gateway/${id}`, 404, { name: 'x', enabled: true })).toEqual({ msg: `Gateway ${id} not found` });
      expect(await ok('deleteGateway', 'DELETE', `/api/v1/gateway/${id}`, 404)).toEqual({ msg: `Gateway ${id} not found` });
      // An unknown location has no gateways, as the server's filtered query answers.
      expect(await ok('gatewayStatus', 'GET', '/api/v1/network/99/gateways', 200)).toEqual([]);
    });

    it('refuses what the adoption checks refuse with 400 and the reason', async () => {
      const adopt = (body: Json) => ok('adoptGateway', 'POST', '/api/v1/network/1/gateways/adopt', 400, body);
      expect(await adopt({ name: 'x', ip_or_domain: 'gw.vpn.example.org', grpc_port: 50066 })).toEqual({ msg: 'A Gateway with URL gw.vpn.example.org:50066 is already registered with name "hq-gateway".' });
      expect(await adopt({ name: 'x', ip_or_domain: 'gw2.example.org', grpc_port: 0 })).toEqual({ msg: 'grpc_port must not be 0' });
      expect(await adopt({ name: 'x', ip_or_domain: 'gw2.example.org:50066', grpc_port: 50066 })).toEqual({ msg: "'gw2.example.org:50066' must not include a port; provide the port in the grpc_port field" });
      expect(await adopt({ name: 'x', ip_or_domain: 'gw2.example.org/setup', grpc_port: 50066 })).toEqual({ msg: "'gw2.example.org/setup' must not include a path component" });
      expect((await ok('adoptGateway', 'POST', '/api/v1/network/99/gateways/adopt', 400, { name: 'x', ip_or_domain: 'gw9.example.org', grpc_port: 1 })).msg).toMatch(/^Failed to save Gateway/);
      expect(await ok('gatewayList', 'GET', '/api/v1/gateway', 200)).toHaveLength(1);
    });

    it('streams the setup steps as server-sent events, then Done, and the gateway exists', async () => {
      const res = await call('GET', '/api/v1/network/1/gateways/setup?common_name=hq-gw-2&ip_or_domain=10.10.0.254&grpc_port=50067');
      expect(res.status).toBe(200);
      expect(res.type).toMatch(/^text\/event-stream/);
      const events = res.body.split('\n\n').filter(Boolean).map((e) => JSON.parse(e.replace(/^data: /, '')));
      expect(events.map((e) => e.step)).toEqual(['CheckingConfiguration', 'CheckingAvailability', 'CheckingVersion', 'CheckingVersion', 'ObtainingCsr', 'SigningCertificate', 'ConfiguringTls', 'Done']);
      expect(events[3]).toMatchObject({ version: '2.0.0', error: false });
      expect(events.every((e) => e.error === false)).toBe(true);
      expect((await ok('gatewayStatus', 'GET', '/api/v1/network/1/gateways', 200)).map((g: Json) => g.name)).toEqual(['hq-gateway', 'hq-gw-2']);
      // The same address again: the stream ends with an error event at the first step.
      const again = await call('GET', '/api/v1/network/1/gateways/setup?common_name=x&ip_or_domain=10.10.0.254&grpc_port=50067');
      const last = JSON.parse(again.body.trim().split('\n\n').at(-1)!.replace(/^data: /, ''));
      expect(last).toMatchObject({ step: 'CheckingConfiguration', error: true, message: 'A Gateway with URL 10.10.0.254:50067 is already registered with name "hq-gw-2".' });
    });

    it('leaves no gateway or SNAT binding behind when their location is deleted', async () => {
      await ok('adoptGateway', 'POST', '/api/v1/network/2/gateways/adopt', 201, { name: 'lab-gw', ip_or_domain: 'gw.lab.example.org', grpc_port: 50066 });
      expect(await ok('listSnatBindings', 'GET', '/api/v1/network/2/snat', 200)).toHaveLength(1);
      await ok('deleteNetwork', 'DELETE', '/api/v1/network/2', 200);
      expect((await ok('gatewayList', 'GET', '/api/v1/gateway', 200)).map((g: Json) => g.location_id)).toEqual([1]);
      const snapshot = await state();
      expect(snapshot.gateways.map((g: Json) => g.location_id)).toEqual([1]);
      expect(snapshot.snatBindings).toEqual([]);
    });
  });

  describe('statistics', () => {
    it('derives the overview from the connected devices: deterministic, in minute rows over the last hour', async () => {
      const a = await ok('locationsOverviewStats', 'GET', '/api/v1/network/stats', 200);
      // Connected: alice's and bob's devices (both locations), the admin's (headquarters), the printer.
      expect(a).toMatchObject({ current_active_users: 3, current_active_user_devices: 3, current_active_network_devices: 1, active_users: 3 });
      expect(a.transfer_series.length).toBeGreaterThan(0);
      expect(a.transfer_series.length).toBeLessThanOrEqual(61);
      expect(a.transfer_series.every((r: Json) => /:\d{2}:00$/.test(r.collected_at))).toBe(true);
      expect(a.upload).toBe(a.transfer_series.reduce((s: number, r: Json) => s + r.upload, 0));
      expect(a.download).toBeGreaterThan(a.upload);
    });

    it('sums per hour when the window is six hours or longer, and refuses a start in the future', async () => {
      const from = new Date(Date.now() - 7 * 60 * MINUTE).toISOString();
      const hourly = await ok('locationStats', 'GET', `/api/v1/network/1/stats?from=${encodeURIComponent(from)}`, 200);
      expect(hourly.transfer_series.every((r: Json) => /:00:00$/.test(r.collected_at))).toBe(true);
      expect(hourly.transfer_series.length).toBeLessThanOrEqual(3);
      const future = new Date(Date.now() + 60 * MINUTE).toISOString();
      expect(await ok('locationStats', 'GET', `/api/v1/network/1/stats?from=${encodeURIComponent(future)}`, 400)).toEqual({});
      expect(await ok('locationStats', 'GET', '/api/v1/network/99/stats', 404)).toEqual({ msg: 'Requested location (99) not found' });
    });

    it('lists connected users, their devices and the network devices of a location', async () => {
      const users = await ok('locationConnectedUsers', 'GET', '/api/v1/network/2/stats/connected_users', 200);
      expect(users.data.map((u: Json) => [u.user_id, u.full_name, u.connected_devices_count, u.vpn_ips])).toEqual([
        [2, 'Alice Smith', 1, ['10.20.0.2', 'fd00:20::2']],
        [3, 'Bob Jones', 1, ['10.20.0.3', 'fd00:20::3']],
      ]);
      expect(users.pagination).toMatchObject({ current_page: 1, total_items: 2 });
      const paged = await ok('locationConnectedUsers', 'GET', '/api/v1/network/2/stats/connected_users?page=2&per_page=1', 200);
      expect(paged.data.map((u: Json) => u.user_id)).toEqual([3]);
      const devices = await ok('locationConnectedUserDevices', 'GET', '/api/v1/network/1/stats/connected_users/2/devices', 200);
      expect(devices).toEqual([expect.objectContaining({ device_id: 1, device_name: 'alice-laptop', public_ip: '198.51.100.2', vpn_ips: ['10.10.0.2'] })]);
      expect(devices[0].total_upload).toBe(devices[0].stats.reduce((s: number, r: Json) => s + r.upload, 0));
      expect(await ok('locationConnectedUserDevices', 'GET', '/api/v1/network/1/stats/connected_users/999/devices', 200)).toEqual([]);
      const network = await ok('locationConnectedNetworkDevices', 'GET', '/api/v1/network/1/stats/connected_network_devices', 200);
      expect(network.data.map((d: Json) => d.device_name)).toEqual(['office-printer']);
      for (const url of ['/api/v1/network/99/stats/connected_users', '/api/v1/network/99/stats/connected_users/2/devices', '/api/v1/network/99/stats/connected_network_devices']) {
        expect((await call('GET', url)).status).toBe(404);
      }
    });

    it('follows the state: a disabled user’s devices and an unconfigured network device are not connected', async () => {
      const user = (await ok('getUser', 'GET', '/api/v1/user/bob', 200)).user;
      await ok('modifyUser', 'PUT', '/api/v1/user/bob', 200, { ...user, is_active: false });
      await ok('startNetworkDeviceSetup', 'POST', '/api/v1/device/network/start_cli', 201, { name: 'sensor', location_id: 1, assigned_ips: ['10.10.0.120'] });
      const stats = await ok('locationsOverviewStats', 'GET', '/api/v1/network/stats', 200);
      expect(stats).toMatchObject({ current_active_users: 2, current_active_network_devices: 1 });
    });

    it('is for admins only', async () => {
      expect((await call('GET', '/api/v1/network/stats', undefined, await aliceSession())).status).toBe(403);
    });
  });

  describe('SNAT bindings', () => {
    it('creates, lists, changes and deletes a binding addressed by location and user', async () => {
      expect(await ok('listSnatBindings', 'GET', '/api/v1/network/2/snat', 200)).toEqual([{ id: 1, user_id: 2, location_id: 2, public_ip: '203.0.113.20' }]);
      const created = await ok('createSnatBinding', 'POST', '/api/v1/network/2/snat', 201, { user_id: 3, public_ip: '203.0.113.30' });
      expect(created).toEqual({ id: 2, user_id: 3, location_id: 2, public_ip: '203.0.113.30' });
      expect(await ok('createSnatBinding', 'POST', '/api/v1/network/2/snat', 409, { user_id: 3, public_ip: '203.0.113.31' })).toEqual({ msg: 'Binding already exists' });
      expect(await ok('modifySnatBinding', 'PUT', '/api/v1/network/2/snat/3', 200, { public_ip: '2001:db8::0:1' })).toMatchObject({ id: 2, public_ip: '2001:db8::1' });
      expect((await ok('listSnatBindings', 'GET', '/api/v1/network/2/snat', 200)).map((b: Json) => b.public_ip)).toEqual(['203.0.113.20', '2001:db8::1']);
      expect(await ok('deleteSnatBinding', 'DELETE', '/api/v1/network/2/snat/3', 200)).toBeNull();
      expect(await ok('deleteSnatBinding', 'DELETE', '/api/v1/network/2/snat/3', 404)).toEqual({ msg: 'Binding not found' });
      expect(await ok('modifySnatBinding', 'PUT', '/api/v1/network/1/snat/3', 404, { public_ip: '203.0.113.1' })).toEqual({ msg: 'Binding not found' });
    });

    it('names the missing location or user, refuses an address that is not one, and goes with its user', async () => {
      expect(await ok('listSnatBindings', 'GET', '/api/v1/network/99/snat', 404)).toEqual({ msg: 'Location 99 not found' });
      expect(await ok('createSnatBinding', 'POST', '/api/v1/network/1/snat', 404, { user_id: 99, public_ip: '203.0.113.9' })).toEqual({ msg: 'User 99 not found' });
      expect(await ok('deleteSnatBinding', 'DELETE', '/api/v1/network/99/snat/2', 404)).toEqual({ msg: 'Location 99 not found' });
      expect((await call('POST', '/api/v1/network/1/snat', { user_id: 2, public_ip: '203.0.113' })).status).toBe(422);
      await ok('deleteUser', 'DELETE', '/api/v1/user/alice', 200);
      expect(await ok('listSnatBindings', 'GET', '/api/v1/network/2/snat', 200)).toEqual([]);
      expect((await call('GET', '/api/v1/network/2/snat', undefined, await aliceSessionOr403())).status).toBe(403);
    });
  });

  // alice is gone in the test above; bob is an ordinary user too.
  const aliceSessionOr403 = async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth', payload: { username: 'bob', password: 'Bob-passw0rd!' }, headers: { 'user-agent': 'Mozilla/5.0' } });
    return String(res.headers['set-cookie']).split(';')[0]!;
  };

  describe('static addresses', () => {
    it('pins a device’s address in a location, checked as any chosen address is', async () => {
      expect(await ok('validateIpAssignment', 'POST', '/api/v1/device/user/alice/ip/validate', 200, { device_id: 1, ip: '10.10.0.50', location: 1 })).toEqual({ message: 'IP assignment is valid' });
      expect(await ok('assignStaticIps', 'POST', '/api/v1/device/user/alice/ip', 200, [{ device_id: 1, location_id: 1, ips: ['10.10.0.50'] }])).toEqual({ message: 'Static IPs assigned successfully' });
      const ips = await ok('getDeviceIps', 'GET', '/api/v1/device/user/alice/ip/1', 200);
      expect(ips.locations.find((l: Json) => l.location_id === 1).wireguard_ips.map((w: Json) => w.ip)).toEqual(['10.10.0.50']);
      // Taken now, by device 1: bob's device may not have it, device 1 itself may.
      expect(await ok('validateIpAssignment', 'POST', '/api/v1/device/user/bob/ip/validate', 400, { device_id: 2, ip: '10.10.0.50', location: 1 })).toEqual({ msg: 'IP address 10.10.0.50 is already assigned in location Headquarters' });
      await ok('validateIpAssignment', 'POST', '/api/v1/device/user/alice/ip/validate', 200, { device_id: 1, ip: '10.10.0.50', location: 1 });
      expect(await ok('validateIpAssignment', 'POST', '/api/v1/device/user/alice/ip/validate', 400, { device_id: 1, ip: '10.10.0.1', location: 1 })).toEqual({ msg: 'IP address 10.10.0.1 is reserved for Gateway in location Headquarters' });
      expect(await ok('validateIpAssignment', 'POST', '/api/v1/device/user/alice/ip/validate', 400, { device_id: 1, ip: '10.10.0.5', location: 99 })).toEqual({ msg: 'Network (location) with ID 99 not found' });
    });

    it('assigns all or nothing, and only where the device already has addresses', async () => {
      // The admin's device has no address in the lab (not a developer).
      expect(await ok('assignStaticIps', 'POST', '/api/v1/device/user/admin/ip', 400, [{ device_id: 3, location_id: 2, ips: ['10.20.0.50'] }])).toEqual({ msg: 'Device 3 is not assigned to network 2' });
      const bad = [
        { device_id: 1, location_id: 1, ips: ['10.10.0.60'] },
        { device_id: 2, location_id: 1, ips: ['10.10.0.60'] },
      ];
      expect((await ok('assignStaticIps', 'POST', '/api/v1/device/user/alice/ip', 400, bad)).msg).toBe('IP address 10.10.0.60 is already assigned in location Headquarters');
      // The first assignment of the refused request did not happen.
      const ips = await ok('getDeviceIps', 'GET', '/api/v1/device/user/alice/ip/1', 200);
      expect(ips.locations.find((l: Json) => l.location_id === 1).wireguard_ips.map((w: Json) => w.ip)).toEqual(['10.10.0.2']);
      expect((await call('POST', '/api/v1/device/user/alice/ip', [{ device_id: 1, location_id: 1, ips: ['10.10.0'] }])).status).toBe(422);
      expect((await call('POST', '/api/v1/device/user/alice/ip', [], await aliceSession())).status).toBe(403);
    });
  });

  describe('network device setup and imported devices', () => {
    it('reserves an unconfigured network device and hands out CLI tokens for it', async () => {
      const started = await ok('startNetworkDeviceSetup', 'POST', '/api/v1/device/network/start_cli', 201, { name: 'sensor', description: 'Lab sensor', location_id: 1, assigned_ips: ['10.10.0.120'] });
      expect(started.enrollment_token).toMatch(/^[A-Za-z0-9]{32}$/);
      expect(started.enrollment_url).toBe('https://enrollment.example.com/');
      const sensor = (await ok('listNetworkDevices', 'GET', '/api/v1/device/network', 200)).data.find((d: Json) => d.name === 'sensor');
      expect(sensor).toMatchObject({ configured: false, assigned_ips: ['10.10.0.120'], location: { id: 1, name: 'Headquarters' }, added_by: 'runner' });
      const again = await ok('startNetworkDeviceSetupForDevice', 'POST', `/api/v1/device/network/start_cli/${sensor.id}`, 201);
      expect(again.enrollment_token).not.toBe(started.enrollment_token);
      // The address is taken now.
      expect((await ok('startNetworkDeviceSetup', 'POST', '/api/v1/device/network/start_cli', 400, { name: 'x', location_id: 1, assigned_ips: ['10.10.0.120'] })).msg).toBe('IP address 10.10.0.120 is already assigned in location Headquarters');
      expect(await ok('startNetworkDeviceSetup', 'POST', '/api/v1/device/network/start_cli', 400, { name: 'x', location_id: 99, assigned_ips: ['10.10.0.121'] })).toEqual({ msg: 'Failed to add device, network not found' });
      expect((await ok('startNetworkDeviceSetupForDevice', 'POST', '/api/v1/device/network/start_cli/999', 400)).msg).toMatch(/device not found$/);
      expect((await ok('startNetworkDeviceSetupForDevice', 'POST', '/api/v1/device/network/start_cli/1', 400)).msg).toMatch(/is not a network device/);
    });

    it('maps the peers of an imported location to users', async () => {
      const config = '[Interface]\nAddress = 10.40.0.1/24\nListenPort = 51840\n';
      const imported = await ok('importNetwork', 'POST', '/api/v1/network/import', 201, { name: 'Imported', endpoint: 'imported.example.org', config, allow_all_groups: true, allowed_groups: [] });
      const id = imported.network.id;
      expect(await call('POST', `/api/v1/network/${id}/devices`, { devices: [] })).toMatchObject({ status: 204 });
      const mapped = { devices: [{ user_id: 2, name: 'alice-old-laptop', wireguard_pubkey: KEY, wireguard_ips: ['10.40.0.77'] }] };
      expect(await ok('addUserDevices', 'POST', `/api/v1/network/${id}/devices`, 201, mapped)).toEqual({});
      const alice = await ok('getAllUserDeviceIps', 'GET', '/api/v1/device/user/alice/ip', 200);
      const there = alice.locations.find((l: Json) => l.location_id === id);
      expect(there.devices.find((d: Json) => d.device_name === 'alice-old-laptop').wireguard_ips.map((w: Json) => w.ip)).toEqual(['10.40.0.77']);
      // It also got an address in the other locations alice may use.
      expect(alice.locations.filter((l: Json) => l.devices.some((d: Json) => d.device_name === 'alice-old-laptop'))).toHaveLength(3);
      expect(await ok('addUserDevices', 'POST', '/api/v1/network/99/devices', 404, mapped)).toEqual({ msg: 'Network 99 not found' });
      const badKey = { devices: [{ user_id: 2, name: 'x', wireguard_pubkey: 'not-a-key', wireguard_ips: ['10.40.0.78'] }, { user_id: 3, name: 'y', wireguard_pubkey: KEY2, wireguard_ips: ['10.40.0.79'] }] };
      expect(await ok('addUserDevices', 'POST', `/api/v1/network/${id}/devices`, 400, badKey)).toEqual({ msg: 'Invalid device pubkey: not-a-key' });
      expect((await ok('listDevices', 'GET', '/api/v1/device', 200)).some((d: Json) => d.name === 'y')).toBe(false);
    });
  });

  describe('YubiKey provisioning workers', () => {
    it('queues a job, finishes it after the first status read, and the user then has the key', async () => {
      expect(await ok('listWorkers', 'GET', '/api/v1/worker', 200)).toEqual([{ id: 'yubikey-bridge', ip: '192.168.10.5', connected: true }]);
      const { id } = await ok('createJob', 'POST', '/api/v1/worker/job', 201, { username: 'bob', worker: 'yubikey-bridge' });
      expect(id).toBe(1);
      expect(await ok('jobStatus', 'GET', `/api/v1/worker/${id}`, 200)).toBeNull();
      const done = await ok('jobStatus', 'GET', `/api/v1/worker/${id}`, 200);
      expect(done).toEqual({ success: true, serial: '17000001', error: '' });
      // The new key is one of bob's YubiKeys, after the one the seed gives him.
      const bobsKeys = async () => (await state()).yubikeys.filter((k: Json) => k.user_id === 3);
      const before = (await bobsKeys()).filter((k: Json) => k.serial !== '17000001');
      expect((await bobsKeys()).find((k: Json) => k.serial === '17000001')).toMatchObject({ name: `YubiKey ${before.length + 1}`, serial: '17000001', user_id: 3 });
      // User records in answers do not carry the keys.
      expect((await ok('getUser', 'GET', '/api/v1/user/bob', 200)).user).not.toHaveProperty('yubikeys');
      // A second key is the user's next.
      const second = (await ok('createJob', 'POST', '/api/v1/worker/job', 201, { username: 'bob', worker: 'yubikey-bridge' })).id;
      await call('GET', `/api/v1/worker/${second}`);
      expect((await bobsKeys()).map((k: Json) => k.name)).toEqual([...before.map((k: Json) => k.name), `YubiKey ${before.length + 1}`, `YubiKey ${before.length + 2}`]);
    });

    it('lets users queue jobs for themselves only and read only their own results', async () => {
      const alice = await aliceSession();
      expect(await ok('createJob', 'POST', '/api/v1/worker/job', 403, { username: 'bob', worker: 'yubikey-bridge' }, alice)).toEqual({ msg: 'Cannot schedule jobs for other users' });
      const mine = (await ok('createJob', 'POST', '/api/v1/worker/job', 201, { username: 'alice', worker: 'yubikey-bridge' }, alice)).id;
      await ok('jobStatus', 'GET', `/api/v1/worker/${mine}`, 200, undefined, alice);
      expect(await ok('jobStatus', 'GET', `/api/v1/worker/${mine}`, 200, undefined, alice)).toMatchObject({ success: true });
      const bobs = (await ok('createJob', 'POST', '/api/v1/worker/job', 201, { username: 'bob', worker: 'yubikey-bridge' })).id;
      await call('GET', `/api/v1/worker/${bobs}`);
      expect((await call('GET', `/api/v1/worker/${bobs}`, undefined, alice)).status).toBe(403);
      expect((await call('GET', '/api/v1/worker', undefined, alice)).status).toBe(403);
      expect(await ok('createJob', 'POST', '/api/v1/worker/job', 404, { username: 'nobody', worker: 'yubikey-bridge' })).toEqual({ msg: 'user nobody not found' });
    });

    it('answers an unknown worker with job id 0, an unknown job with null, and removes workers', async () => {
      expect(await ok('createJob', 'POST', '/api/v1/worker/job', 201, { username: 'bob', worker: 'nope' })).toEqual({ id: 0 });
      expect(await ok('jobStatus', 'GET', '/api/v1/worker/0', 200)).toBeNull();
      expect(await ok('jobStatus', 'GET', '/api/v1/worker/12345', 200)).toBeNull();
      const { token: jwt } = await ok('createWorkerToken', 'GET', '/api/v1/worker/token', 201);
      const [, claims] = jwt.split('.');
      expect(JSON.parse(Buffer.from(claims, 'base64url').toString())).toMatchObject({ sub: 'runner' });
      expect(await ok('removeWorker', 'DELETE', '/api/v1/worker/yubikey-bridge', 200)).toBeNull();
      expect(await ok('removeWorker', 'DELETE', '/api/v1/worker/yubikey-bridge', 404)).toEqual({ msg: 'worker_id yubikey-bridge not found' });
      expect(await ok('listWorkers', 'GET', '/api/v1/worker', 200)).toEqual([]);
    });
  });

  describe('ACL counts and apply', () => {
    it('counts aliases and destinations by state and applies pending edits, all or nothing', async () => {
      expect(await ok('countAclAliases', 'GET', '/api/v1/acl/alias/count', 200)).toEqual({ applied: 1, pending: 0 });
      await ok('updateAclAlias', 'PUT', '/api/v1/acl/alias/1', 200, { name: 'DNS', addresses: '10.20.0.53', ports: '53', protocols: [17] });
      expect(await ok('countAclAliases', 'GET', '/api/v1/acl/alias/count', 200)).toEqual({ applied: 0, pending: 1 });
      // An unknown id in the list: nothing is applied.
      expect(await ok('applyAclAliases', 'PUT', '/api/v1/acl/alias/apply', 404, { aliases: [1, 999] })).toEqual({ msg: 'Alias 999 not found' });
      expect((await ok('getAclAlias', 'GET', '/api/v1/acl/alias/1', 200)).state).toBe('Modified');
      expect(await ok('applyAclAliases', 'PUT', '/api/v1/acl/alias/apply', 200, { aliases: [1] })).toBeNull();
      expect(await ok('getAclAlias', 'GET', '/api/v1/acl/alias/1', 200)).toMatchObject({ state: 'Applied', addresses: '10.20.0.53' });
      expect(await ok('applyAclAliases', 'PUT', '/api/v1/acl/alias/apply', 400, { aliases: [1] })).toEqual({ msg: 'Alias 1 already applied' });
      expect(await ok('countAclDestinations', 'GET', '/api/v1/acl/destination/count', 200)).toEqual({ applied: 1, pending: 0 });
      expect(await ok('applyAclDestinations', 'PUT', '/api/v1/acl/destination/apply', 400, { destinations: [2] })).toEqual({ msg: 'Destination 2 already applied' });
    });

    it('counts rules as applied or pending and applies new and modified ones', async () => {
      expect(await ok('countAclRules', 'GET', '/api/v1/acl/rule/count', 200)).toEqual({ applied: 1, pending: 0 });
      const body = (await ok('getAclRule', 'GET', '/api/v1/acl/rule/1', 200)) as Json;
      const { id: _id, parent_id: _p, state: _s, modified_at: _m, modified_by: _b, ...edit } = body;
      const created = await ok('createAclRule', 'POST', '/api/v1/acl/rule', 201, { ...edit, name: 'Second' });
      await ok('updateAclRule', 'PUT', '/api/v1/acl/rule/1', 200, { ...edit, name: 'Renamed' });
      expect(await ok('countAclRules', 'GET', '/api/v1/acl/rule/count', 200)).toEqual({ applied: 0, pending: 2 });
      expect(await ok('applyAclRules', 'PUT', '/api/v1/acl/rule/apply', 400, { rules: [created.id, created.id] })).toEqual({ msg: `Rule ${created.id} already applied` });
      expect(await ok('applyAclRules', 'PUT', '/api/v1/acl/rule/apply', 404, { rules: [999] })).toEqual({ msg: 'Rule 999 not found' });
      expect(await ok('applyAclRules', 'PUT', '/api/v1/acl/rule/apply', 200, { rules: [1, created.id] })).toBeNull();
      expect(await ok('getAclRule', 'GET', `/api/v1/acl/rule/${created.id}`, 200)).toMatchObject({ state: 'Applied', modified_by: 'runner' });
      expect(await ok('countAclRules', 'GET', '/api/v1/acl/rule/count', 200)).toEqual({ applied: 2, pending: 0 });
    });
  });

  describe('group edits', () => {
    it('renames a group and replaces its members; the users’ groups and addresses follow', async () => {
      expect(await ok('modifyGroup', 'PUT', '/api/v1/group/2', 200, { name: 'engineers', members: ['alice', 'nobody'], is_admin: false })).toBeNull();
      expect(await ok('getGroup', 'GET', '/api/v1/group/2', 200)).toMatchObject({ name: 'engineers', members: ['alice'] });
      expect((await ok('getUser', 'GET', '/api/v1/user/bob', 200)).user.groups).toEqual([]);
      expect((await ok('getUser', 'GET', '/api/v1/user/alice', 200)).user.groups).toEqual(['engineers']);
      // The lab allowed the group by name: alice keeps her lab addresses, bob loses his.
      expect((await ok('networkDetails', 'GET', '/api/v1/network/2', 200)).allowed_groups).toEqual(['engineers']);
      expect((await ok('getAllUserDeviceIps', 'GET', '/api/v1/device/user/bob/ip', 200)).locations.map((l: Json) => l.location_name)).toEqual(['Headquarters']);
      expect((await ok('getAllUserDeviceIps', 'GET', '/api/v1/device/user/alice/ip', 200)).locations).toHaveLength(2);
      expect(await ok('modifyGroup', 'PUT', '/api/v1/group/99', 404, { name: 'x', members: [], is_admin: false })).toEqual({ msg: 'Group 99 not found' });
      expect(await ok('modifyGroup', 'PUT', '/api/v1/group/2', 400, { name: 'admin', members: [], is_admin: false })).toEqual({ msg: 'group name is taken' });
    });

    it('keeps the admin flag on the last admin group', async () => {
      expect(await ok('modifyGroup', 'PUT', '/api/v1/group/1', 400, { name: 'admin', members: ['admin', 'runner'], is_admin: false })).toEqual({});
      expect((await ok('getGroup', 'GET', '/api/v1/group/1', 200)).is_admin).toBe(true);
      // Making another group an admin group first allows it.
      // (The runner joins it too, to stay an admin.)
      await ok('modifyGroup', 'PUT', '/api/v1/group/2', 200, { name: 'developers', members: ['alice', 'bob', 'runner'], is_admin: true });
      expect((await ok('getUser', 'GET', '/api/v1/user/alice', 200)).user.is_admin).toBe(true);
      await ok('modifyGroup', 'PUT', '/api/v1/group/1', 200, { name: 'admin', members: ['admin', 'runner'], is_admin: false });
      // Now developers is the last admin group.
      expect(await ok('modifyGroup', 'PUT', '/api/v1/group/2', 400, { name: 'developers', members: ['alice', 'runner'], is_admin: false })).toEqual({});
    });

    it('assigns users to groups in bulk; unknown users or groups refuse all', async () => {
      expect(await ok('bulkAssignToGroups', 'POST', '/api/v1/groups-assign', 200, { groups: ['developers', 'admin'], users: [1] })).toEqual({});
      expect((await ok('getUser', 'GET', '/api/v1/user/admin', 200)).user.groups).toEqual(['admin', 'developers']);
      expect(await ok('bulkAssignToGroups', 'POST', '/api/v1/groups-assign', 400, { groups: ['developers'], users: [3, 99] })).toEqual({ msg: "Request contained users that doesn't exists in db." });
      expect(await ok('bulkAssignToGroups', 'POST', '/api/v1/groups-assign', 400, { groups: ['nope'], users: [3] })).toEqual({ msg: "Request contained groups that doesn't exists in db." });
      expect((await call('POST', '/api/v1/groups-assign', { groups: ['admin'], users: [2] }, await aliceSession())).status).toBe(403);
    });
  });
});
