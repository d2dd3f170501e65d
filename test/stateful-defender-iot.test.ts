import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knownEventTypes } from '../mocks/defender-iot-sensor/events.ts';
import { buildStatefulMockFor } from '../mocks/registry.ts';
import { selectApis } from '../src/core/contract/discover.ts';
import { loadContract } from '../src/core/contract/load.ts';
import type { Contract } from '../src/core/contract/model.ts';
import { projectPaths } from '../src/core/paths.ts';
import { validators } from '../src/core/validate/cache.ts';

const paths = projectPaths();
const load = async (api: string) => loadContract(selectApis(paths, [api])[0]!);

async function issue(app: FastifyInstance, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/__control/credentials', payload: { class: 'valid', ...extra } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().token;
}

/** A client of one mock: GET with the raw token, and a check that a body matches the declared response. */
function client(app: () => FastifyInstance, contract: () => Contract, token: () => string) {
  const get = (url: string) => app().inject({ method: 'GET', url, headers: { authorization: token() } });
  const send = (method: string, url: string, payload?: object) => app().inject({ method: method as never, url, headers: { authorization: token() }, payload });
  const valid = (operationId: string, status: number, body: unknown) => {
    const op = contract().operations.find((o) => o.id === operationId)!;
    const pointer = op.responses.find((r) => r.status === String(status))!.content[0]!.schemaPointer!;
    return validators.validate(contract(), pointer, body);
  };
  /** GET that must answer 200 with a body the contract accepts; returns the body. */
  const list = async (operationId: string, url: string) => {
    const res = await get(url);
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    expect(valid(operationId, 200, res.json()), url).toEqual([]);
    return res.json();
  };
  return { get, send, valid, list };
}

type Conn = { firstDeviceId: number; secondDeviceId: number; discovered: number; lastSeen: number };
type Cve = { cveId: string; ipAddress: string; score: string };
type Ev = { timestamp: number; type: string };

