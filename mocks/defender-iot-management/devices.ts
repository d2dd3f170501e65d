import type { components, operations } from '../../generated/defender-iot-management.ts';
import type { Handlers } from '../kit/types.ts';
import { inList, siteName, zoneName } from './places.ts';
import type { ConnectionRecord, DeviceRecord, ManagementState, Device } from './state.ts';

type Schemas = components['schemas'];

/** How the integration API names the console as the reporting appliance (every documented example). */
const APPLIANCE = 'Management console (CM)';
/** The console's own address, for the device links of the integration API. */
const CONSOLE_URL = 'https://10.1.0.1';

const deviceById = (state: ManagementState, id: number | null | undefined) => state.devices.find((d) => d.id === id);

// ---- version 1 inventory -------------------------------------------------------------------------

/** The v1 device, without what the console keeps for the integration API. */
function v1Device({ tracking: _tracking, ...device }: DeviceRecord): Device {
  return device;
}

function listDevices(state: ManagementState, q: { authorized?: boolean; siteId?: number[]; zoneId?: number[]; sensorId?: number[] }) {
  return state.devices
    .filter((d) => (q.authorized === undefined || d.authorized === q.authorized) && inList(q.siteId, d.siteId) && inList(q.zoneId, d.zoneId) && inList(q.sensorId, d.sensorId))
    .map(v1Device);
}

// ---- version 3 integration API -------------------------------------------------------------------

/** The zero-based page of a list; the page size defaults to 50 as documented. */
function pageOf<T>(items: T[], q: { page?: number; size?: number }): T[] {
  const size = q.size ?? 50;
  const start = (q.page ?? 0) * size;
  return items.slice(start, start + size);
}

const macObjects = (d: DeviceRecord) => (d.macAddresses ?? []).map((m) => ({ u_mac_address: m }));
const ipObjects = (d: DeviceRecord) => (d.ipAddresses ?? []).map((ip) => ({ u_ip_address: ip, u_guessed_mac_addresses: macObjects(d) }));

function integrationFirmware(d: DeviceRecord): Schemas['IntegrationFirmware'][] {
  return (d.firmware ?? []).map((f) => ({
    u_appliance: APPLIANCE,
    u_id: d.id,
    u_asset: d.name,
    u_address: f.address,
    u_module_address: f.moduleAddress,
    u_serial: f.serial,
    u_model: f.model,
    u_version: String(f.firmwareVersion),
    u_additional_data: f.additionalData,
  }));
}

/** The same device as the v1 list shows, in the integration API's field names. */
function integrationDevice(state: ManagementState, d: DeviceRecord): Schemas['IntegrationDevice'] {
  const t = d.tracking;
  const sensor = state.sensors.find((s) => s.id === d.sensorId);
  return {
    u_id: d.id,
    u_vendor: d.vendor ?? null,
    u_appliance: APPLIANCE,
    u_operating_system: d.operatingSystem ?? '',
    u_mac_address_objects: macObjects(d),
    u_groups: t.groups,
    u_site: siteName(state, d.siteId),
    u_zone: zoneName(state, d.zoneId),
    u_last_activity: t.lastActivity,
    u_first_discovered: t.firstDiscovered,
    u_device_type: { u_name: d.type, u_category: t.category, u_purdue_layer: t.typeLayer },
    u_name: d.name,
    u_ip_address_objects: ipObjects(d),
    u_protocol_objects: (d.protocols ?? []).map((p) => ({ u_protocol: p.name })),
    u_vlans: t.vlans.map((v) => ({ u_vlan: v })),
    u_purdue_layer: t.purdueLayer,
    u_sensor_ids: [{ u_sensor_id: d.sensorId }],
    u_cm_device_url: `${CONSOLE_URL}/#/sites/${d.siteId}/zones/${d.zoneId}/devices-maps?devices=${d.id}`,
    u_device_urls: sensor ? [{ u_device_url: `${sensor.interfaceAddress}/#/assets/highlight/${d.id}` }] : [],
    u_last_update: t.lastUpdate,
    u_firmwares: integrationFirmware(d),
  };
}

interface DeviceFeedFilter {
  sensorId?: number;
  notificationType?: 0 | 1 | 2;
}

/** Devices updated after `since`; notification type 1 keeps those discovered after it, 2 the others. */
function updatedDevices(state: ManagementState, since: number, q: DeviceFeedFilter): DeviceRecord[] {
  return state.devices.filter((d) => {
    const isNew = d.tracking.firstDiscovered > since;
    return d.tracking.lastUpdate > since && (q.sensorId === undefined || d.sensorId === q.sensorId) && (q.notificationType === 1 ? isNew : q.notificationType === 2 ? !isNew : true);
  });
}

function integrationConnection(state: ManagementState, c: ConnectionRecord): Schemas['IntegrationConnection'] {
  const name = (id: number) => deviceById(state, id)?.name ?? String(id);
  return { u_appliance: APPLIANCE, u_src_device_id: c.srcId, u_src_device_name: name(c.srcId), u_dest_device_id: c.destId, u_dest_device_name: name(c.destId), u_connection_type: c.type };
}

interface CveFeedFilter {
  sensorId?: number;
  score?: number;
  deviceIds?: number[];
}

/** Devices updated after `since` that have CVEs at or above the score, each with those CVEs. */
function deviceCves(state: ManagementState, since: number, q: CveFeedFilter): Schemas['DeviceCves'][] {
  const min = q.score ?? 0;
  return updatedDevices(state, since, { sensorId: q.sensorId })
    .filter((d) => inList(q.deviceIds, d.id))
    .map((d) => ({
      u_id: d.id,
      u_name: d.name,
      u_ip_address_objects: ipObjects(d),
      u_mac_address_objects: macObjects(d),
      u_last_activity: d.tracking.lastActivity,
      u_last_update: d.tracking.lastUpdate,
      u_cves: state.cves.filter((c) => c.deviceId === d.id && Number(c.u_score) >= min).map(({ deviceId: _id, ...c }) => c),
    }))
    .filter((d) => d.u_cves.length > 0);
}

/**
 * Devices: the v1 inventory and the integration API's views of the same records (the device feed
 * and one device, their connections, deletions and CVEs since a time).
 */
export function deviceHandlers(state: ManagementState): Handlers<operations> {
  return {
    listDevices: ({ query }) => ({ status: 200, body: listDevices(state, query) }),
    listIntegrationDevices: ({ params, query }) => {
      const devices = updatedDevices(state, params.timestamp, query);
      return { status: 200, body: { u_count: devices.length, u_devices: pageOf(devices, query).map((d) => integrationDevice(state, d)) } };
    },
    getIntegrationDevice: ({ params }) => {
      const d = deviceById(state, params.deviceId);
      // The published example wraps the device in a one-element array; the mock answers the same way.
      return d ? { status: 200, body: [integrationDevice(state, d)] } : { status: 404, body: { error: 'Device not found' } };
    },
    listIntegrationConnections: ({ params, query }) => {
      const connections = state.connections.filter((c) => c.lastUpdate > params.timestamp);
      return { status: 200, body: { u_count: connections.length, u_connections: pageOf(connections, query).map((c) => integrationConnection(state, c)) } };
    },
    listIntegrationDeletedDevices: ({ params }) => ({ status: 200, body: state.deletedDevices.filter((d) => d.deletedAt > params.timestamp).map((d) => ({ u_id: d.id })) }),
    listIntegrationDeviceCves: ({ params, query }) => {
      const devices = deviceCves(state, params.timestamp, query);
      return { status: 200, body: { u_count: devices.length, u_device_cves: pageOf(devices, query) } };
    },
  };
}
