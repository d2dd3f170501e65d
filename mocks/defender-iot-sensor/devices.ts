import type { operations } from '../../generated/defender-iot-sensor.ts';
import type { Handlers } from '../kit/types.ts';
import type { SensorState } from './state.ts';

/** The device inventory, narrowed to authorized or unauthorized devices on request. */
export function deviceHandlers(state: SensorState): Handlers<operations> {
  return {
    listDevices: ({ query }) => ({ status: 200, body: state.devices.filter((d) => query.authorized === undefined || d.authorized === query.authorized) }),
  };
}
