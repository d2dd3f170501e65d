import type { components } from '../../generated/defender-iot-sensor.ts';

export type Alert = components['schemas']['Alert'];
export type Device = components['schemas']['Device'];
export type Connection = components['schemas']['Connection'];
export type Cve = components['schemas']['Cve'];
export type Event = components['schemas']['Event'];

/** What the sensor knows; a seed may give any part of it, and a snapshot gives all of it. */
export interface SensorSeed {
  alerts: Alert[];
  devices: Device[];
  /** Alert ids the operator handled in the console. */
  handled: number[];
  connections: Connection[];
  cves: Cve[];
  events: Event[];
}

const MINUTE = 60_000;

export const SENSOR_ALERTS: Alert[] = [
  { id: 1, time: 1509881077000, title: 'Internet Access Detected', message: 'Device 192.168.0.13 tried to access an external IP address.', severity: 'Major', engine: 'Policy Violation', sourceDevice: null, destinationDevice: null, additionalInformation: { description: 'External Addresses', information: ['170.60.50.201 over port BACnet (47808)'] } },
  { id: 2, time: 1505651605000, title: 'Illegal MODBUS Operation (Exception Raised by Master)', message: 'A MODBUS master 192.168.110.131 sent an illegal operation.', severity: 'Major', engine: 'Protocol Violation', sourceDevice: 3, destinationDevice: 4, additionalInformation: null },
  { id: 3, time: 1594550986000, title: 'Device is Suspected to be Disconnected (Unresponsive)', message: 'Device 10.2.1.15 did not answer for 30 minutes.', severity: 'Warning', engine: 'Operational', sourceDevice: 5, destinationDevice: null, additionalInformation: null },
  { id: 4, time: 1594551400000, title: 'New Asset Detected', message: 'A new asset 10.2.1.15 was detected on the network.', severity: 'Warning', engine: 'Policy Violation', sourceDevice: 5, destinationDevice: null, additionalInformation: null },
];

export const SENSOR_DEVICES: Device[] = [
  { id: 3, name: 'HMI-01', type: 'HMI', ipAddresses: ['192.168.110.131'], macAddresses: ['00:1b:1b:00:00:03'], vendor: 'Siemens', operatingSystem: 'Windows 10', engineeringStation: false, authorized: true, scanner: false, hasDynamicAddress: false, protocols: [{ id: 1, name: 'MODBUS', ipAddresses: ['192.168.110.131'] }], firmware: [] },
  { id: 4, name: 'PLC-04', type: 'PLC', ipAddresses: ['192.168.110.132'], macAddresses: null, vendor: 'Schneider', operatingSystem: null, engineeringStation: false, authorized: true, scanner: false, hasDynamicAddress: false, protocols: null, firmware: null },
  { id: 5, name: '10.2.1.15', type: 'Unknown', ipAddresses: ['10.2.1.15'], macAddresses: null, vendor: null, operatingSystem: null, engineeringStation: false, authorized: false, scanner: false, hasDynamicAddress: true, protocols: null, firmware: null },
  { id: 6, name: 'EWS-06', type: 'Engineering Station', ipAddresses: ['192.168.110.20'], macAddresses: ['00:1b:1b:00:00:06'], vendor: 'Dell', operatingSystem: 'Windows 7', engineeringStation: true, authorized: true, scanner: false, hasDynamicAddress: false, protocols: [{ id: 1, name: 'MODBUS', ipAddresses: ['192.168.110.20'] }, { id: 2, name: 'Omron FINS', ipAddresses: ['192.168.110.20'] }], firmware: [] },
  // The documented device (2020 page), with the first of its four firmware modules.
  { vendor: null, name: '10.4.14.102', firmware: [{ slot: 'N/A', additionalData: 'N/A', moduleAddress: 'Network: Local network (0), Node: 0, Unit: CPU (0x0)', rack: 'N/A', address: '10.4.14.102', model: 'AAAAAAAAAA', serial: 'N/A', firmwareVersion: '20.55' }], id: 79, macAddresses: null, authorized: true, ipAddresses: ['10.4.14.102'], engineeringStation: false, type: 'PLC', operatingSystem: null, protocols: [{ addresses: [], id: 62, name: 'Omron FINS' }], scanner: false },
];

/**
 * Connections between the seeded devices. Their times are relative to when the state is created, so
 * that `lastActiveInMinutes` has something recent to select.
 */
