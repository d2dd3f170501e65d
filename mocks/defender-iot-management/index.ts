import type { operations } from '../../generated/defender-iot-management.ts';
import { hexToken } from '../kit/credentials.ts';
import { defineApiModule } from '../kit/define.ts';
import { passwordHandlers } from '../shared/defender-iot/users.ts';
import { alertHandlers } from './alerts.ts';
import { applianceHandlers } from './appliances.ts';
import { deviceHandlers } from './devices.ts';
import { maintenanceHandlers } from './maintenance.ts';
import { pcapHandlers } from './pcap.ts';
import { createState, snapshot, type ManagementSeed, type ManagementState } from './state.ts';

/**
 * The management console: raw access tokens with no roles; local users as on the sensor
 * (mocks/shared/defender-iot/users.ts); sites, zones and sensors (places.ts, appliances.ts);
 * devices, in the v1 inventory and the integration API's views of the same records (devices.ts);
 * alerts with the actions applied to them (alerts.ts); maintenance windows and their log
 * (maintenance.ts); the PCAP hand-off to the sensor holding an alert's capture (pcap.ts).
 */
export default defineApiModule<operations, ManagementState, ManagementSeed>({
  api: 'defender-iot-management',
  roles: ['integration'],
  tenant: 'console',
  principal: 'integration',
  makeSecret: hexToken(32),
  seed: { file: new URL('./seed.yaml', import.meta.url) },
  // Devices, alerts and CVEs carry fields of this mock's own next to the schema's (seed.yaml says
  // which); sensors lack the counts the console works out; sites, zones, deletedDevices,
  // connections, actions and users have no schema in the contract.
  seedSchemas: {
    devices: '#/components/schemas/Device',
    alerts: '#/components/schemas/AlertBase',
    cves: '#/components/schemas/DeviceCve',
    windows: '#/components/schemas/MaintenanceWindowCreate',
    log: '#/components/schemas/MaintenanceWindowLogEntry',
  },
  createState: (_store, seed) => createState(seed),
  snapshot,
  handlers: (state) => ({
    ...applianceHandlers(state),
    ...deviceHandlers(state),
    ...alertHandlers(state),
    ...maintenanceHandlers(state),
    ...pcapHandlers(state),
    ...passwordHandlers(state.users, { error: { userDisplayErrorMessage: 'Credentials validation failed' } }),
  }),
});
