import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { operations as SensorOps } from '../../generated/defender-iot-sensor.ts';
import { packageRoot } from '../../src/core/paths.ts';
import {
  SENSOR_ALERTS,
  SENSOR_CVES,
  SENSOR_DEVICES,
  sensorConnections,
  sensorEvents,
  type Alert,
  type Connection,
  type Cve,
  type Device,
  type Event,
  type SensorSeed,
} from './seed.ts';
import type { Handlers } from '../kit/types.ts';

export interface SensorState {
  alerts: Alert[];
  devices: Device[];
  /** Alert ids the operator handled in the console. */
  handled: Set<number>;
  connections: Connection[];
  cves: Cve[];
  events: Event[];
}

const MINUTE = 60_000;
/** The sensor caps the event window at three days; a larger `minutesTimeFrame` is treated as this. */
const MAX_EVENT_MINUTES = 4320;
/** The timeline answers with the latest 100 events at most. */
const MAX_EVENTS = 100;

export function sensorState(seed: unknown): SensorState {
  const s = (seed ?? {}) as Partial<SensorSeed>;
  const now = Date.now();
  return {
    alerts: structuredClone(s.alerts ?? SENSOR_ALERTS),
    devices: structuredClone(s.devices ?? SENSOR_DEVICES),
    handled: new Set(s.handled ?? [3]),
    connections: structuredClone(s.connections ?? sensorConnections(now)),
    cves: structuredClone(s.cves ?? SENSOR_CVES),
    events: structuredClone(s.events ?? sensorEvents(now)),
  };
}

export function sensorSnapshot(state: SensorState): SensorSeed {
  const { alerts, devices, connections, cves, events } = state;
  return { alerts, devices, handled: [...state.handled], connections, cves, events };
}

// ---- alerts -------------------------------------------------------------------------------------

type AlertKind = 'unexpected new devices' | 'disconnections';

/** The two alert kinds the `type` filter knows, recognised by the alert's title. */
function alertKind(a: Alert): AlertKind | undefined {
  if (/new (asset|device)/i.test(a.title)) return 'unexpected new devices';
  if (/disconnect|unresponsive/i.test(a.title)) return 'disconnections';
  return undefined;
}

/** The v1/v2 alert list filters: state, creation window and kind (the sensor ignores unknown kinds). */
function filterAlerts(state: SensorState, q: { state?: string; fromTime?: number; toTime?: number; type?: string }) {
  const kind = q.type === 'unexpected new devices' || q.type === 'disconnections' ? q.type : undefined;
  return state.alerts.filter(
    (a) =>
      (q.state === undefined || (q.state === 'handled') === state.handled.has(a.id)) &&
      (q.fromTime === undefined || a.time >= q.fromTime) &&
      (q.toTime === undefined || a.time < q.toTime) &&
      (kind === undefined || alertKind(a) === kind),
  );
}

/** Version 2 names the devices by address: the first address the device list has for them. */
function deviceAddress(state: SensorState, id: number | null | undefined): string | null {
  if (id === null || id === undefined) return null;
  const d = state.devices.find((x) => x.id === id);
  return d?.ipAddresses?.[0] ?? d?.macAddresses?.[0] ?? null;
}

function alertV2(state: SensorState, a: Alert) {
  return { ...a, sourceDeviceAddress: deviceAddress(state, a.sourceDevice), destinationDeviceAddress: deviceAddress(state, a.destinationDevice), remediationSteps: [] };
}

// ---- connections --------------------------------------------------------------------------------

interface ConnectionFilter {
  discoveredBefore?: number;
  discoveredAfter?: number;
  lastActiveInMinutes?: number;
}

/** Both discovery bounds are strict, as the docs word them ("before", "after"). */
function filterConnections(connections: Connection[], q: ConnectionFilter, now = Date.now()) {
  return connections.filter(
    (c) =>
      (q.discoveredBefore === undefined || c.discovered < q.discoveredBefore) &&
      (q.discoveredAfter === undefined || c.discovered > q.discoveredAfter) &&
      (q.lastActiveInMinutes === undefined || c.lastSeen >= now - q.lastActiveInMinutes * MINUTE),
  );
}

