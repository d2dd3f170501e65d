import type { components as SensorComponents, operations as SensorOps } from '../../generated/defender-iot-sensor.ts';
import type { operations as ConsoleOps } from '../../generated/defender-iot-management.ts';
import { hexToken } from './credentials.ts';
import type { ApiModule } from './server.ts';
import type { Handlers } from './types.ts';

type Alert = SensorComponents['schemas']['Alert'];
type Device = SensorComponents['schemas']['Device'];

interface SensorState {
  alerts: Alert[];
  devices: Device[];
  /** Alert ids the operator handled in the console. */
  handled: Set<number>;
}

const SENSOR_ALERTS: Alert[] = [
  { id: 1, time: 1509881077000, title: 'Internet Access Detected', message: 'Device 192.168.0.13 tried to access an external IP address.', severity: 'Major', engine: 'Policy Violation', sourceDevice: null, destinationDevice: null, additionalInformation: { description: 'External Addresses', information: ['170.60.50.201 over port BACnet (47808)'] } },
  { id: 2, time: 1505651605000, title: 'Illegal MODBUS Operation (Exception Raised by Master)', message: 'A MODBUS master 192.168.110.131 sent an illegal operation.', severity: 'Major', engine: 'Protocol Violation', sourceDevice: 3, destinationDevice: 4, additionalInformation: null },
  { id: 3, time: 1594550986000, title: 'Device is Suspected to be Disconnected (Unresponsive)', message: 'Device 10.2.1.15 did not answer for 30 minutes.', severity: 'Warning', engine: 'Operational', sourceDevice: 5, destinationDevice: null, additionalInformation: null },
];

const SENSOR_DEVICES: Device[] = [
  { id: 3, name: 'HMI-01', type: 'HMI', ipAddresses: ['192.168.110.131'], macAddresses: ['00:1b:1b:00:00:03'], vendor: 'Siemens', operatingSystem: 'Windows 10', engineeringStation: false, authorized: true, scanner: false, hasDynamicAddress: false, protocols: [{ id: 1, name: 'MODBUS', ipAddresses: ['192.168.110.131'] }], firmware: [] },
  { id: 4, name: 'PLC-04', type: 'PLC', ipAddresses: ['192.168.110.132'], macAddresses: null, vendor: 'Schneider', operatingSystem: null, engineeringStation: false, authorized: true, scanner: false, hasDynamicAddress: false, protocols: null, firmware: null },
  { id: 5, name: '10.2.1.15', type: 'Unknown', ipAddresses: ['10.2.1.15'], macAddresses: null, vendor: null, operatingSystem: null, engineeringStation: false, authorized: false, scanner: false, hasDynamicAddress: true, protocols: null, firmware: null },
];

/** The v1/v2 alert list filters: state, creation window and kind (unknown kinds are ignored). */
function filterAlerts(state: SensorState, q: { state?: string; fromTime?: number; toTime?: number }) {
  return state.alerts.filter(
    (a) =>
      (q.state === undefined || (q.state === 'handled') === state.handled.has(a.id)) &&
      (q.fromTime === undefined || a.time >= q.fromTime) &&
      (q.toTime === undefined || a.time < q.toTime),
  );
}

/**
 * The OT sensor: raw 32-hex access tokens with no roles; devices with the authorized filter;
 * alerts with their state/time filters, in version 1 and version 2 shapes. Other routes answer
 * with the contract's examples.
 */
export const defenderIotSensor: ApiModule<SensorState> = {
  api: 'defender-iot-sensor',
  roles: ['integration'],
  tenant: 'sensor',
  principal: 'integration',
  makeSecret: hexToken(32),
  createState: (_store, seed) => {
    const s = seed as Partial<{ alerts: Alert[]; devices: Device[]; handled: number[] }> | undefined;
    return { alerts: structuredClone(s?.alerts ?? SENSOR_ALERTS), devices: structuredClone(s?.devices ?? SENSOR_DEVICES), handled: new Set(s?.handled ?? [3]) };
  },
  snapshot: (state) => ({ alerts: state.alerts, devices: state.devices, handled: [...state.handled] }),
  handlers(state) {
    const handlers: Handlers<SensorOps> = {
      listDevices: ({ query }) => ({ status: 200, body: state.devices.filter((d) => query.authorized === undefined || d.authorized === query.authorized) }),
      listAlertsV1: ({ query }) => ({ status: 200, body: filterAlerts(state, query) }),
      listAlertsV2: ({ query }) => ({
        status: 200,
        body: filterAlerts(state, query).map((a) => ({ ...a, sourceDeviceAddress: null, destinationDeviceAddress: null, remediationSteps: [] })),
      }),
    };
    return handlers as never;
  },
};

interface ConsoleState {
  /** Alert UUID → the strongest action applied to it so far. */
  actions: Map<string, 'handle' | 'handleAndLearn'>;
  /** Open maintenance windows by ticket id. */
  windows: Map<string, { ticketId: string; ttl: number | string; engines?: string[]; sensorIds?: Array<string | number>; subnets?: string[] }>;
}

/**
 * The management console: raw access tokens with no roles, alert actions remembered per alert
 * (handling twice says so; handle-and-learn is the stronger state), maintenance windows opened,
 * extended and closed by ticket id. Other routes answer with the contract's examples.
 */
export const defenderIotManagement: ApiModule<ConsoleState> = {
  api: 'defender-iot-management',
  roles: ['integration'],
  tenant: 'console',
  principal: 'integration',
  makeSecret: hexToken(32),
  createState: (_store, seed) => {
    const s = seed as Partial<{ actions: Record<string, 'handle' | 'handleAndLearn'>; windows: ConsoleState['windows'] extends Map<string, infer W> ? W[] : never }> | undefined;
    return { actions: new Map(Object.entries(s?.actions ?? {})), windows: new Map((s?.windows ?? []).map((w) => [w.ticketId, w])) };
  },
  snapshot: (state) => ({ actions: Object.fromEntries(state.actions), windows: [...state.windows.values()] }),
  handlers(state) {
    const handlers: Handlers<ConsoleOps> = {
      updateAlert: ({ params, body }) => {
        const current = state.actions.get(params.UUID);
        if (current === 'handleAndLearn' || current === body.action) {
          return { status: 200, body: { content: `Alert was already handled (${current}).` } };
        }
        state.actions.set(params.UUID, body.action);
        return { status: 200, body: { content: 'Alert update request finished successfully' } };
      },
      createMaintenanceWindow: ({ body }) => {
        if (state.windows.has(body.ticketId)) return { status: 409, body: { error: 'Ticket ID already has an open window.' } };
        state.windows.set(body.ticketId, { ...body });
        return { status: 201, body: undefined };
      },
      updateMaintenanceWindow: ({ body }) => {
        const w = state.windows.get(body.ticketId);
        if (!w) return { status: 404, body: { error: 'Maintenance window not found' } };
        w.ttl = body.ttl;
        return { status: 200, body: undefined };
      },
      closeMaintenanceWindow: ({ query, body }) => {
        const ticketId = query.ticketId ?? body?.ticketId;
        if (!ticketId) return { status: 400, body: { error: 'ticketId is required' } };
        if (!state.windows.delete(ticketId)) return { status: 404, body: { error: 'Maintenance window not found.' } };
        return { status: 200, body: undefined };
      },
    };
    return handlers as never;
  },
};
