import type { components, operations as ConsoleOps } from '../../generated/defender-iot-management.ts';
import type { StoredCredential } from '../kit/credentials.ts';
import {
  ALERTS,
  CONNECTIONS,
  CVES,
  DELETED_DEVICES,
  DEVICES,
  LOG,
  SENSORS,
  SITES,
  ZONES,
  type ConsoleAlert,
  type ConsoleDevice,
  type ConsoleSeed,
  type Device,
  type LogEntry,
  type WindowRecord,
} from './seed.ts';
import type { Handlers } from '../kit/types.ts';

type Schemas = components['schemas'];
type Action = 'handle' | 'handleAndLearn';

export interface ConsoleState extends Omit<ConsoleSeed, 'actions' | 'windows'> {
  /** Alert UUID → the strongest action applied to it so far. */
  actions: Map<string, Action>;
  /** Open maintenance windows by ticket id. */
  windows: Map<string, WindowRecord>;
}

/** How the integration API names the console as the reporting appliance (every documented example). */
const APPLIANCE = 'Management console (CM)';
/** The console's own address, for the device links of the integration API. */
const CONSOLE_URL = 'https://10.1.0.1';

export function consoleState(seed: unknown): ConsoleState {
  const s = (seed ?? {}) as Partial<ConsoleSeed>;
  const copy = <T>(value: T | undefined, fallback: T): T => structuredClone(value ?? fallback);
  return {
    sites: copy(s.sites, SITES),
    zones: copy(s.zones, ZONES),
    sensors: copy(s.sensors, SENSORS),
    devices: copy(s.devices, DEVICES),
    deletedDevices: copy(s.deletedDevices, DELETED_DEVICES),
    connections: copy(s.connections, CONNECTIONS),
    cves: copy(s.cves, CVES),
    alerts: copy(s.alerts, ALERTS),
    actions: new Map(Object.entries(s.actions ?? {})),
    windows: new Map((s.windows ?? []).map((w) => [w.ticketId, structuredClone(w)])),
    log: copy(s.log, LOG),
  };
}

export function consoleSnapshot(state: ConsoleState): ConsoleSeed {
  return { ...state, actions: Object.fromEntries(state.actions), windows: [...state.windows.values()] };
}

// ---- places and names ----------------------------------------------------------------------------

const siteName = (state: ConsoleState, id: number) => state.sites.find((s) => s.id === id)?.name ?? `Site ${id}`;
const zoneName = (state: ConsoleState, id: number) => state.zones.find((z) => z.id === id)?.name ?? `Zone ${id}`;
const sensorName = (state: ConsoleState, id: number) => state.sensors.find((s) => s.id === id)?.name ?? `Sensor ${id}`;
const deviceById = (state: ConsoleState, id: number | null | undefined) => state.devices.find((d) => d.id === id);

/** A comma-separated list filter: absent means no restriction. */
const inList = (list: number[] | undefined, value: number) => list === undefined || list.includes(value);

// ---- inventory -----------------------------------------------------------------------------------

/** The v1 device, without what the console keeps for the integration API. */
function v1Device({ tracking: _tracking, ...device }: ConsoleDevice): Device {
  return device;
}

function listDevices(state: ConsoleState, q: { authorized?: boolean; siteId?: number[]; zoneId?: number[]; sensorId?: number[] }) {
  return state.devices
    .filter((d) => (q.authorized === undefined || d.authorized === q.authorized) && inList(q.siteId, d.siteId) && inList(q.zoneId, d.zoneId) && inList(q.sensorId, d.sensorId))
    .map(v1Device);
}

// ---- alerts --------------------------------------------------------------------------------------

/**
 * The docs' alert UUIDs have the form `<number>-<epoch ms>` (`1-1594550943000`, and `5-1557059334000`
 * in a syslog sample sent by a sensor); the mock reads them as `<sensorId>-<alert time>`.
 */
export const alertUuid = (a: ConsoleAlert) => `${a.sensorId}-${a.time}`;

/** The action recorded through the API, or `handle` for an alert seeded as handled. */
function currentAction(state: ConsoleState, a: ConsoleAlert): Action | undefined {
  return state.actions.get(alertUuid(a)) ?? (a.handled ? 'handle' : undefined);
}

interface AlertFilter {
  state?: string;
  fromTime?: number;
  toTime?: number;
  siteId?: number;
  zoneId?: number;
  sensorId?: number;
  sensor?: number;
}

/** The v1/v2 filters. `state` values other than handled/unhandled are ignored, as documented. */
function filterAlerts(state: ConsoleState, q: AlertFilter): Array<ConsoleAlert & { handled: boolean }> {
  const wanted = q.state === 'handled' ? true : q.state === 'unhandled' ? false : undefined;
  return state.alerts
    .map((a) => ({ ...a, handled: currentAction(state, a) !== undefined }))
    .filter(
      (a) =>
        (wanted === undefined || a.handled === wanted) &&
        (q.fromTime === undefined || a.time >= q.fromTime) &&
        (q.toTime === undefined || a.time < q.toTime) &&
        (q.siteId === undefined || a.siteId === q.siteId) &&
        (q.zoneId === undefined || a.zoneId === q.zoneId) &&
        (q.sensorId === undefined || a.sensorId === q.sensorId) &&
        (q.sensor === undefined || a.sensorId === q.sensor),
    );
}

