import type { components, operations } from '../../generated/defender-iot-sensor.ts';
import type { Handlers } from '../kit/types.ts';
import type { Alert, Connection, Cve, Device, SensorState } from './state.ts';

type VulnerableDevice = components['schemas']['VulnerableDevice'];
type SecurityAssessment = components['schemas']['SecurityAssessment'];
type OperationalAssessment = components['schemas']['OperationalAssessment'];
type Mitigation = components['schemas']['Mitigation'];
type MitigationItem = Mitigation['mitigation'][number];

/*
 * The risk-assessment reports, worked out on every call from what the sensor holds (devices, their
 * connections, the CVEs on their addresses, alerts and the event timeline), so adding or removing a
 * device, a connection or a CVE changes them. The docs describe the tables but not how the sensor
 * fills or scores them; the rules below are this mock's, each written next to the code that applies it.
 */

/** Ports whose server side the reports count as remote access, with the client software named for each. */
const REMOTE_ACCESS: Record<number, string> = { 22: 'SSH', 23: 'Telnet', 3389: 'Remote Desktop', 5900: 'VNC', 5938: 'TeamViewer' };
/** Ports of backup traffic (SMB, rsync, NDMP, Veeam): a device serving them is a backup server. */
const BACKUP_PORTS = new Set([445, 873, 10000, 9392]);
/** Clear-text protocols whose use the vulnerability report lists as weak authentication. */
const WEAK_AUTH: Record<string, string> = { telnet: 'Telnet', ftp: 'FTP', http: 'HTTP Basic' };

/**
 * Security score, 0-100 (the docs give no range; their example is 100). This mock's rule: start at
 * 100 and take off, capped at 0: for each CVE its CVSS score times 2 (at most 40 for all CVEs);
 * 15 for an unauthorized device; 10 per remote-access port; 2 per other open port (at most 10);
 * 30 when a malware alert names the device; 5 for a known scanner; 5 per weak authentication.
 */
export const SCORE_RULES = { perCvssPoint: 2, cveCap: 40, unauthorized: 15, remoteAccess: 10, openPort: 2, openPortCap: 10, malware: 30, scanner: 5, weakAuth: 5 } as const;

const addressOf = (d: Device | undefined) => d?.ipAddresses?.[0] ?? d?.macAddresses?.[0] ?? null;
/**
 * What the reports look things up by, built once per request: devices by id, the connections
 * between devices the sensor still holds (a connection naming a device no longer held does not
 * count), each device's connections, the CVEs by address and the malware alerts by device.
 */
interface Index {
  state: SensorState;
  devices: Map<number, Device>;
  live: Connection[];
  served: Map<number, Connection[]>;
  involving: Map<number, Connection[]>;
  cves: Map<string, Cve[]>;
  malware: Map<number, Alert[]>;
}

function indexOf(state: SensorState): Index {
  const devices = new Map(state.devices.map((d) => [d.id, d]));
  const push = <K, V>(map: Map<K, V[]>, key: K, value: V) => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };
  const live = state.connections.filter((c) => devices.has(c.firstDeviceId) && devices.has(c.secondDeviceId));
  const served = new Map<number, Connection[]>();
  const involving = new Map<number, Connection[]>();
  for (const c of live) {
    // In a connection the first device is the client and the second the server (the one whose port is open).
    push(served, c.secondDeviceId, c);
    push(involving, c.firstDeviceId, c);
    if (c.secondDeviceId !== c.firstDeviceId) push(involving, c.secondDeviceId, c);
  }
  const cves = new Map<string, Cve[]>();
  for (const c of state.cves) push(cves, c.ipAddress, c);
  const malware = new Map<number, Alert[]>();
  for (const a of state.alerts.filter((x) => x.engine === 'Malware')) {
    for (const id of new Set([a.sourceDevice, a.destinationDevice])) if (id !== null && id !== undefined) push(malware, id, a);
  }
  return { state, devices, live, served, involving, cves, malware };
}