describe('Defender for IoT sensor stateful mock', () => {
  let app: FastifyInstance;
  let contract: Contract;
  let token: string;
  const c = client(() => app, () => contract, () => token);
  beforeAll(async () => {
    contract = await load('defender-iot-sensor');
    app = await buildStatefulMockFor(contract);
    token = await issue(app);
  });
  afterAll(() => app.close());

  it('connections and CVEs refer to devices of the device list', async () => {
    const devices: Array<{ id: number; ipAddresses: string[] | null }> = await c.list('listDevices', '/api/v1/devices');
    const ids = new Set(devices.map((d) => d.id));
    const addresses = new Set(devices.flatMap((d) => d.ipAddresses ?? []));
    const connections: Conn[] = await c.list('listConnections', '/api/v1/devices/connections');
    expect(connections.length).toBeGreaterThan(0);
    for (const conn of connections) expect([ids.has(conn.firstDeviceId), ids.has(conn.secondDeviceId)]).toEqual([true, true]);
    const cves: Cve[] = await c.list('listCves', '/api/v1/devices/cves');
    expect(cves.length).toBeGreaterThan(0);
    for (const cve of cves) expect(addresses.has(cve.ipAddress), cve.ipAddress).toBe(true);
  });

  it('narrows connections by activity and discovery time, on the full list and per device', async () => {
    const all: Conn[] = await c.list('listConnections', '/api/v1/devices/connections');
    const recent: Conn[] = await c.list('listConnections', '/api/v1/devices/connections?lastActiveInMinutes=20');
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.length).toBeLessThan(all.length);
    for (const conn of recent) expect(conn.lastSeen).toBeGreaterThanOrEqual(Date.now() - 20 * 60_000 - 5_000);

    const times = all.map((x) => x.discovered).sort((a, b) => a - b);
    const middle = times[1]!;
    const before: Conn[] = await c.list('listConnections', `/api/v1/devices/connections?discoveredBefore=${middle}`);
    const after: Conn[] = await c.list('listConnections', `/api/v1/devices/connections?discoveredAfter=${middle}`);
    expect(before.every((x) => x.discovered < middle)).toBe(true);
    expect(after.every((x) => x.discovered > middle)).toBe(true);
    expect(before.length + after.length).toBe(all.length - 1);

    const ews: Conn[] = await c.list('listDeviceConnections', '/api/v1/devices/6/connections');
    expect(ews.length).toBeGreaterThan(1);
    expect(ews.every((x) => x.firstDeviceId === 6 || x.secondDeviceId === 6)).toBe(true);
    const ewsRecent: Conn[] = await c.list('listDeviceConnections', '/api/v1/devices/6/connections?lastActiveInMinutes=20');
    expect(ewsRecent.length).toBeGreaterThan(0);
    expect(ewsRecent.length).toBeLessThan(ews.length);
  });

  it('answers an unknown device id with an empty list (no not-found answer is declared)', async () => {
    const res = await c.get('/api/v1/devices/9999/connections');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([]);
    expect((await c.get('/api/v1/devices/10.99.99.99/cves')).json()).toEqual([]);
  });

  it('returns the top CVEs per address, highest score first, and per device address', async () => {
    const all: Cve[] = await c.list('listCves', '/api/v1/devices/cves');
    const scores = all.map((x) => Number(x.score));
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const top1: Cve[] = await c.list('listCves', '/api/v1/devices/cves?top=1');
    const perAddress = new Map<string, Cve[]>();
    for (const cve of all) perAddress.set(cve.ipAddress, [...(perAddress.get(cve.ipAddress) ?? []), cve]);
    expect(top1).toHaveLength(perAddress.size);
    for (const cve of top1) expect(cve.score).toBe(perAddress.get(cve.ipAddress)![0]!.score);

    const ews: Cve[] = await c.list('listDeviceCves', '/api/v1/devices/192.168.110.20/cves');
    expect(ews.length).toBe(perAddress.get('192.168.110.20')!.length);
    expect(ews.every((x) => x.ipAddress === '192.168.110.20')).toBe(true);
    const ewsTop2: Cve[] = await c.list('listDeviceCves', '/api/v1/devices/192.168.110.20/cves?top=2');
    expect(ewsTop2.map((x) => x.cveId)).toEqual(ews.slice(0, 2).map((x) => x.cveId));
  });

  it('lists the event timeline newest first, within a time frame (capped at three days) and of one type', async () => {
    const all: Ev[] = await c.list('listEvents', '/api/v1/events');
    expect(all.map((e) => e.timestamp)).toEqual([...all.map((e) => e.timestamp)].sort((a, b) => b - a));
    const hour: Ev[] = await c.list('listEvents', '/api/v1/events?minutesTimeFrame=60');
    expect(hour.length).toBeGreaterThan(0);
    expect(hour.length).toBeLessThan(all.length);
    expect(hour.every((e) => e.timestamp >= Date.now() - 60 * 60_000 - 5_000)).toBe(true);
    const capped: Ev[] = await c.list('listEvents', '/api/v1/events?minutesTimeFrame=100000');
    expect(capped).toEqual(await c.list('listEvents', '/api/v1/events?minutesTimeFrame=4320'));
    expect(capped.length).toBeLessThan(all.length);

    const back: Ev[] = await c.list('listEvents', '/api/v1/events?type=BACK_TO_NORMAL');
    expect(back.length).toBeGreaterThan(0);
    expect(back.every((e) => e.type === 'BACK_TO_NORMAL')).toBe(true);
    expect(await c.list('listEvents', '/api/v1/events?type=USER_LOGIN')).toEqual([]);
    // An unknown type is ignored, not rejected.
    expect(await c.list('listEvents', '/api/v1/events?type=NO_SUCH_TYPE')).toEqual(all);
  });

  it('narrows alerts by kind and names the devices of version 2 alerts by their address', async () => {
    const all: Array<{ id: number }> = await c.list('listAlertsV1', '/api/v1/alerts');
    const gone: Array<{ title: string }> = await c.list('listAlertsV1', '/api/v1/alerts?type=disconnections');
    expect(gone.length).toBeGreaterThan(0);
    expect(gone.length).toBeLessThan(all.length);
    expect(gone.every((a) => /disconnect/i.test(a.title))).toBe(true);
    const fresh: Array<{ title: string }> = await c.list('listAlertsV1', '/api/v1/alerts?type=unexpected%20new%20devices');
    expect(fresh.map((a) => a.title)).toEqual(['New Asset Detected']);
    expect(await c.list('listAlertsV1', '/api/v1/alerts?type=whatever')).toEqual(all);

    const v2: Array<{ id: number; sourceDeviceAddress: string | null; destinationDeviceAddress: string | null }> = await c.list('listAlertsV2', '/api/v2/alerts');
    expect(v2.find((a) => a.id === 2)).toMatchObject({ sourceDeviceAddress: '192.168.110.131', destinationDeviceAddress: '192.168.110.132' });
  });

  it('rejects bad query and path values with the declared 400', async () => {
    for (const url of ['/api/v1/devices/cves?top=0', '/api/v1/devices/connections?lastActiveInMinutes=-1', '/api/v1/devices/abc/connections', '/api/v1/events?minutesTimeFrame=soon', '/api/v1/devices/connections?discoveredAfter=yesterday']) {
      const res = await c.get(url);
      expect(res.statusCode, url).toBe(400);
      expect(c.valid('listCves', 400, res.json())).toEqual([]);
    }
  });

  it('takes its data from a seed and gives it back in the snapshot', async () => {
    const snapshot = (await app.inject({ method: 'GET', url: '/__control/state' })).json();
    expect(Object.keys(snapshot).sort()).toEqual(['alerts', 'connections', 'cves', 'devices', 'events', 'handled', 'users']);
    const again = await buildStatefulMockFor(contract, { seed: snapshot });
    expect((await again.inject({ method: 'GET', url: '/__control/state' })).json()).toEqual(snapshot);
    await again.close();

    const seeded = await buildStatefulMockFor(contract, { seed: { connections: [{ firstDeviceId: 3, secondDeviceId: 4, discovered: 1, lastSeen: 2 }], cves: [] } });
    const h = { authorization: await issue(seeded) };
    expect((await seeded.inject({ method: 'GET', url: '/api/v1/devices/3/connections', headers: h })).json()).toEqual([{ firstDeviceId: 3, secondDeviceId: 4, discovered: 1, lastSeen: 2 }]);
    expect((await seeded.inject({ method: 'GET', url: '/api/v1/devices/cves', headers: h })).json()).toEqual([]);
    await seeded.close();
  });

  it('moves the times of seed records written as of `timesAsOf` to start-up, and keeps the others', async () => {
    const asOf = Date.UTC(2025, 0, 1);
    const seeded = await buildStatefulMockFor(contract, {
      seed: {
        connections: [
          { firstDeviceId: 3, secondDeviceId: 4, discovered: asOf - 60 * 60_000, lastSeen: asOf - 5 * 60_000, timesAsOf: asOf },
          { firstDeviceId: 6, secondDeviceId: 4, discovered: 1, lastSeen: 2 },
        ],
        events: [{ timestamp: asOf - 10 * 60_000, type: 'BACK_TO_NORMAL', title: 'Back to Normal', severity: 'INFO', owner: null, content: 'x', timesAsOf: asOf }],
      },
    });
    const h = { authorization: await issue(seeded) };
    const started = Date.now();
    const connections: Conn[] = (await seeded.inject({ method: 'GET', url: '/api/v1/devices/connections', headers: h })).json();
    expect(connections.map((x) => Object.keys(x).includes('timesAsOf'))).toEqual([false, false]);
    expect(Math.abs(connections[0]!.lastSeen - (started - 5 * 60_000))).toBeLessThan(5_000);
    expect(connections[0]!.lastSeen - connections[0]!.discovered).toBe(55 * 60_000);
    expect(connections[1]).toMatchObject({ discovered: 1, lastSeen: 2 });
    const recent: Ev[] = (await seeded.inject({ method: 'GET', url: '/api/v1/events?minutesTimeFrame=15', headers: h })).json();
    expect(recent.map((e) => e.type)).toEqual(['BACK_TO_NORMAL']);
    await seeded.close();
  });

  it('refuses to start on a seed record that does not follow the contract, naming the record', async () => {
    await expect(buildStatefulMockFor(contract, { seed: { events: [{ timestamp: -1, type: 'SCAN', title: 'Scan', severity: 'INFO', content: 'x' }] } })).rejects.toThrow(/events\[0\].*timestamp/);
  });
});