function alertV1({ remediationSteps, ...a }: ConsoleAlert): Schemas['AlertV1'] {
  return { ...a, remediationSteps: remediationSteps?.length ? remediationSteps.join('\n') : null };
}

function alertV2(state: ConsoleState, a: ConsoleAlert): Schemas['AlertV2'] {
  const address = (id: number | null | undefined) => deviceById(state, id)?.ipAddresses?.[0] ?? null;
  return {
    ...a,
    sourceDeviceAddress: address(a.sourceDevice),
    destinationDeviceAddress: address(a.destinationDevice),
    remediationSteps: a.remediationSteps ?? [],
    sensorName: sensorName(state, a.sensorId),
    zoneName: zoneName(state, a.zoneId),
    siteName: siteName(state, a.siteId ?? 0),
  };
}

function updateAlert(state: ConsoleState, uuid: string, action: Action) {
  const alert = state.alerts.find((a) => alertUuid(a) === uuid);
  // The console documents 500, not 404, for a UUID no alert has.
  if (!alert) return { status: 500 as const, body: { error: "Couldn't execute request because no alert was found for this UUID." } };
  const current = currentAction(state, alert);
  if (current === 'handleAndLearn' || current === action) return { status: 200 as const, body: { content: `Alert was already handled (${current}).` } };
  state.actions.set(uuid, action);
  return { status: 200 as const, body: { content: 'Alert update request finished successfully' } };
}

// ---- maintenance windows -------------------------------------------------------------------------

type Operation = LogEntry['operationType'];

function logAction(state: ConsoleState, credential: StoredCredential | undefined, operationType: Operation, window: Partial<WindowRecord> & { ticketId: string }) {
  const open = operationType === 'OPEN';
  state.log.push({
    id: Math.max(0, ...state.log.map((e) => e.id)) + 1,
    dateTime: new Date().toISOString(),
    ticketId: window.ticketId,
    // The log names the access token that made the change.
    tokenName: credential?.name ?? '',
    engines: open ? (window.engines ?? null) : null,
    sensorIds: open ? (window.sensorIds?.map(String) ?? null) : null,
    subnets: open ? (window.subnets ?? null) : null,
    ttl: window.ttl === undefined ? null : Number(window.ttl),
    operationType,
  });
}

const sameParameters = (a: WindowRecord, b: WindowRecord) => {
  const key = (w: WindowRecord) => JSON.stringify([Number(w.ttl), [...(w.engines ?? [])].sort(), (w.sensorIds ?? []).map(String).sort(), [...(w.subnets ?? [])].sort()]);
  return key(a) === key(b);
};

type CreateReply = ReturnType<NonNullable<Handlers<ConsoleOps>['createMaintenanceWindow']>>;

function createWindow(state: ConsoleState, body: WindowRecord, credential?: StoredCredential): CreateReply {
  if (state.windows.has(body.ticketId)) return { status: 409, body: { error: 'Ticket ID already has an open window.' } };
  if (body.sensorIds?.some((id) => !state.sensors.some((s) => s.id === Number(id)))) return { status: 404, body: { error: 'Unknown sensor ID' } };
  if ([...state.windows.values()].some((w) => sameParameters(w, body))) return { status: 400, body: { error: 'Maintenance window with same parameters already exists.' } };
  state.windows.set(body.ticketId, structuredClone(body));
  logAction(state, credential, 'OPEN', body);
  return { status: 201, body: undefined };
}

interface LogFilter {
  fromDate?: string;
  toDate?: string;
  ticketId?: string;
  tokenName?: string;
}

/** Dates are whole UTC days, both bounds included. */
function filterLog(log: LogEntry[], q: LogFilter): LogEntry[] {
  return log.filter((e) => {
    const day = new Date(e.dateTime).toISOString().slice(0, 10);
    return (q.fromDate === undefined || day >= q.fromDate) && (q.toDate === undefined || day <= q.toDate) && (q.ticketId === undefined || e.ticketId === q.ticketId) && (q.tokenName === undefined || e.tokenName === q.tokenName);
  });
}

// ---- sensors -------------------------------------------------------------------------------------

function appliances(state: ConsoleState): Schemas['Appliance'][] {
  return state.sensors.map((s) => {
    const alerts = filterAlerts(state, { sensorId: s.id });
    return { ...s, alertCount: alerts.length, unhandledAlertsCount: alerts.filter((a) => !a.handled).length, deviceCount: state.devices.filter((d) => d.sensorId === s.id).length };
  });
}

function connectionState(a: Schemas['Appliance']): Schemas['SensorConnectionState'] {
  const c = a.state.connectionState;
  if (typeof c === 'string') return c;
  return c.isConsideredConnected ? 'SYNCED' : 'DISCONNECTED';
}