const byId = (ix: Index, id: number | null | undefined) => (id === null || id === undefined ? undefined : ix.devices.get(id));
const servedBy = (ix: Index, d: Device) => ix.served.get(d.id) ?? [];
const involving = (ix: Index, d: Device) => ix.involving.get(d.id) ?? [];
const cvesOf = (ix: Index, d: Device): Cve[] => [...new Set(d.ipAddresses ?? [])].flatMap((ip) => ix.cves.get(ip) ?? []);
const malwareAlertsOf = (ix: Index, d: Device): Alert[] => ix.malware.get(d.id) ?? [];
const protocolOf = (c: Connection) => c.protocols?.[0]?.name ?? null;

/** What the assessment finds on one device. */
function findings(ix: Index, d: Device) {
  const served = servedBy(ix, d);
  const ports = new Map<number, { port: number; protocol: string | null; client: string | null }>();
  for (const c of served) for (const port of c.ports ?? []) if (!ports.has(port)) ports.set(port, { port, protocol: protocolOf(c), client: addressOf(byId(ix, c.firstDeviceId)) });
  const remoteAccess = [...ports.values()]
    .filter((p) => REMOTE_ACCESS[p.port])
    .map((p) => ({ port: p.port, transport: 'TCP' as const, client: p.client ?? 'unknown', clientSoftware: REMOTE_ACCESS[p.port]! }));
  const openedPorts = [...ports.values()].map((p) => ({ port: p.port, transport: 'TCP' as const, protocol: p.protocol, isConflictingWithFirewall: false }));
  const weakAuthentication = [...new Set(served.flatMap((c) => (c.protocols ?? []).map((p) => WEAK_AUTH[p.name.toLowerCase()]).filter((x): x is string => !!x)))];
  const cves = cvesOf(ix, d).map((c) => ({ id: c.cveId, score: Number(c.score), description: c.description }));
  return {
    cves,
    remoteAccess,
    openedPorts,
    weakAuthentication,
    isUnauthorized: !d.authorized,
    isKnownScanner: d.scanner,
    isEngineeringStation: d.engineeringStation,
    isBackupServer: d.type === 'Backup Server' || [...ports.keys()].some((p) => BACKUP_PORTS.has(p)),
    malwareIndicationsDetected: malwareAlertsOf(ix, d).length > 0,
  };
}

type Findings = ReturnType<typeof findings>;

/** The score a device's findings give it, with some kinds of finding left out (what fixing them would gain). */
function score(f: Findings, ignore: ReadonlySet<keyof Findings> = new Set()): number {
  const r = SCORE_RULES;
  let loss = 0;
  if (!ignore.has('cves')) loss += Math.min(r.cveCap, f.cves.reduce((sum, c) => sum + c.score * r.perCvssPoint, 0));
  if (!ignore.has('isUnauthorized') && f.isUnauthorized) loss += r.unauthorized;
  if (!ignore.has('remoteAccess')) loss += f.remoteAccess.length * r.remoteAccess;
  if (!ignore.has('openedPorts')) loss += Math.min(r.openPortCap, (f.openedPorts.length - f.remoteAccess.length) * r.openPort);
  if (!ignore.has('malwareIndicationsDetected') && f.malwareIndicationsDetected) loss += r.malware;
  if (!ignore.has('isKnownScanner') && f.isKnownScanner) loss += r.scanner;
  if (!ignore.has('weakAuthentication')) loss += f.weakAuthentication.length * r.weakAuth;
  return Math.max(0, Math.round(100 - loss));
}

/** "Nothing found": no CVE, port, remote access, weak authentication or flag. Such devices are left out of the report. */
const nothingFound = (f: Findings) =>
  f.cves.length === 0 && f.openedPorts.length === 0 && f.weakAuthentication.length === 0 && !f.isUnauthorized && !f.isKnownScanner && !f.isEngineeringStation && !f.isBackupServer && !f.malwareIndicationsDetected;

const OS_FAMILY = [/windows/i, /linux|ubuntu|debian|red hat|centos/i, /mac ?os|os x/i, /ios|android/i];

function operatingSystem(d: Device): VulnerableDevice['operatingSystem'] {
  if (!d.operatingSystem) return null;
  const name = String(d.operatingSystem);
  const family = OS_FAMILY.find((re) => re.test(name));
  const version = /(\d[\d.]*)$/.exec(name)?.[1] ?? null;
  return { name, type: family ? name.split(' ')[0]! : 'Other', version, latestVersion: null };
}

