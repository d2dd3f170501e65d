import type { components, operations } from '../../generated/defender-iot-management.ts';
import type { Handlers } from '../kit/types.ts';
import { filterAlerts } from './alerts.ts';
import type { ManagementState } from './state.ts';

type Schemas = components['schemas'];

/** The sensors with the alert and device counts the console works out from its state. */
function appliances(state: ManagementState): Schemas['Appliance'][] {
  return state.sensors.map((s) => {
    const alerts = filterAlerts(state, { sensorId: s.id });
    return { ...s, alertCount: alerts.length, unhandledAlertsCount: alerts.filter((a) => !a.handled).length, deviceCount: state.devices.filter((d) => d.sensorId === s.id).length };
  });
}

function connectionState(a: Schemas['Appliance']): Schemas['SensorConnectionState'] {
  const c = a.state.connectionState;
  if (typeof c === 'string') return c;
  return c.isConsideredConnected ? 'SYNCED' : 'DISCONNECTED';
}

/** The same sensors in the integration API's field names. */
function integrationSensors(state: ManagementState): Schemas['IntegrationSensor'][] {
  return appliances(state).map((a) => ({
    u_id: a.id,
    u_name: a.name,
    u_interface_address: a.interfaceAddress,
    u_connection_state: connectionState(a),
    u_version: a.version,
    u_alert_count: a.alertCount,
    u_device_count: a.deviceCount,
    u_unhandled_alert_count: a.unhandledAlertsCount,
    u_is_activated: a.isActivated,
    u_data_intelligence_version: a.dataIntelligenceVersion,
    u_uid: a.uid ?? '',
    u_zone_id: a.zoneId ?? null,
    u_is_in_learning_mode: a.isInLearningMode ?? false,
    u_remote_upgrade_stage: a.upgradeStatus && a.upgradeStatus.stage !== 'SUCCESS' ? a.upgradeStatus.stage : '',
  }));
}

/** The sensors connected to the console: appliance lists (v1, v2) and the integration API's sensor list. */
export function applianceHandlers(state: ManagementState): Handlers<operations> {
  return {
    listAppliancesV1: () => ({ status: 200, body: appliances(state) }),
    listAppliancesV2: () => ({ status: 200, body: appliances(state) }),
    listIntegrationSensors: () => ({ status: 200, body: integrationSensors(state) }),
  };
}
