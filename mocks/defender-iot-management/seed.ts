import type { components } from '../../generated/defender-iot-management.ts';

type Schemas = components['schemas'];
export type Device = Schemas['Device'];
export type AlertBase = Schemas['AlertBase'];
export type Appliance = Schemas['Appliance'];
export type LogEntry = Schemas['MaintenanceWindowLogEntry'];
export type DeviceCve = Schemas['DeviceCve'];
export type ConnectionType = Schemas['IntegrationConnection']['u_connection_type'];

export interface Site {
  id: number;
  name: string;
}
export interface Zone {
  id: number;
  name: string;
  siteId: number;
}

/** A sensor as the console keeps it; its alert and device counts are worked out from the state. */
export type Sensor = Omit<Appliance, 'alertCount' | 'deviceCount' | 'unhandledAlertsCount'>;

/** What the integration API adds to a device: discovery and update times, placement and grouping. */
export interface DeviceTracking {
  firstDiscovered: number;
  lastActivity: number;
  lastUpdate: number;
  vlans: string[];
  groups: string[];
  /** Category and default Purdue layer of the device's type. */
  category: string;
  typeLayer: string;
  /** The layer set on the device itself (`N/A` when none is). */
  purdueLayer: string;
}

export type ConsoleDevice = Device & { tracking: DeviceTracking };

/** An alert as kept: version 2's remediation steps are the source of version 1's text. */
export type ConsoleAlert = AlertBase & { remediationSteps?: string[] };

export interface ConsoleConnection {
  srcId: number;
  destId: number;
  type: ConnectionType;
  lastUpdate: number;
}

/** An open maintenance window, as it was opened (its TTL as last set). */
export type WindowRecord = Schemas['MaintenanceWindowCreate'];

/** What the console knows; a seed may give any part of it, and a snapshot gives all of it. */
export interface ConsoleSeed {
  sites: Site[];
  zones: Zone[];
  sensors: Sensor[];
  devices: ConsoleDevice[];
  deletedDevices: Array<{ id: number; deletedAt: number }>;
  connections: ConsoleConnection[];
  cves: Array<DeviceCve & { deviceId: number }>;
  alerts: ConsoleAlert[];
  /** Alert UUID → the strongest action applied to it so far. */
  actions: Record<string, 'handle' | 'handleAndLearn'>;
  /** Open maintenance windows. */
  windows: WindowRecord[];
  log: LogEntry[];
}

export const SITES: Site[] = [
  { id: 1, name: 'Site 1' },
  { id: 2, name: 'Plant B' },
];

export const ZONES: Zone[] = [
  { id: 1, name: 'Zone 1', siteId: 1 },
  { id: 2, name: 'Packaging', siteId: 1 },
  { id: 3, name: 'Utilities', siteId: 2 },
];

const syncedState = (id: number, at: number, connected = true) => ({
  id,
  xsenseId: id,
  connectionState: connected ? { isConsideredConnected: true, id: 1, description: 'Connection is successful' } : { isConsideredConnected: false, id: 4, description: 'Sensor is disconnected' },
  cmSyncedUntil: at,
  sensorSyncedUntil: at - 84_000,
  sensorLastMessage: at + 6_000,
});

/**
 * Sensors 1, 3 and 5: the maintenance window examples name sensors 5 and 3, and the alert examples
 * sensor 1. The first is the documented appliance (with a valid interface address).
 */