function vulnerabilityDevices(state: SensorState): VulnerableDevice[] {
  const ix = indexOf(state);
  return state.devices.flatMap((d) => {
    const f = findings(ix, d);
    if (nothingFound(f)) return [];
    const fw = d.firmware?.[0];
    return [
      {
        name: d.name,
        ipAddresses: d.ipAddresses ?? [],
        securityScore: score(f),
        vendor: d.vendor ?? null,
        firmwareVersion: fw?.firmwareVersion ?? null,
        model: fw?.model ?? null,
        isWirelessAccessPoint: /access point/i.test(String(d.type)),
        operatingSystem: operatingSystem(d),
        vulnerabilities: {
          antiViruses: null,
          plainTextPasswords: null,
          remoteAccess: f.remoteAccess.length ? f.remoteAccess : null,
          isBackupServer: f.isBackupServer,
          openedPorts: f.openedPorts.length ? f.openedPorts : null,
          isEngineeringStation: f.isEngineeringStation,
          isKnownScanner: f.isKnownScanner,
          cves: f.cves.length ? f.cves : null,
          isUnauthorized: f.isUnauthorized,
          malwareIndicationsDetected: f.malwareIndicationsDetected,
          weakAuthentication: f.weakAuthentication.length ? f.weakAuthentication : null,
        },
      },
    ];
  });
}

/** Private (RFC 1918), loopback and link-local IPv4 addresses: the rest are on the internet. */
const isInternal = (ip: string) => /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|127\.|169\.254\.)/.test(ip) || !/^\d+\.\d+\.\d+\.\d+$/.test(ip);
const subnet24 = (ip: string) => ip.split('.').slice(0, 3).join('.');
const orNull = <T>(rows: T[]): T[] | null => (rows.length ? rows : null);

/** When the sensor first and last saw a device: its connections' earliest `discovered` and latest `lastSeen`. */
function seen(ix: Index, d: Device) {
  const cs = involving(ix, d);
  return cs.length ? { first: Math.min(...cs.map((c) => c.discovered)), last: Math.max(...cs.map((c) => c.lastSeen)) } : { first: null, last: null };
}

/**
 * Security assessment tables. Rules: unauthorized devices are the devices not marked authorized;
 * traffic is illegal when an unauthorized device takes part (the mock holds no firewall rules, so
 * the two firewall-rule tables are empty); connections between subnets join addresses of
 * different /24 networks; malware indicators are the Malware-engine alerts; internet connections
 * are connections with one public address.
 */
function securityAssessment(state: SensorState): SecurityAssessment {
  const ix = indexOf(state);
  const conns = ix.live.map((c) => ({ c, client: byId(ix, c.firstDeviceId)!, server: byId(ix, c.secondDeviceId)! }));
  const between = conns.filter(({ client, server }) => {
    const a = addressOf(client);
    const b = addressOf(server);
    return a && b && subnet24(a) !== subnet24(b);
  });
  const internet = new Map<string, { authorized: boolean; external: Set<string> }>();
  for (const { client, server } of conns) {
    for (const [inside, outside] of [[client, server], [server, client]] as const) {
      const i = addressOf(inside);
      const o = addressOf(outside);
      if (!i || !o || !isInternal(i) || isInternal(o)) continue;
      const row = internet.get(i) ?? { authorized: inside.authorized, external: new Set<string>() };
      row.external.add(o);
      internet.set(i, row);
    }
  }
  return {
    unauthorizedDevices: orNull(
      state.devices.filter((d) => !d.authorized).map((d) => ({ address: addressOf(d), name: d.name, firstDetectionTime: seen(ix, d).first, lastSeen: seen(ix, d).last })),
    ),
    illegalTrafficByFirewallRules: orNull(
      conns.filter(({ client, server }) => !client.authorized || !server.authorized).map(({ c, client, server }) => ({ server: addressOf(server), client: addressOf(client), port: c.ports?.[0] ?? null, transport: 'TCP' as const })),
    ),
    weakFirewallRules: null,
    redundantFirewallRules: null,
    accessPoints: orNull(
      state.devices
        .filter((d) => /access point/i.test(String(d.type)))
        .map((d) => ({ macAddress: d.macAddresses?.[0] ?? null, vendor: d.vendor ?? null, ipAddress: d.ipAddresses?.[0] ?? null, name: d.name, wireless: /wireless/i.test(String(d.type)) ? ('Yes' as const) : ('Suspected' as const) })),
    ),
    connectionsBetweenSubnets: orNull(between.map(({ client, server }) => ({ server: addressOf(server), client: addressOf(client) }))),
    industrialMalwareIndicators: orNull(
      state.alerts
        .filter((a) => a.engine === 'Malware')
        .map((a) => ({ detectionTime: a.time, alertMessage: a.title, description: a.message, devices: [byId(ix, a.sourceDevice), byId(ix, a.destinationDevice)].map(addressOf).filter((x): x is string => !!x) })),
    ),
    internetConnections: orNull([...internet].map(([internalAddress, row]) => ({ internalAddress, authorized: row.authorized, externalAddresses: [...row.external] }))),
  };
}

