import type { operations } from '../../generated/defender-iot-sensor.ts';
import type { Handlers } from '../kit/types.ts';
import type { Alert, SensorState } from './state.ts';

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

/**
 * An empty capture: the libpcap file header alone (magic, version 2.4, no time offset, snap length
 * 65535, Ethernet). The mock keeps no traffic; what it knows is which alerts have a capture.
 */
const EMPTY_PCAP = Buffer.from('d4c3b2a1020004000000000000000000ffff000001000000', 'hex');

/** Alerts, versions 1 and 2, with the documented filters; the capture of an alert it has (token and web UI routes). */
export function alertHandlers(state: SensorState): Handlers<operations> {
  return {
    listAlertsV1: ({ query }) => ({ status: 200, body: filterAlerts(state, query) }),
    listAlertsV2: ({ query }) => ({ status: 200, body: filterAlerts(state, query).map((a) => alertV2(state, a)) }),
    // The generated type calls the binary body a string; the kit sends a Buffer's bytes as they are.
    downloadAlertPcap: ({ params }) =>
      state.alerts.some((a) => a.id === params.id) ? { status: 200, body: EMPTY_PCAP as unknown as string } : { status: 404, body: { error: 'PCAP file is not available' } },
    // The web UI's route (undocumented): the same capture, reached with a web UI session.
    downloadFilteredAlertPcap: ({ params }) =>
      state.alerts.some((a) => a.id === params.alertId) ? { status: 200, body: EMPTY_PCAP as unknown as string } : { status: 404, body: { error: `Alert ${params.alertId} was not found` } },
  };
}