export const SENSORS: Sensor[] = [
  { dataIntelligenceVersion: 'Dec 22, 2021', name: 'Microsoft Defender for IoT', isActivated: true, hasLog: false, zoneId: 1, upgradeStatus: null, state: syncedState(1, 1660217825000), version: '22.1.4.8-r-6372aad', upgradeFinishTime: null, uid: 'a6218f1a-8ebf-4bb3-8613-c859b17eef01', interfaceAddress: 'https://10.1.0.2', id: 1, isInLearningMode: false },
  { dataIntelligenceVersion: 'May 26, 2022', name: 'packaging-sensor', isActivated: true, hasLog: true, zoneId: 2, upgradeStatus: { startTime: 1660000000000, percentage: 100, stage: 'SUCCESS' }, state: syncedState(3, 1660217825000), version: '22.2.5.7-r-2121448', upgradeFinishTime: 1660000900000, uid: 'fab58081-1fde-4d3f-8eea-9aa723abbd55', interfaceAddress: 'https://10.1.0.3', id: 3, isInLearningMode: true },
  { dataIntelligenceVersion: 'Dec 22, 2021', name: 'utilities-sensor', isActivated: false, hasLog: false, zoneId: 3, upgradeStatus: null, state: syncedState(5, 1659000000000, false), version: '22.1.4.8-r-6372aad', upgradeFinishTime: null, uid: '3c1f6a52-0d8e-4a51-9a41-2f4c6f0a9e15', interfaceAddress: 'https://10.2.0.5', id: 5, isInLearningMode: false },
];

const track = (t: Partial<DeviceTracking> & Pick<DeviceTracking, 'firstDiscovered' | 'lastActivity' | 'lastUpdate'>): DeviceTracking => ({
  vlans: ['1'],
  groups: [],
  category: 'ICS',
  typeLayer: 'Process Control',
  purdueLayer: 'N/A',
  ...t,
});

const NA_FIRMWARE = { slot: 'N/A', additionalData: 'N/A', rack: 'N/A', serial: 'N/A' };

/** Devices 1 and 50 are the integration examples, 79 the inventory example, 135 and 181 the CVE examples. */
export const DEVICES: ConsoleDevice[] = [
  { id: 1, sensorId: 1, zoneId: 1, siteId: 1, name: '10.10.50.5', type: 'PLC', ipAddresses: ['10.10.50.5'], macAddresses: ['00:02:a2:1f:1c:59'], operatingSystem: null, vendor: 'HILSCHER GMBH', engineeringStation: false, scanner: false, authorized: true, protocols: [{ id: 1, name: 'MODBUS', addresses: [53] }], firmware: [], tracking: track({ firstDiscovered: 1664781051000, lastActivity: 1664782791000, lastUpdate: 1664782919000, groups: ['PLCs'] }) },
  { id: 50, sensorId: 1, zoneId: 1, siteId: 1, name: '10.10.20.10', type: 'PLC', ipAddresses: ['10.10.20.10'], macAddresses: ['00:02:a2:1f:02:ba'], operatingSystem: null, vendor: 'HILSCHER GMBH', engineeringStation: false, scanner: false, authorized: true, protocols: [{ id: 1, name: 'MODBUS', addresses: ['Master'] }], firmware: [], tracking: track({ firstDiscovered: 1664781052000, lastActivity: 1664782786000, lastUpdate: 1664782859000, groups: ['PLCs'] }) },
  {
    id: 79, sensorId: 3, zoneId: 2, siteId: 1, name: '10.4.14.102', type: 'PLC', ipAddresses: ['10.4.14.102'], macAddresses: null, operatingSystem: null, vendor: null, engineeringStation: false, scanner: false, authorized: true,
    protocols: [{ addresses: [], id: 62, name: 'Omron FINS' }],
    firmware: [{ ...NA_FIRMWARE, moduleAddress: 'Network: Local network (0), Node: 0, Unit: CPU (0x0)', address: '10.4.14.102', model: 'AAAAAAAAAA', firmwareVersion: '20.55' }],
    tracking: track({ firstDiscovered: 1664700000000, lastActivity: 1664785000000, lastUpdate: 1664786000000 }),
  },
  { id: 135, sensorId: 3, zoneId: 2, siteId: 1, name: '192.168.1.127', type: 'Workstation', ipAddresses: ['192.168.1.127'], macAddresses: ['00:0f:38:67:4f:1c'], operatingSystem: 'Windows 7', vendor: 'Dell', engineeringStation: true, scanner: true, authorized: true, protocols: [{ id: 7, name: 'SMB', addresses: ['N/A'] }], firmware: null, tracking: track({ firstDiscovered: 1664783000000, lastActivity: 1664782792000, lastUpdate: 1664787209000, category: 'IT', typeLayer: 'Supervisory' }) },
  { id: 181, sensorId: 5, zoneId: 3, siteId: 2, name: '10.13.10.5', type: 'Server', ipAddresses: ['10.13.10.5'], macAddresses: ['00:05:f0:00:0f:cd'], operatingSystem: 'Windows Server 2012', vendor: null, engineeringStation: false, scanner: false, authorized: false, protocols: null, firmware: null, tracking: track({ firstDiscovered: 1664600000000, lastActivity: 1664782792000, lastUpdate: 1664787149000, category: 'IT', typeLayer: 'Supervisory', purdueLayer: 'Supervisory' }) },
];