const MINUTE = 60_000;
const duration = (ms: number) => {
  const hours = Math.floor(ms / (60 * MINUTE));
  const minutes = Math.round((ms % (60 * MINUTE)) / MINUTE);
  return `${hours} Hour${hours === 1 ? '' : 's'}, ${minutes} Minute${minutes === 1 ? '' : 's'}`;
};

/**
 * Operational assessment tables. Rules: backup servers are the devices serving a backup port, the
 * longest gap being the connection's lifetime; IP networks group the device addresses by /24;
 * protocol problems are the Protocol-Violation alerts, named by the first protocol of the device
 * involved; data volumes are not measured by the mock (empty); disconnections are the alerts about
 * an unresponsive or disconnected device, back to normal at the first later BACK_TO_NORMAL event
 * that names the device's address.
 */
function operationalAssessment(state: SensorState): OperationalAssessment {
  const ix = indexOf(state);
  const conns = ix.live;
  const backups = conns
    .filter((c) => (c.ports ?? []).some((p) => BACKUP_PORTS.has(p)))
    .map((c) => ({
      source: addressOf(byId(ix, c.firstDeviceId)),
      destination: addressOf(byId(ix, c.secondDeviceId)),
      port: (c.ports ?? []).find((p) => BACKUP_PORTS.has(p)) ?? null,
      transport: 'TCP' as const,
      backupMaximalInterval: duration(c.lastSeen - c.discovered),
      lastSeenBackup: c.lastSeen,
    }));
  const networks = new Map<string, Set<string>>();
  for (const ip of state.devices.flatMap((d) => d.ipAddresses ?? []).filter((x) => /^\d+\.\d+\.\d+\.\d+$/.test(x))) {
    const set = networks.get(subnet24(ip)) ?? new Set<string>();
    set.add(ip);
    networks.set(subnet24(ip), set);
  }
  const deviceOfAlert = (a: Alert) => byId(ix, a.sourceDevice) ?? byId(ix, a.destinationDevice);
  const problems = state.alerts
    .filter((a) => a.engine === 'Protocol Violation')
    .map((a) => ({
      protocol: String(deviceOfAlert(a)?.protocols?.[0]?.name ?? 'Unknown'),
      addresses: [byId(ix, a.sourceDevice), byId(ix, a.destinationDevice)].map(addressOf).filter((x): x is string => !!x),
      alert: a.title,
      reportTime: a.time,
    }));
  const disconnections = state.alerts
    .filter((a) => /disconnect|unresponsive/i.test(`${a.title} ${a.message}`))
    .map((a) => {
      const d = deviceOfAlert(a);
      const address = addressOf(d) ?? /(\d+\.\d+\.\d+\.\d+)/.exec(a.message)?.[1] ?? null;
      const back = state.events
        .filter((e) => e.type === 'BACK_TO_NORMAL' && address !== null && e.content.includes(address) && e.timestamp >= a.time)
        .sort((x, y) => x.timestamp - y.timestamp)[0];
      return { assetAddress: address, assetName: d?.name ?? address, lastDetectionTime: a.time, backToNormalTime: back?.timestamp ?? null };
    });
  return {
    backupServer: orNull(backups),
    ipNetworks: orNull([...networks].map(([net, ips]) => ({ addresses: ips.size, network: `${net}.0`, mask: '255.255.255.0' }))),
    protocolProblems: orNull(problems),
    protocolDataVolumes: null,
    disconnections: orNull(disconnections),
  };
}