describe('the sensor event filter', () => {
  it('reads the documented event types from the contract, and fails loudly when the contract has none', async () => {
    const contract = await load('defender-iot-sensor');
    expect(knownEventTypes(contract).has('BACK_TO_NORMAL')).toBe(true);
    const document = structuredClone(contract.document) as { components: { schemas: Record<string, unknown> } };
    document.components.schemas.EventType = { type: 'string' };
    expect(() => knownEventTypes({ ...contract, document })).toThrow(/EventType has no list of event types/);
  });
});

type V1Device = { id: number; name: string; sensorId: number; zoneId: number; siteId: number; authorized: boolean; ipAddresses: string[] | null };
type Alert = { id: number; handled: boolean; time: number; sensorId: number; zoneId: number; siteId?: number; sourceDevice?: number | null };
type IntDevice = { u_id: number; u_name: string; u_first_discovered: number; u_last_update: number; u_sensor_ids: Array<{ u_sensor_id: number }>; u_ip_address_objects: Array<{ u_ip_address: string }> };
type LogEntry = { id: number; ticketId: string; tokenName: string; operationType: string; ttl: number | null; dateTime: string; engines: string[] | null };

describe('Defender for IoT management console stateful mock', () => {
  let app: FastifyInstance;
  let contract: Contract;
  let token: string;
  const c = client(() => app, () => contract, () => token);
  beforeAll(async () => {
    contract = await load('defender-iot-management');
    app = await buildStatefulMockFor(contract);
    token = await issue(app, { name: 'patch-tuesday' });
  });
  afterAll(() => app.close());

  it('narrows the device list by each filter', async () => {
    const all: V1Device[] = await c.list('listDevices', '/external/v1/devices');
    const cases: Array<[string, (d: V1Device) => boolean]> = [
      ['authorized=false', (d) => !d.authorized],
      ['siteId=2', (d) => d.siteId === 2],
      ['zoneId=2', (d) => d.zoneId === 2],
      ['sensorId=1', (d) => d.sensorId === 1],
      ['sensorId=1&sensorId=5', (d) => d.sensorId === 1 || d.sensorId === 5],
    ];
    for (const [query, keep] of cases) {
      const some: V1Device[] = await c.list('listDevices', `/external/v1/devices?${query}`);
      expect(some.length, query).toBeGreaterThan(0);
      expect(some.length, query).toBeLessThan(all.length);
      expect(some.map((d) => d.id), query).toEqual(all.filter(keep).map((d) => d.id));
    }
  });

  it('shows the same devices through the integration API, and 404 for an unknown id', async () => {
    const all: V1Device[] = await c.list('listDevices', '/external/v1/devices');
    const feed: { u_count: number; u_devices: IntDevice[] } = await c.list('listIntegrationDevices', '/external/v3/integration/devices/0');
    expect(feed.u_devices.map((d) => d.u_id).sort()).toEqual(all.map((d) => d.id).sort());
    for (const d of all) {
      const one = await c.list('getIntegrationDevice', `/external/v3/integration/device/${d.id}`);
      const device: IntDevice = Array.isArray(one) ? one[0] : one;
      expect(device).toMatchObject({ u_id: d.id, u_name: d.name, u_sensor_ids: [{ u_sensor_id: d.sensorId }] });
      expect(device.u_ip_address_objects.map((o) => o.u_ip_address)).toEqual(d.ipAddresses ?? []);
    }
    const missing = await c.get('/external/v3/integration/device/424242');
    expect(missing.statusCode).toBe(404);
    expect(c.valid('getIntegrationDevice', 404, missing.json())).toEqual([]);
    const deleted: Array<{ u_id: number }> = await c.list('listIntegrationDeletedDevices', '/external/v3/integration/deleteddevices/0');
    expect(deleted.length).toBeGreaterThan(0);
    expect(deleted.some((d) => all.some((x) => x.id === d.u_id))).toBe(false);
  });

  it('pages the integration device feed and narrows it by time, sensor and notification type', async () => {
    const all: { u_count: number; u_devices: IntDevice[] } = await c.list('listIntegrationDevices', '/external/v3/integration/devices/0');
    expect(all.u_count).toBe(all.u_devices.length);
    const pages: IntDevice[] = [];
    for (let page = 0; page < 3; page++) {
      const one: { u_count: number; u_devices: IntDevice[] } = await c.list('listIntegrationDevices', `/external/v3/integration/devices/0?page=${page}&size=2`);
      expect(one.u_count).toBe(all.u_count);
      expect(one.u_devices.length).toBeLessThanOrEqual(2);
      pages.push(...one.u_devices);
    }
    expect(pages.map((d) => d.u_id)).toEqual(all.u_devices.map((d) => d.u_id));
    expect((await c.list('listIntegrationDevices', '/external/v3/integration/devices/0?page=9&size=2')).u_devices).toEqual([]);

    const since = 1664782880000;
    const recent: { u_count: number; u_devices: IntDevice[] } = await c.list('listIntegrationDevices', `/external/v3/integration/devices/${since}`);
    expect(recent.u_count).toBeGreaterThan(0);
    expect(recent.u_count).toBeLessThan(all.u_count);
    expect(recent.u_devices.every((d) => d.u_last_update > since)).toBe(true);
    const fresh: IntDevice[] = (await c.list('listIntegrationDevices', `/external/v3/integration/devices/${since}?notificationType=1`)).u_devices;
    const updated: IntDevice[] = (await c.list('listIntegrationDevices', `/external/v3/integration/devices/${since}?notificationType=2`)).u_devices;
    expect(fresh.length).toBeGreaterThan(0);
    expect(updated.length).toBeGreaterThan(0);
    expect(fresh.every((d) => d.u_first_discovered > since) && updated.every((d) => d.u_first_discovered <= since)).toBe(true);
    expect(fresh.length + updated.length).toBe(recent.u_count);
    const sensor3: IntDevice[] = (await c.list('listIntegrationDevices', '/external/v3/integration/devices/0?sensorId=3')).u_devices;
    expect(sensor3.length).toBeGreaterThan(0);
    expect(sensor3.every((d) => d.u_sensor_ids.some((s) => s.u_sensor_id === 3))).toBe(true);
  });

  it('names connection ends as the device list does and narrows connections by time', async () => {
    const devices: V1Device[] = await c.list('listDevices', '/external/v1/devices');
    const name = new Map(devices.map((d) => [d.id, d.name]));
    type C = { u_src_device_id: number; u_src_device_name: string; u_dest_device_id: number; u_dest_device_name: string };
    const all: { u_count: number; u_connections: C[] } = await c.list('listIntegrationConnections', '/external/v3/integration/connections/0');
    expect(all.u_count).toBe(all.u_connections.length);
    for (const conn of all.u_connections) {
      expect(conn.u_src_device_name).toBe(name.get(conn.u_src_device_id));
      expect(conn.u_dest_device_name).toBe(name.get(conn.u_dest_device_id));
    }
    const recent: { u_count: number } = await c.list('listIntegrationConnections', '/external/v3/integration/connections/1664786000000');
    expect(recent.u_count).toBeGreaterThan(0);
    expect(recent.u_count).toBeLessThan(all.u_count);
    const paged: { u_count: number; u_connections: C[] } = await c.list('listIntegrationConnections', '/external/v3/integration/connections/0?page=1&size=3');
    expect(paged.u_connections).toEqual(all.u_connections.slice(3, 6));
  });

  it('lists device CVEs by minimum score, device ids and sensor', async () => {
    type D = { u_id: number; u_cves: Array<{ u_score: string }> };
    const all: { u_count: number; u_device_cves: D[] } = await c.list('listIntegrationDeviceCves', '/external/v3/integration/devicecves/0');
    expect(all.u_count).toBe(all.u_device_cves.length);
    const devices: V1Device[] = await c.list('listDevices', '/external/v1/devices');
    for (const d of all.u_device_cves) expect(devices.some((x) => x.id === d.u_id)).toBe(true);
    const count = (page: { u_device_cves: D[] }) => page.u_device_cves.reduce((n, d) => n + d.u_cves.length, 0);
    const severe: { u_device_cves: D[] } = await c.list('listIntegrationDeviceCves', '/external/v3/integration/devicecves/0?score=9.5');
    expect(count(severe)).toBeLessThan(count(all));
    expect(severe.u_device_cves.every((d) => d.u_cves.every((x) => Number(x.u_score) >= 9.5))).toBe(true);
    const one: { u_device_cves: D[] } = await c.list('listIntegrationDeviceCves', '/external/v3/integration/devicecves/0?deviceIds=181');
    expect(one.u_device_cves.map((d) => d.u_id)).toEqual([181]);
    const bySensor: { u_device_cves: D[] } = await c.list('listIntegrationDeviceCves', '/external/v3/integration/devicecves/0?sensorId=3');
    expect(bySensor.u_device_cves.map((d) => d.u_id)).toEqual([135]);
    const paged: { u_count: number; u_device_cves: D[] } = await c.list('listIntegrationDeviceCves', '/external/v3/integration/devicecves/0?page=1&size=1');
    expect(paged.u_count).toBe(all.u_count);
    expect(paged.u_device_cves).toEqual(all.u_device_cves.slice(1, 2));
  });

  it('reflects alert actions in both alert lists and in the sensors counts', async () => {
    const all: Alert[] = await c.list('listAlertsV1', '/external/v1/alerts');
    const unhandledBefore: Alert[] = await c.list('listAlertsV1', '/external/v1/alerts?state=unhandled');
    const target = unhandledBefore.find((a) => a.id === 3)!;
    const sensorsBefore: Array<{ id: number; unhandledAlertsCount: number }> = await c.list('listAppliancesV1', '/external/v1/appliances');

    const put = await c.send('PUT', `/external/v1/alerts/${target.sensorId}-${target.time}`, { action: 'handle' });
    expect(put.json()).toEqual({ content: 'Alert update request finished successfully' });
    const handled: Alert[] = await c.list('listAlertsV1', '/external/v1/alerts?state=handled');
    expect(handled.map((a) => a.id)).toContain(3);
    const v2: Alert[] = await c.list('listAlertsV2', '/external/v2/alerts?state=handled');
    expect(v2.map((a) => a.id)).toEqual(handled.map((a) => a.id));
    expect(((await c.list('listAlertsV1', '/external/v1/alerts?state=unhandled')) as Alert[]).length).toBe(unhandledBefore.length - 1);
    expect(((await c.list('listAlertsV1', '/external/v1/alerts?state=anything')) as Alert[]).length).toBe(all.length);
    const sensorsAfter: Array<{ id: number; unhandledAlertsCount: number }> = await c.list('listAppliancesV2', '/external/v2/appliances');
    const before = sensorsBefore.find((s) => s.id === target.sensorId)!.unhandledAlertsCount;
    expect(sensorsAfter.find((s) => s.id === target.sensorId)!.unhandledAlertsCount).toBe(before - 1);

    const unknown = await c.send('PUT', '/external/v1/alerts/9-1000', { action: 'handle' });
    expect(unknown.statusCode).toBe(500);
    expect(unknown.json()).toEqual({ error: "Couldn't execute request because no alert was found for this UUID." });
  });

  it('narrows alerts by time, site, zone and sensor, and gives version 2 device addresses from the device list', async () => {
    const all: Alert[] = await c.list('listAlertsV1', '/external/v1/alerts');
    const cases: Array<[string, (a: Alert) => boolean]> = [
      ['fromTime=1594808260000', (a) => a.time >= 1594808260000],
      ['toTime=1594808260000', (a) => a.time < 1594808260000],
      ['siteId=2', (a) => a.siteId === 2],
      ['zoneId=2', (a) => a.zoneId === 2],
      ['sensorId=1', (a) => a.sensorId === 1],
      ['sensor=5', (a) => a.sensorId === 5],
    ];
    for (const [query, keep] of cases) {
      const some: Alert[] = await c.list('listAlertsV1', `/external/v1/alerts?${query}`);
      expect(some.length, query).toBeGreaterThan(0);
      expect(some.length, query).toBeLessThan(all.length);
      expect(some.map((a) => a.id), query).toEqual(all.filter(keep).map((a) => a.id));
      expect((await c.list('listAlertsV2', `/external/v2/alerts?${query}`)).map((a: Alert) => a.id), query).toEqual(some.map((a) => a.id));
    }
    const devices: V1Device[] = await c.list('listDevices', '/external/v1/devices');
    const v2: Array<Alert & { sourceDeviceAddress: string | null; sensorName: string }> = await c.list('listAlertsV2', '/external/v2/alerts');
    const sensors: Array<{ id: number; name: string }> = await c.list('listAppliancesV1', '/external/v1/appliances');
    for (const a of v2) {
      const source = devices.find((d) => d.id === a.sourceDevice);
      expect(a.sourceDeviceAddress).toBe(source?.ipAddresses?.[0] ?? null);
      expect(a.sensorName).toBe(sensors.find((s) => s.id === a.sensorId)!.name);
    }
  });

  it('keeps the sensors lists in step with each other and with the devices', async () => {
    const appliances: Array<{ id: number; deviceCount: number; alertCount: number }> = await c.list('listAppliancesV1', '/external/v1/appliances');
    const sensors: Array<{ u_id: number; u_device_count: number; u_alert_count: number }> = await c.list('listIntegrationSensors', '/external/v3/integration/sensors');
    const devices: V1Device[] = await c.list('listDevices', '/external/v1/devices');
    expect(sensors.map((s) => [s.u_id, s.u_device_count, s.u_alert_count])).toEqual(appliances.map((a) => [a.id, a.deviceCount, a.alertCount]));
    for (const a of appliances) expect(a.deviceCount).toBe(devices.filter((d) => d.sensorId === a.id).length);
  });

  it('logs each open, update and close of a maintenance window, with filters', async () => {
    const ticketId = 'CHG-2024-0042';
    const window = { ticketId, ttl: '30', engines: ['MALWARE'], sensorIds: ['3'], subnets: ['10.10.0.0/16'] };
    expect((await c.send('POST', '/external/v1/maintenanceWindow', window)).statusCode).toBe(201);
    expect((await c.send('PUT', '/external/v1/maintenanceWindow', { ticketId, ttl: 45 })).statusCode).toBe(200);
    const closed = await c.send('DELETE', '/external/v1/maintenanceWindow', { ticketId });
    expect(closed.statusCode, closed.body).toBe(200);

    const mine: LogEntry[] = await c.list('listMaintenanceWindowLog', `/external/v1/maintenanceWindow?ticketId=${ticketId}`);
    expect(mine.map((e) => [e.operationType, e.ttl, e.tokenName])).toEqual([
      ['OPEN', 30, 'patch-tuesday'],
      ['UPDATE', 45, 'patch-tuesday'],
      ['CLOSE', null, 'patch-tuesday'],
    ]);
    expect(mine[0]!.engines).toEqual(['MALWARE']);
    const all: LogEntry[] = await c.list('listMaintenanceWindowLog', '/external/v1/maintenanceWindow');
    expect(all.length).toBeGreaterThan(mine.length);
    const today = new Date().toISOString().slice(0, 10);
    expect(await c.list('listMaintenanceWindowLog', `/external/v1/maintenanceWindow?fromDate=${today}`)).toEqual(mine);
    expect(((await c.list('listMaintenanceWindowLog', '/external/v1/maintenanceWindow?toDate=2022-12-31')) as LogEntry[]).every((e) => e.dateTime < '2023')).toBe(true);
    expect(await c.list('listMaintenanceWindowLog', '/external/v1/maintenanceWindow?tokenName=patch-tuesday')).toEqual(mine);

    const none = await c.get('/external/v1/maintenanceWindow?ticketId=no-such-ticket');
    expect(none.statusCode).toBe(204);
    expect(none.body).toBe('');
    expect((await c.get('/external/v1/maintenanceWindow?fromDate=23-04-2022')).statusCode).toBe(400);
  });

  it('refuses windows on unknown sensors and windows identical to an open one', async () => {
    const unknown = await c.send('POST', '/external/v1/maintenanceWindow', { ticketId: 'T-1', ttl: 10, sensorIds: ['77'] });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: 'Unknown sensor ID' });
    expect((await c.send('POST', '/external/v1/maintenanceWindow', { ticketId: 'T-2', ttl: 10, engines: ['ANOMALY'] })).statusCode).toBe(201);
    const twin = await c.send('POST', '/external/v1/maintenanceWindow', { ticketId: 'T-3', ttl: '10', engines: ['ANOMALY'] });
    expect(twin.statusCode).toBe(400);
    expect(twin.json()).toEqual({ error: 'Maintenance window with same parameters already exists.' });
    expect((await c.send('DELETE', '/external/v1/maintenanceWindow', { ticketId: 'T-2' })).statusCode).toBe(200);
  });

  it('rejects bad query and path values with the declared 400', async () => {
    const urls: Array<[string, string]> = [
      ['listIntegrationDevices', '/external/v3/integration/devices/0?page=abc'],
      ['listIntegrationDevices', '/external/v3/integration/devices/0?size=0'],
      ['listIntegrationDevices', '/external/v3/integration/devices/0?notificationType=5'],
      ['listIntegrationDevices', '/external/v3/integration/devices/yesterday'],
      ['listIntegrationDeviceCves', '/external/v3/integration/devicecves/0?score=11'],
      ['getIntegrationDevice', '/external/v3/integration/device/abc'],
      ['listDevices', '/external/v1/devices?authorized=maybe'],
      ['listAlertsV1', '/external/v1/alerts?fromTime=-1'],
    ];
    for (const [op, url] of urls) {
      const res = await c.get(url);
      expect(res.statusCode, url).toBe(400);
      expect(c.valid(op, 400, res.json()), url).toEqual([]);
    }
  });

  it('hands out the PCAP of an alert on the sensor that holds it, and 500 for an unknown alert', async () => {
    const pcap = await c.list('getAlertPcap', '/external/v2/alerts/pcap/4');
    expect(pcap).toMatchObject({ id: 4, xsenseId: 3, xsenseAlertId: 4, downloadUrl: 'https://10.1.0.3/api/v2/alerts/pcap/4' });
    const again = await c.list('getAlertPcap', '/external/v2/alerts/pcap/4');
    expect(again.token).not.toBe(pcap.token);
    const unknown = await c.get('/external/v2/alerts/pcap/999');
    expect(unknown.statusCode).toBe(500);
    expect(c.valid('getAlertPcap', 500, unknown.json())).toEqual([]);
    expect(unknown.json()).toEqual({ error: 'alert not found' });
  });

  it('takes its data from a seed and gives it back in the snapshot', async () => {
    const snapshot = (await app.inject({ method: 'GET', url: '/__control/state' })).json();
    const again = await buildStatefulMockFor(contract, { seed: snapshot });
    expect((await again.inject({ method: 'GET', url: '/__control/state' })).json()).toEqual(snapshot);
    const h = { authorization: await issue(again) };
    // Actions recorded before the restart still show.
    const handled: Alert[] = (await again.inject({ method: 'GET', url: '/external/v1/alerts?state=handled', headers: h })).json();
    expect(handled.map((a) => a.id)).toContain(3);
    await again.close();

    const seeded = await buildStatefulMockFor(contract, { seed: { alerts: [], deletedDevices: [] } });
    const h2 = { authorization: await issue(seeded) };
    expect((await seeded.inject({ method: 'GET', url: '/external/v1/alerts', headers: h2 })).json()).toEqual([]);
    expect((await seeded.inject({ method: 'GET', url: '/external/v3/integration/deleteddevices/0', headers: h2 })).json()).toEqual([]);
    expect((await seeded.inject({ method: 'GET', url: '/external/v1/devices', headers: h2 })).json().length).toBeGreaterThan(0);
    await seeded.close();
  });
});