export function sensorConnections(now: number): Connection[] {
  const at = (minutesAgo: number) => now - minutesAgo * MINUTE;
  return [
    { firstDeviceId: 3, secondDeviceId: 4, discovered: at(30 * 1440), lastSeen: at(2), ports: [502], protocols: [{ name: 'modbus', commands: ['Read Coils', 'Write Single Register'] }] },
    { firstDeviceId: 6, secondDeviceId: 4, discovered: at(10 * 1440), lastSeen: at(45), ports: [502], protocols: [{ name: 'modbus', commands: ['Write Multiple Registers'] }] },
    { firstDeviceId: 6, secondDeviceId: 79, discovered: at(3 * 1440), lastSeen: at(10), ports: [9600], protocols: [{ name: 'fins', commands: ['Memory Area Read'] }] },
    { firstDeviceId: 5, secondDeviceId: 3, discovered: at(1440), lastSeen: at(600), ports: [80], protocols: [{ name: 'http', commands: [] }] },
  ];
}

const RDP = 'The Remote Desktop Protocol (RDP) server service in Microsoft Windows 7 SP1, Windows 8, and Windows Server 2012 allows remote attackers to execute arbitrary code via a series of crafted packets, aka "Remote Desktop Protocol (RDP) Remote Code Execution Vulnerability."';
const MSXML = 'Race condition in the msxml3 module in Microsoft XML Core Services 3.0, as used in Internet Explorer 6 and other applications, allows remote attackers to execute arbitrary code or cause a denial of service (application crash) via many nested tags in an XML document in an IFRAME, when synchronous document rendering is frequently disrupted with asynchronous events, as demonstrated using a JavaScript timer, which can trigger NULL pointer dereferences or memory corruption, aka "MSXML Memory Corruption Vulnerability."';
const IE = 'Unspecified vulnerability in Microsoft Internet Explorer 5.01 SP4, 6, 6 SP1, and 7 allows remote attackers to execute arbitrary code via a crafted data stream header that triggers memory corruption, aka "Data Stream Header Corruption Vulnerability."';
const HTTP_SYS = 'HTTP.sys in Microsoft Windows 7 SP1, Windows Server 2008 R2 SP1, Windows 8, Windows 8.1, and Windows Server 2012 Gold and R2 allows remote attackers to execute arbitrary code via crafted HTTP requests, aka "HTTP.sys Remote Code Execution Vulnerability."';
const SMB = 'The SMBv1 server in Microsoft Windows Vista SP2; Windows Server 2008 SP2 and R2 SP1; Windows 7 SP1; Windows 8.1; Windows Server 2012 Gold and R2; Windows RT 8.1; and Windows 10 Gold, 1511, and 1607; and Windows Server 2016 allows remote attackers to execute arbitrary code via crafted packets, aka "Windows SMB Remote Code Execution Vulnerability."';

/** CVEs of the two Windows hosts, on their seeded addresses (descriptions from the docs' examples). */
export const SENSOR_CVES: Cve[] = [
  { cveId: 'CVE-2007-0099', score: '9.3', ipAddress: '192.168.110.20', attackVector: 'NETWORK', description: MSXML },
  { cveId: 'CVE-2015-2373', score: '10.0', ipAddress: '192.168.110.20', attackVector: 'NETWORK', description: RDP },
  { cveId: 'CVE-2017-0144', score: '8.1', ipAddress: '192.168.110.20', attackVector: 'NETWORK', description: SMB },
  { cveId: 'CVE-2009-1547', score: '9.3', ipAddress: '192.168.110.131', attackVector: 'NETWORK', description: IE },
  { cveId: 'CVE-2015-1635', score: '10.0', ipAddress: '192.168.110.131', attackVector: 'NETWORK', description: HTTP_SYS },
];

/** The event timeline, relative to when the state is created so that `minutesTimeFrame` selects some of it. */
export function sensorEvents(now: number): Event[] {
  const at = (minutesAgo: number) => now - minutesAgo * MINUTE;
  return [
    { timestamp: at(5), type: 'DEVICE_CONNECTION_CREATED', title: 'Device Connection Detected', severity: 'INFO', owner: null, content: 'A connection between 192.168.110.20 and 10.4.14.102 was detected.' },
    { timestamp: at(30), type: 'ALERT_REPORTED', title: 'Alert Detected', severity: 'ALERT', owner: null, content: 'Device 10.2.1.15 is suspected to be disconnected (unresponsive).' },
    { timestamp: at(90), type: 'BACK_TO_NORMAL', title: 'Back to Normal', severity: 'INFO', owner: null, content: 'Device 10.2.1.15 was found responsive, after being suspected as disconnected' },
    { timestamp: at(3000), type: 'PROGRAM_DEVICE', title: 'PLC Programming', severity: 'NOTICE', owner: null, content: 'Program update detected, sent from 192.168.110.20 to 192.168.110.132' },
    { timestamp: at(6000), type: 'DEVICE_CREATE', title: 'Device Detected', severity: 'INFO', owner: null, content: 'Device 10.2.1.15 was detected.' },
  ];
}