/** The documented deleted ids, none of which is a live device. */
export const DELETED_DEVICES = [192, 66, 4, 22, 24].map((id, i) => ({ id, deletedAt: 1664781100000 + i * 600_000 }));

export const CONNECTIONS: ConsoleConnection[] = [
  { srcId: 50, destId: 1, type: 'Two Way', lastUpdate: 1664782900000 },
  { srcId: 135, destId: 79, type: 'One Way', lastUpdate: 1664786500000 },
  { srcId: 135, destId: 1, type: 'Two Way', lastUpdate: 1664787000000 },
  { srcId: 181, destId: 135, type: 'One Way', lastUpdate: 1664700000000 },
];

const cve = (deviceId: number, ip: string, id: string, score: string, description: string) => ({ deviceId, u_cve_id: id, u_score: score, u_ip_address: ip, u_attack_vector: 'NETWORK', u_description: description });

/** The documented device CVEs, plus two lower-scored ones so that the score filter has something to drop. */
export const CVES: ConsoleSeed['cves'] = [
  cve(135, '192.168.1.127', 'CVE-2015-2373', '10.0', 'The Remote Desktop Protocol (RDP) server service in Microsoft Windows 7 SP1, Windows 8, and Windows Server 2012 allows remote attackers to execute arbitrary code via a series of crafted packets, aka "Remote Desktop Protocol (RDP) Remote Code Execution Vulnerability."'),
  cve(135, '192.168.1.127', 'CVE-2015-1635', '10.0', 'HTTP.sys in Microsoft Windows 7 SP1, Windows Server 2008 R2 SP1, Windows 8, Windows 8.1, and Windows Server 2012 Gold and R2 allows remote attackers to execute arbitrary code via crafted HTTP requests, aka "HTTP.sys Remote Code Execution Vulnerability."'),
  cve(135, '192.168.1.127', 'CVE-2009-1547', '9.3', 'Unspecified vulnerability in Microsoft Internet Explorer 5.01 SP4, 6, 6 SP1, and 7 allows remote attackers to execute arbitrary code via a crafted data stream header that triggers memory corruption, aka "Data Stream Header Corruption Vulnerability."'),
  cve(181, '10.13.10.5', 'CVE-2016-7182', '10.0', 'The Graphics component in Microsoft Windows Vista SP2; Windows Server 2008 SP2 and R2 SP1; Windows 7 SP1; Windows 8.1; Windows Server 2012 Gold and R2; Windows RT 8.1; Windows 10 Gold, 1511, and 1607; Office 2007 SP3; Office 2010 SP2; Word Viewer; Skype for Business 2016; Lync 2013 SP1; Lync 2010; Lync 2010 Attendee; and Live Meeting 2007 Console allows attackers to execute arbitrary code via a crafted True Type font, aka "True Type Font Parsing Elevation of Privilege Vulnerability."'),
  cve(181, '10.13.10.5', 'CVE-2017-0144', '8.1', 'The SMBv1 server in Microsoft Windows Vista SP2; Windows Server 2008 SP2 and R2 SP1; Windows 7 SP1; Windows 8.1; Windows Server 2012 Gold and R2; Windows RT 8.1; and Windows 10 Gold, 1511, and 1607; and Windows Server 2016 allows remote attackers to execute arbitrary code via crafted packets, aka "Windows SMB Remote Code Execution Vulnerability."'),
];

