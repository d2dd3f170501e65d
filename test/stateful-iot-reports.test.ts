import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { buildStatefulMockFor } from '../mocks/registry.ts';
import { selectApis } from '../src/core/contract/discover.ts';
import { loadContract } from '../src/core/contract/load.ts';
import type { Contract } from '../src/core/contract/model.ts';
import { projectPaths } from '../src/core/paths.ts';
import { validators } from '../src/core/validate/cache.ts';

type Rec = Record<string, any>;
const SEED = YAML.parse(fs.readFileSync(new URL('../mocks/defender-iot-sensor/seed.yaml', import.meta.url), 'utf8')) as Rec;

const REPORTS = {
  getVulnerabilityDevices: '/api/v1/reports/vulnerabilities/devices',
  getSecurityAssessment: '/api/v1/reports/vulnerabilities/security',
  getOperationalAssessment: '/api/v1/reports/vulnerabilities/operational',
  getMitigation: '/api/v1/reports/vulnerabilities/mitigation',
} as const;

let contract: Contract;
const open: FastifyInstance[] = [];

/** A sensor mock started from the shipped seed with some collections replaced, and a reader of its reports that checks each against the contract. */
async function sensor(seed?: Rec) {
  const app = await buildStatefulMockFor(contract, { seed });
  open.push(app);
  const token = (await app.inject({ method: 'POST', url: '/__control/credentials', payload: { class: 'valid' } })).json().token;
  const report = async (op: keyof typeof REPORTS) => {
    const res = await app.inject({ method: 'GET', url: REPORTS[op], headers: { authorization: token } });
    expect(res.statusCode, res.body).toBe(200);
    const pointer = contract.operations.find((o) => o.id === op)!.responses.find((r) => r.status === '200')!.content[0]!.schemaPointer!;
    expect(validators.validate(contract, pointer, res.json()), op).toEqual([]);
    return res.json();
  };
  return { app, token, report };
}

beforeAll(async () => {
  contract = await loadContract(selectApis(projectPaths(), ['defender-iot-sensor'])[0]!);
});
afterAll(async () => {
  for (const app of open) await app.close();
});

