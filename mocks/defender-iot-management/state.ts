import type { components } from '../../generated/defender-iot-management.ts';
import { localUsers, type LocalUser, type LocalUserSeed } from '../shared/defender-iot/users.ts';

type Schemas = components['schemas'];
export type Device = Schemas['Device'];
export type LogEntry = Schemas['MaintenanceWindowLogEntry'];
export type Action = 'handle' | 'handleAndLearn';

/** A site and a zone: the contract names them only by id and name in other records. */
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
export type Sensor = Omit<Schemas['Appliance'], 'alertCount' | 'deviceCount' | 'unhandledAlertsCount'>;

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

export type DeviceRecord = Device & { tracking: DeviceTracking };

/** An alert as kept: version 2's remediation steps are the source of version 1's text. */
export type AlertRecord = Schemas['AlertBase'] & { remediationSteps?: string[] };

export interface ConnectionRecord {
  srcId: number;
  destId: number;
  type: Schemas['IntegrationConnection']['u_connection_type'];
  lastUpdate: number;
}

export type CveRecord = Schemas['DeviceCve'] & { deviceId: number };

/** An open maintenance window, as it was opened (its TTL as last set). */
export type WindowRecord = Schemas['MaintenanceWindowCreate'];

/** What the console knows, as a snapshot gives it and a seed document may (any part of it). */
export interface ManagementSnapshot {
  sites: Site[];
  zones: Zone[];
  sensors: Sensor[];
  devices: DeviceRecord[];
  deletedDevices: Array<{ id: number; deletedAt: number }>;
  connections: ConnectionRecord[];
  cves: CveRecord[];
  alerts: AlertRecord[];
  /** Alert UUID → the strongest action applied to it so far. */
  actions: Record<string, Action>;
  /** Open maintenance windows. */
  windows: WindowRecord[];
  log: LogEntry[];
  users: LocalUser[];
}

export type ManagementSeed = Partial<Omit<ManagementSnapshot, 'users'>> & { users?: LocalUserSeed[] };

export interface ManagementState extends Omit<ManagementSnapshot, 'actions' | 'windows' | 'users'> {
  /** Alert UUID → the strongest action applied to it so far. */
  actions: Map<string, Action>;
  /** Open maintenance windows by ticket id. */
  windows: Map<string, WindowRecord>;
  /** Local console users, whom the password routes authenticate in the body. */
  users: Map<string, LocalUser>;
}

export function createState(seed: ManagementSeed): ManagementState {
  return {
    sites: seed.sites ?? [],
    zones: seed.zones ?? [],
    sensors: seed.sensors ?? [],
    devices: seed.devices ?? [],
    deletedDevices: seed.deletedDevices ?? [],
    connections: seed.connections ?? [],
    cves: seed.cves ?? [],
    alerts: seed.alerts ?? [],
    actions: new Map(Object.entries(seed.actions ?? {})),
    windows: new Map((seed.windows ?? []).map((w) => [w.ticketId, w])),
    log: seed.log ?? [],
    users: localUsers(seed.users),
  };
}

export function snapshot(state: ManagementState): ManagementSnapshot {
  return { ...state, actions: Object.fromEntries(state.actions), windows: [...state.windows.values()], users: [...state.users.values()] };
}
