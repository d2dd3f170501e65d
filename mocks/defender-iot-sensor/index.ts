import type { operations } from '../../generated/defender-iot-sensor.ts';
import { hexToken } from '../kit/credentials.ts';
import { defineApiModule } from '../kit/define.ts';
import { passwordHandlers } from '../shared/defender-iot/users.ts';
import { alertHandlers } from './alerts.ts';
import { connectionHandlers } from './connections.ts';
import { deviceHandlers } from './devices.ts';
import { eventHandlers, knownEventTypes } from './events.ts';
import { reportHandlers } from './reports.ts';
import { createState, snapshot, type SensorSeed, type SensorState } from './state.ts';

const API = 'defender-iot-sensor';

/**
 * The OT sensor: raw 32-hex access tokens with no roles; local users whose passwords the password
 * routes check and change (mocks/shared/defender-iot/users.ts); devices, their connections and
 * CVEs, alerts and the event timeline over in-memory state, one module per resource; the
 * vulnerability reports are worked out from those on each call (reports.ts).
 */
export default defineApiModule<operations, SensorState, SensorSeed>({
  api: API,
  roles: ['integration'],
  tenant: 'sensor',
  principal: 'integration',
  makeSecret: hexToken(32),
  seed: { file: new URL('./seed.yaml', import.meta.url) },
  // `handled` (alert ids) and `users` (local console users) are this mock's own: the contract has no schema for them.
  seedSchemas: {
    alerts: '#/components/schemas/Alert',
    devices: '#/components/schemas/Device',
    connections: '#/components/schemas/Connection',
    cves: '#/components/schemas/Cve',
    events: '#/components/schemas/Event',
  },
  createState: (_store, seed) => createState(seed),
  snapshot,
  // The events filter reads the documented event types from the contract served; a contract
  // without them stops the start (knownEventTypes throws) rather than filtering on nothing.
  handlers: (state, _store, contract) => ({
    ...deviceHandlers(state),
    ...connectionHandlers(state),
    ...alertHandlers(state),
    ...eventHandlers(state, knownEventTypes(contract)),
    ...reportHandlers(state),
    ...passwordHandlers(state.users, { error: 'Credentials validation failed' }),
  }),
});
