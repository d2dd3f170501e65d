import type { components } from '../../generated/defender-iot-sensor.ts';
import { localUsers, type LocalUser, type LocalUserSeed } from '../shared/defender-iot/users.ts';

export type Alert = components['schemas']['Alert'];
export type Device = components['schemas']['Device'];
export type Connection = components['schemas']['Connection'];
export type Cve = components['schemas']['Cve'];
export type Event = components['schemas']['Event'];

export interface SensorState {
  alerts: Alert[];
  devices: Device[];
  /** Alert ids the operator handled in the console. */
  handled: Set<number>;
  connections: Connection[];
  cves: Cve[];
  events: Event[];
  /** Local console users, whom the password routes authenticate in the body. */
  users: Map<string, LocalUser>;
}

/**
 * A seed record whose times were written as of `timesAsOf` (this mock's field, seed.yaml): at
 * start-up its times move forward so that instant is now. Records without it (a snapshot's) keep
 * their times. The field sits on each record so that a `--seed` collection, which replaces the
 * file's collection as a whole, never inherits the file's clock.
 */
type AsOf<T> = T & { timesAsOf?: number };

/** What a seed document may hold: seed.yaml has every collection, a `--seed` document any of them. */
export interface SensorSeed {
  alerts?: Alert[];
  devices?: Device[];
  handled?: number[];
  connections?: AsOf<Connection>[];
  cves?: Cve[];
  events?: AsOf<Event>[];
  users?: LocalUserSeed[];
}

export interface SensorSnapshot {
  alerts: Alert[];
  devices: Device[];
  handled: number[];
  connections: Connection[];
  cves: Cve[];
  events: Event[];
  users: LocalUser[];
}

const connectionNow = ({ timesAsOf, ...c }: AsOf<Connection>, now: number): Connection =>
  timesAsOf === undefined ? c : { ...c, discovered: c.discovered + (now - timesAsOf), lastSeen: c.lastSeen + (now - timesAsOf) };

const eventNow = ({ timesAsOf, ...e }: AsOf<Event>, now: number): Event => (timesAsOf === undefined ? e : { ...e, timestamp: e.timestamp + (now - timesAsOf) });

export function createState(seed: SensorSeed): SensorState {
  const now = Date.now();
  return {
    alerts: seed.alerts ?? [],
    devices: seed.devices ?? [],
    handled: new Set(seed.handled ?? []),
    connections: (seed.connections ?? []).map((c) => connectionNow(c, now)),
    cves: seed.cves ?? [],
    events: (seed.events ?? []).map((e) => eventNow(e, now)),
    users: localUsers(seed.users),
  };
}

export function snapshot(state: SensorState): SensorSnapshot {
  const { alerts, devices, connections, cves, events } = state;
  return { alerts, devices, handled: [...state.handled], connections, cves, events, users: [...state.users.values()] };
}