function integrationSensors(state: ConsoleState): Schemas['IntegrationSensor'][] {
  return appliances(state).map((a) => ({
    u_id: a.id,
    u_name: a.name,
    u_interface_address: a.interfaceAddress,
    u_connection_state: connectionState(a),
    u_version: a.version,
    u_alert_count: a.alertCount,
    u_device_count: a.deviceCount,
    u_unhandled_alert_count: a.unhandledAlertsCount,
    u_is_activated: a.isActivated,
    u_data_intelligence_version: a.dataIntelligenceVersion,
    u_uid: a.uid ?? '',
    u_zone_id: a.zoneId ?? null,
    u_is_in_learning_mode: a.isInLearningMode ?? false,
    u_remote_upgrade_stage: a.upgradeStatus && a.upgradeStatus.stage !== 'SUCCESS' ? a.upgradeStatus.stage : '',
  }));
}

// ---- integration API -----------------------------------------------------------------------------

/** The zero-based page of a list; the page size defaults to 50 as documented. */
function pageOf<T>(items: T[], q: { page?: number; size?: number }): T[] {
  const size = q.size ?? 50;
  const start = (q.page ?? 0) * size;
  return items.slice(start, start + size);
}

const macObjects = (d: ConsoleDevice) => (d.macAddresses ?? []).map((m) => ({ u_mac_address: m }));
const ipObjects = (d: ConsoleDevice) => (d.ipAddresses ?? []).map((ip) => ({ u_ip_address: ip, u_guessed_mac_addresses: macObjects(d) }));

function integrationFirmware(d: ConsoleDevice): Schemas['IntegrationFirmware'][] {
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
function integrationDevice(state: ConsoleState, d: ConsoleDevice): Schemas['IntegrationDevice'] {
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
function updatedDevices(state: ConsoleState, since: number, q: DeviceFeedFilter): ConsoleDevice[] {
  return state.devices.filter((d) => {
    const isNew = d.tracking.firstDiscovered > since;
    return d.tracking.lastUpdate > since && (q.sensorId === undefined || d.sensorId === q.sensorId) && (q.notificationType === 1 ? isNew : q.notificationType === 2 ? !isNew : true);
  });
}

function integrationConnection(state: ConsoleState, c: ConsoleSeed['connections'][number]): Schemas['IntegrationConnection'] {
  const name = (id: number) => deviceById(state, id)?.name ?? String(id);
  return { u_appliance: APPLIANCE, u_src_device_id: c.srcId, u_src_device_name: name(c.srcId), u_dest_device_id: c.destId, u_dest_device_name: name(c.destId), u_connection_type: c.type };
}

interface CveFeedFilter {
  sensorId?: number;
  score?: number;
  deviceIds?: number[];
}

/** Devices updated after `since` that have CVEs at or above the score, each with those CVEs. */
function deviceCves(state: ConsoleState, since: number, q: CveFeedFilter): Schemas['DeviceCves'][] {
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
 * The management console over in-memory state: sites, zones and sensors; devices (v1 and integration
 * views of the same records); alerts with the actions applied to them; maintenance windows and their
 * log; connections, deletions and CVEs for the integration feed.
 */
export function consoleHandlers(state: ConsoleState): Handlers<ConsoleOps> {
  return {
    listDevices: ({ query }) => ({ status: 200, body: listDevices(state, query) }),
    listAlertsV1: ({ query }) => ({ status: 200, body: filterAlerts(state, query).map(alertV1) }),
    listAlertsV2: ({ query }) => ({ status: 200, body: filterAlerts(state, query).map((a) => alertV2(state, a)) }),
    updateAlert: ({ params, body }) => updateAlert(state, params.UUID, body.action),
    createMaintenanceWindow: ({ body, credential }) => createWindow(state, body, credential),
    updateMaintenanceWindow: ({ body, credential }) => {
      const w = state.windows.get(body.ticketId);
      if (!w) return { status: 404, body: { error: 'Maintenance window not found' } };
      w.ttl = body.ttl;
      logAction(state, credential, 'UPDATE', { ticketId: body.ticketId, ttl: body.ttl });
      return { status: 200, body: undefined };
    },
    closeMaintenanceWindow: ({ query, body, credential }) => {
      const ticketId = query.ticketId ?? body?.ticketId;
      if (!ticketId) return { status: 400, body: { error: 'No TicketId' } };
      if (!state.windows.delete(ticketId)) return { status: 404, body: { error: 'Maintenance window not found.' } };
      logAction(state, credential, 'CLOSE', { ticketId });
      return { status: 200, body: undefined };
    },
    listMaintenanceWindowLog: ({ query }) => {
      const entries = filterLog(state.log, query);
      // The docs answer "nothing to show" with 204 and no body, not with an empty list.
      return entries.length > 0 ? { status: 200, body: entries } : { status: 204, body: undefined };
    },
    listAppliancesV1: () => ({ status: 200, body: appliances(state) }),
    listAppliancesV2: () => ({ status: 200, body: appliances(state) }),
    listIntegrationSensors: () => ({ status: 200, body: integrationSensors(state) }),
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
