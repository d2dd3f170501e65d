import { hexToken } from '../../kit/credentials.ts';
import { consoleHandlers, consoleSnapshot, consoleState, type ConsoleState } from '../../defender-iot-management/handlers.ts';
import { sensorHandlers, sensorSnapshot, sensorState, type SensorState } from '../../defender-iot-sensor/handlers.ts';
import { consoleUsers, passwordHandlers, type ConsoleUser, type ConsoleUserSeed } from './users.ts';
import type { operations as ConsoleOps } from '../../../generated/defender-iot-management.ts';
import type { operations as SensorOps } from '../../../generated/defender-iot-sensor.ts';
import type { ApiModule } from '../../kit/server.ts';
import type { Handlers } from '../../kit/types.ts';

/** Both appliances keep local console users, whom the password routes authenticate in the body. */
type WithUsers<S> = S & { users: Map<string, ConsoleUser> };
const usersOf = (seed: unknown) => consoleUsers((seed as { users?: ConsoleUserSeed[] } | undefined)?.users);

/**
 * The OT sensor: raw 32-hex access tokens with no roles; local users whose passwords the
 * password routes check and change (mocks/shared/defender-iot/users.ts); devices, their connections and CVEs,
 * alerts and the event timeline over in-memory state (mocks/defender-iot-sensor/handlers.ts). The
 * vulnerability reports answer with the contract's examples.
 */
export const defenderIotSensor: ApiModule<WithUsers<SensorState>> = {
  api: 'defender-iot-sensor',
  roles: ['integration'],
  tenant: 'sensor',
  principal: 'integration',
  makeSecret: hexToken(32),
  createState: (_store, seed) => ({ ...sensorState(seed), users: usersOf(seed) }),
  snapshot: (state) => ({ ...sensorSnapshot(state), users: [...state.users.values()] }),
  handlers: (state) => {
    const handlers: Handlers<SensorOps> = { ...sensorHandlers(state), ...passwordHandlers(state.users, { error: 'Credentials validation failed' }) };
    return handlers as never;
  },
};

/**
 * The management console: raw access tokens with no roles; local users as on the sensor; sensors, devices (v1 and integration
 * views of the same records), alerts with the actions applied to them, maintenance windows and
 * their log (mocks/defender-iot-management/handlers.ts). The PCAP hand-off answers with the contract's
 * example.
 */
export const defenderIotManagement: ApiModule<WithUsers<ConsoleState>> = {
  api: 'defender-iot-management',
  roles: ['integration'],
  tenant: 'console',
  principal: 'integration',
  makeSecret: hexToken(32),
  createState: (_store, seed) => ({ ...consoleState(seed), users: usersOf(seed) }),
  snapshot: (state) => ({ ...consoleSnapshot(state), users: [...state.users.values()] }),
  handlers: (state) => {
    const handlers: Handlers<ConsoleOps> = { ...consoleHandlers(state), ...passwordHandlers(state.users, { error: { userDisplayErrorMessage: 'Credentials validation failed' } }) };
    return handlers as never;
  },
};