/**
 * Alerts on the seeded sensors and devices. Alert 1 is at the time of the docs' curl example UUID
 * (`1-1594550943000`); the others follow the documented alert list.
 */
export const ALERTS: ConsoleAlert[] = [
  { id: 1, sensorId: 1, zoneId: 1, siteId: 1, time: 1594550943000, engine: 'Operational', severity: 'Warning', title: 'Traffic Detected on sensor Interface', message: 'The sensor resumed detecting network traffic on ens224.', sourceDevice: 0, destinationDevice: 0, additionalInformation: null, handled: false, remediationSteps: [] },
  { id: 2, sensorId: 1, zoneId: 1, siteId: 1, time: 1594808260000, engine: 'Anomaly', severity: 'Critical', title: 'Address Scan Detected', message: 'Address scan detected.\nScanning address: 10.10.20.10\nScanned subnet: 10.10.50.0/24\nIt is recommended to notify the security officer of the incident.', sourceDevice: 50, destinationDevice: 0, additionalInformation: null, handled: false, remediationSteps: ['It is recommended to notify the security officer of the incident.'] },
  { id: 3, sensorId: 1, zoneId: 1, siteId: 1, time: 1594808285000, engine: 'Operational', severity: 'Minor', title: 'Suspicion of Unresponsive MODBUS Device', message: 'Outstation device 10.10.50.5 (Protocol Address 53) seems to be unresponsive to MODBUS requests.', sourceDevice: 1, destinationDevice: 0, additionalInformation: null, handled: false, remediationSteps: [] },
  { id: 4, sensorId: 3, zoneId: 2, siteId: 1, time: 1594809000000, engine: 'Policy Violation', severity: 'Major', title: 'Unauthorized PLC Programming', message: 'The device 192.168.1.127 programmed the PLC 10.4.14.102.', sourceDevice: 135, destinationDevice: 79, additionalInformation: null, handled: true, remediationSteps: ['Verify that the programming was planned.', 'Learn the traffic if it was.'] },
  { id: 5, sensorId: 5, zoneId: 3, siteId: 2, time: 1594810000000, engine: 'Protocol Violation', severity: 'Major', title: 'Illegal MODBUS Operation (Function Code Zero)', message: 'A MODBUS master 10.13.10.5 sent a request with function code zero.', sourceDevice: 181, destinationDevice: 0, additionalInformation: { description: 'Function code', information: ['0'] }, handled: false, remediationSteps: [] },
];

/**
 * A finished window in the log (the contract's constructed log example, closed), so the log is not
 * empty before the first window is opened.
 */
export const LOG: LogEntry[] = [
  { id: 1, dateTime: '2022-04-23T18:25:43.511Z', ticketId: '9a5fe99c-d914-4bda-9332-307384fe40bf', tokenName: 'quarterly-sanity-window', engines: ['ANOMALY'], sensorIds: ['5', '3'], subnets: ['10.0.0.0/16'], ttl: 180, operationType: 'OPEN' },
  { id: 2, dateTime: '2022-04-23T19:55:43.511Z', ticketId: '9a5fe99c-d914-4bda-9332-307384fe40bf', tokenName: 'quarterly-sanity-window', engines: null, sensorIds: null, subnets: null, ttl: 120, operationType: 'UPDATE' },
  { id: 3, dateTime: '2022-04-23T21:10:02.004Z', ticketId: '9a5fe99c-d914-4bda-9332-307384fe40bf', tokenName: 'quarterly-sanity-window', engines: null, sensorIds: null, subnets: null, ttl: null, operationType: 'CLOSE' },
];