/**
 * Mitigation. Rules: each kind of finding some device has gives one step, whose score improvement
 * is how much the average security score of the assessed devices rises when that kind is fixed
 * (rounded, in points of the 0-100 score), with a table of the devices concerned; steps are ordered
 * by improvement. Notifications name what the sensor lacks to assess better: no backup server,
 * no firewall policy (the mock holds none).
 */
function mitigation(state: SensorState): Mitigation {
  const ix = indexOf(state);
  const assessed = state.devices.map((d) => ({ d, f: findings(ix, d) })).filter(({ f }) => !nothingFound(f));
  const average = (ignore?: ReadonlySet<keyof Findings>) => (assessed.length ? assessed.reduce((s, { f }) => s + score(f, ignore), 0) / assessed.length : 100);
  const base = average();
  const step = (kind: keyof Findings, content: string, headers: string[], row: (d: Device, f: Findings) => string[] | undefined): MitigationItem | undefined => {
    const rows = assessed.map(({ d, f }) => row(d, f)).filter((r): r is string[] => !!r);
    if (rows.length === 0) return undefined;
    return { content, scoreImprovement: Math.round(average(new Set([kind])) - base), details: { name: '', description: { name: '', important: false, warning: false }, headers, rows } };
  };
  const items = [
    step('cves', 'Patch the devices with known vulnerabilities (CVEs)', ['Device', 'Address', 'CVEs'], (d, f) =>
      f.cves.length ? [d.name, addressOf(d) ?? '', f.cves.map((c) => c.id).join(', ')] : undefined,
    ),
    step('malwareIndicationsDetected', 'Investigate all malware indicators. When assured the problem is solved, acknowledge the alert', ['Device', 'Address', 'Alerts'], (d, f) =>
      f.malwareIndicationsDetected ? [d.name, addressOf(d) ?? '', malwareAlertsOf(ix, d).map((a) => a.title).join(', ')] : undefined,
    ),
    step('isUnauthorized', 'Authorize the unknown devices or remove them from the network', ['Device', 'Address'], (d, f) => (f.isUnauthorized ? [d.name, addressOf(d) ?? ''] : undefined)),
    step('remoteAccess', 'Restrict remote access to the devices', ['Device', 'Address', 'Ports'], (d, f) =>
      f.remoteAccess.length ? [d.name, addressOf(d) ?? '', f.remoteAccess.map((r) => `${r.port} (${r.clientSoftware})`).join(', ')] : undefined,
    ),
    step('weakAuthentication', 'Replace clear-text authentication with encrypted protocols', ['Device', 'Address', 'Protocols'], (d, f) =>
      f.weakAuthentication.length ? [d.name, addressOf(d) ?? '', f.weakAuthentication.join(', ')] : undefined,
    ),
    step('openedPorts', 'Close the ports the devices do not need', ['Device', 'Address', 'Ports'], (d, f) =>
      f.openedPorts.length ? [d.name, addressOf(d) ?? '', f.openedPorts.map((p) => String(p.port)).join(', ')] : undefined,
    ),
  ].filter((x): x is MitigationItem => !!x);
  items.sort((a, b) => (b.scoreImprovement ?? 0) - (a.scoreImprovement ?? 0));
  const notifications = ['Firewall policy import'];
  if (!assessed.some(({ f }) => f.isBackupServer)) notifications.push('Install a backup server in the network');
  return { notifications, mitigation: items };
}

/** The four vulnerability-assessment reports. */
export function reportHandlers(state: SensorState): Handlers<operations> {
  return {
    getVulnerabilityDevices: () => ({ status: 200, body: vulnerabilityDevices(state) }),
    getSecurityAssessment: () => ({ status: 200, body: securityAssessment(state) }),
    getOperationalAssessment: () => ({ status: 200, body: operationalAssessment(state) }),
    getMitigation: () => ({ status: 200, body: mitigation(state) }),
  };
}