describe('IoT sensor vulnerability reports, worked out from the sensor state', () => {
  it('lists each device with findings, its CVEs from the CVE list and a score the findings lower', async () => {
    const { report } = await sensor();
    const devices: Rec[] = await report('getVulnerabilityDevices');
    const ews = devices.find((d) => d.name === 'EWS-06')!;
    expect(ews.vulnerabilities.cves.map((c: Rec) => c.id).sort()).toEqual(['CVE-2007-0099', 'CVE-2015-2373', 'CVE-2017-0144']);
    expect(ews.vulnerabilities.isEngineeringStation).toBe(true);
    expect(ews.operatingSystem).toMatchObject({ name: 'Windows 7', type: 'Windows' });
    // CVSS 9.3 + 10 + 8.1 = 27.4, times 2, capped at 40.
    expect(ews.securityScore).toBe(60);
    const intruder = devices.find((d) => d.name === '10.2.1.15')!;
    expect(intruder.vulnerabilities.isUnauthorized).toBe(true);
    // The documented PLC carries its firmware module's version and model.
    const plc = devices.find((d) => d.name === '10.4.14.102')!;
    expect(plc).toMatchObject({ firmwareVersion: '20.55', model: 'AAAAAAAAAA' });
    // A scored device never goes below 0 or above 100.
    for (const d of devices) expect(d.securityScore).toBeGreaterThanOrEqual(0);
  });

  it('adding a device with a remote-access port, a CVE and a malware alert changes every report; removing it changes them back', async () => {
    const before = await sensor();
    const baseline = {
      devices: await before.report('getVulnerabilityDevices'),
      security: await before.report('getSecurityAssessment'),
      operational: await before.report('getOperationalAssessment'),
      mitigation: await before.report('getMitigation'),
    };
    const jump = { id: 90, name: 'JUMP-90', type: 'Server', ipAddresses: ['172.20.5.9'], macAddresses: null, vendor: null, operatingSystem: 'Windows 10', engineeringStation: false, authorized: false, scanner: false, protocols: null, firmware: null };
    const now = Date.now();
    const seed = {
      devices: [...SEED.devices, jump],
      connections: [...SEED.connections, { firstDeviceId: 3, secondDeviceId: 90, discovered: now - 3_600_000, lastSeen: now, ports: [3389], protocols: [{ name: 'rdp', commands: [] }] }],
      cves: [...SEED.cves, { cveId: 'CVE-2019-0708', ipAddress: '172.20.5.9', score: '9.8', attackVector: 'NETWORK', description: 'BlueKeep.' }],
      alerts: [...SEED.alerts, { id: 90, time: now, title: 'Malware Detected', message: 'Known malware on 172.20.5.9', severity: 'Critical', engine: 'Malware', sourceDevice: 90, destinationDevice: null, additionalInformation: null }],
    };
    const after = await sensor(seed);
    const devices: Rec[] = await after.report('getVulnerabilityDevices');
    expect(devices).toHaveLength(baseline.devices.length + 1);
    const row = devices.find((d) => d.name === 'JUMP-90')!;
    expect(row.vulnerabilities).toMatchObject({
      isUnauthorized: true,
      malwareIndicationsDetected: true,
      remoteAccess: [{ port: 3389, transport: 'TCP', client: '192.168.110.131', clientSoftware: 'Remote Desktop' }],
      cves: [{ id: 'CVE-2019-0708', score: 9.8 }],
    });
    // 100 - 19.6 (CVE) - 15 (unauthorized) - 10 (RDP) - 30 (malware) = 25.4.
    expect(row.securityScore).toBe(25);

    const security = await after.report('getSecurityAssessment');
    expect(security.unauthorizedDevices.map((d: Rec) => d.address)).toEqual(['10.2.1.15', '172.20.5.9']);
    expect(security.illegalTrafficByFirewallRules).toContainEqual({ server: '172.20.5.9', client: '192.168.110.131', port: 3389, transport: 'TCP' });
    expect(security.industrialMalwareIndicators).toEqual([{ detectionTime: now, alertMessage: 'Malware Detected', description: 'Known malware on 172.20.5.9', devices: ['172.20.5.9'] }]);
    expect(baseline.security.industrialMalwareIndicators).toBeNull();

    const operational = await after.report('getOperationalAssessment');
    expect(operational.ipNetworks).toContainEqual({ addresses: 1, network: '172.20.5.0', mask: '255.255.255.0' });
    expect(baseline.operational.ipNetworks).not.toContainEqual(expect.objectContaining({ network: '172.20.5.0' }));

    const mitigation = await after.report('getMitigation');
    const malware = mitigation.mitigation.find((m: Rec) => /malware/i.test(m.content));
    expect(malware.details.rows).toEqual([['JUMP-90', '172.20.5.9', 'Malware Detected']]);
    expect(malware.scoreImprovement).toBeGreaterThan(0);
    expect(baseline.mitigation.mitigation.some((m: Rec) => /malware/i.test(m.content))).toBe(false);

    // Deleting the device again (its connections and alert stay, naming a device no longer held) gives back the first reports.
    const removed = await sensor({ ...seed, devices: SEED.devices, cves: SEED.cves, alerts: SEED.alerts });
    expect(await removed.report('getVulnerabilityDevices')).toEqual(baseline.devices);
    expect(await removed.report('getMitigation')).toEqual(baseline.mitigation);
  });

  it('reports disconnections from the alerts, back to normal at the later event, and the networks of the devices', async () => {
    const { report } = await sensor();
    const operational = await report('getOperationalAssessment');
    expect(operational.ipNetworks).toContainEqual({ addresses: 3, network: '192.168.110.0', mask: '255.255.255.0' });
    for (const row of operational.disconnections ?? []) expect(row.lastDetectionTime).toBeTypeOf('number');
  });

  it('answers empty tables as null and an empty device list for a sensor with no devices', async () => {
    const { report } = await sensor({ devices: [], connections: [], cves: [], alerts: [], events: [] });
    expect(await report('getVulnerabilityDevices')).toEqual([]);
    const security = await report('getSecurityAssessment');
    expect(Object.values(security).every((v) => v === null)).toBe(true);
    expect((await report('getMitigation')).mitigation).toEqual([]);
  });

  it('refuses the reports without a token', async () => {
    const { app } = await sensor();
    const res = await app.inject({ method: 'GET', url: REPORTS.getMitigation });
    expect(res.statusCode).toBe(401);
  });
});