/**
 * A device's connections. The docs do not say what an unknown device id returns and the contract
 * declares no not-found answer; the per-device route narrows the same list as a filter does (older
 * revisions documented `deviceId` as a query filter), so an unknown id matches nothing.
 */
function deviceConnections(state: SensorState, deviceId: number, q: ConnectionFilter) {
  const mine = state.connections.filter((c) => c.firstDeviceId === deviceId || c.secondDeviceId === deviceId);
  return filterConnections(mine, q);
}

// ---- CVEs -----------------------------------------------------------------------------------------

const byScore = (a: Cve, b: Cve) => Number(b.score) - Number(a.score);

/** Highest score first, at most `top` per device address. */
function topCves(cves: Cve[], top = 100): Cve[] {
  const perAddress = new Map<string, number>();
  return [...cves].sort(byScore).filter((c) => {
    const n = (perAddress.get(c.ipAddress) ?? 0) + 1;
    perAddress.set(c.ipAddress, n);
    return n <= top;
  });
}

// ---- events ---------------------------------------------------------------------------------------

let knownEventTypes: Set<string> | undefined;

/**
 * The documented event types (specs/defender-iot-sensor/components/known-values.yaml). A `type` outside
 * them is ignored by the sensor, so the filter needs to tell the two apart.
 */
function eventTypes(): Set<string> {
  if (knownEventTypes) return knownEventTypes;
  try {
    const file = path.join(packageRoot, 'specs/defender-iot-sensor/components/known-values.yaml');
    const doc = YAML.parse(fs.readFileSync(file, 'utf8')) as { EventType?: { anyOf?: Array<{ enum?: string[] }> } };
    knownEventTypes = new Set(doc.EventType?.anyOf?.find((s) => s.enum)?.enum ?? []);
  } catch {
    knownEventTypes = new Set();
  }
  return knownEventTypes;
}

function listEvents(state: SensorState, q: { minutesTimeFrame?: number; type?: string }, now = Date.now()): Event[] {
  const minutes = q.minutesTimeFrame === undefined ? undefined : Math.min(q.minutesTimeFrame, MAX_EVENT_MINUTES);
  const type = q.type !== undefined && eventTypes().has(q.type) ? q.type : undefined;
  return state.events
    .filter((e) => (minutes === undefined || e.timestamp >= now - minutes * MINUTE) && (type === undefined || e.type === type))
    .sort((a, b) => b.timestamp - a.timestamp)
    .slice(0, MAX_EVENTS);
}

/**
 * The OT sensor's data routes over in-memory state: devices, their connections and CVEs (on the
 * devices' own ids and addresses), alerts and the event timeline, each with its documented filters.
 * The vulnerability reports answer with the contract's examples.
 */
export function sensorHandlers(state: SensorState): Handlers<SensorOps> {
  return {
    listDevices: ({ query }) => ({ status: 200, body: state.devices.filter((d) => query.authorized === undefined || d.authorized === query.authorized) }),
    listConnections: ({ query }) => ({ status: 200, body: filterConnections(state.connections, query) }),
    listDeviceConnections: ({ params, query }) => ({ status: 200, body: deviceConnections(state, params.deviceId, query) }),
    listCves: ({ query }) => ({ status: 200, body: topCves(state.cves, query.top) }),
    // Like the connections of an unknown device, an address no device has simply has no CVEs.
    listDeviceCves: ({ params, query }) => ({ status: 200, body: topCves(state.cves.filter((c) => c.ipAddress === params.ipAddress), query.top) }),
    listAlertsV1: ({ query }) => ({ status: 200, body: filterAlerts(state, query) }),
    listAlertsV2: ({ query }) => ({ status: 200, body: filterAlerts(state, query).map((a) => alertV2(state, a)) }),
    listEvents: ({ query }) => ({ status: 200, body: listEvents(state, query) }),
  };
}
