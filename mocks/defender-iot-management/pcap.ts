import { randomUUID } from 'node:crypto';
import type { operations } from '../../generated/defender-iot-management.ts';
import type { Handlers } from '../kit/types.ts';
import type { ManagementState } from './state.ts';

/**
 * The first step of an alert's PCAP download: the console holds no capture and hands out the URL of
 * the sensor that does (its interface address, the sensor-side alert id) with a GUID-shaped token
 * issued for that one download. The mock keeps no sensor-side alert ids and uses the console's.
 * The console reports an unknown alert, and a sensor it cannot reach, with status 500 (as documented).
 */
export function pcapHandlers(state: ManagementState): Handlers<operations> {
  return {
    getAlertPcap: ({ params }) => {
      const alert = state.alerts.find((a) => a.id === params.id);
      if (!alert) return { status: 500, body: { error: 'alert not found' } };
      const sensor = state.sensors.find((s) => s.id === alert.sensorId);
      if (!sensor) return { status: 500, body: { error: `Error while getting token for xsense id ${alert.sensorId}` } };
      return {
        status: 200,
        body: { downloadUrl: `${sensor.interfaceAddress}/api/v2/alerts/pcap/${alert.id}`, xsenseId: sensor.id, token: randomUUID(), id: alert.id, xsenseAlertId: alert.id },
      };
    },
  };
}
