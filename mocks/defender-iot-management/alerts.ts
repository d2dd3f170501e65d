import type { components, operations } from '../../generated/defender-iot-management.ts';
import type { Handlers } from '../kit/types.ts';
import { sensorName, siteName, zoneName } from './places.ts';
import type { Action, AlertRecord, ManagementState } from './state.ts';

type Schemas = components['schemas'];

/**
 * The docs' alert UUIDs have the form `<number>-<epoch ms>` (`1-1594550943000`, and `5-1557059334000`
 * in a syslog sample sent by a sensor); the mock reads them as `<sensorId>-<alert time>`.
 */
export const alertUuid = (a: AlertRecord) => `${a.sensorId}-${a.time}`;

/** The action recorded through the API, or `handle` for an alert seeded as handled. */
function currentAction(state: ManagementState, a: AlertRecord): Action | undefined {
  return state.actions.get(alertUuid(a)) ?? (a.handled ? 'handle' : undefined);
}

interface AlertFilter {
  state?: string;
  fromTime?: number;
  toTime?: number;
  siteId?: number;
  zoneId?: number;
  sensorId?: number;
  sensor?: number;
}

/** The v1/v2 filters. `state` values other than handled/unhandled are ignored, as documented. */
export function filterAlerts(state: ManagementState, q: AlertFilter): Array<AlertRecord & { handled: boolean }> {
  const wanted = q.state === 'handled' ? true : q.state === 'unhandled' ? false : undefined;
  return state.alerts
    .map((a) => ({ ...a, handled: currentAction(state, a) !== undefined }))
    .filter(
      (a) =>
        (wanted === undefined || a.handled === wanted) &&
        (q.fromTime === undefined || a.time >= q.fromTime) &&
        (q.toTime === undefined || a.time < q.toTime) &&
        (q.siteId === undefined || a.siteId === q.siteId) &&
        (q.zoneId === undefined || a.zoneId === q.zoneId) &&
        (q.sensorId === undefined || a.sensorId === q.sensorId) &&
        (q.sensor === undefined || a.sensorId === q.sensor),
    );
}

function alertV1({ remediationSteps, ...a }: AlertRecord): Schemas['AlertV1'] {
  return { ...a, remediationSteps: remediationSteps?.length ? remediationSteps.join('\n') : null };
}

function alertV2(state: ManagementState, a: AlertRecord): Schemas['AlertV2'] {
  const address = (id: number | null | undefined) => state.devices.find((d) => d.id === id)?.ipAddresses?.[0] ?? null;
  return {
    ...a,
    sourceDeviceAddress: address(a.sourceDevice),
    destinationDeviceAddress: address(a.destinationDevice),
    remediationSteps: a.remediationSteps ?? [],
    sensorName: sensorName(state, a.sensorId),
    zoneName: zoneName(state, a.zoneId),
    siteName: siteName(state, a.siteId ?? 0),
  };
}

function updateAlert(state: ManagementState, uuid: string, action: Action) {
  const alert = state.alerts.find((a) => alertUuid(a) === uuid);
  // The console documents 500, not 404, for a UUID no alert has.
  if (!alert) return { status: 500 as const, body: { error: "Couldn't execute request because no alert was found for this UUID." } };
  const current = currentAction(state, alert);
  if (current === 'handleAndLearn' || current === action) return { status: 200 as const, body: { content: `Alert was already handled (${current}).` } };
  state.actions.set(uuid, action);
  return { status: 200 as const, body: { content: 'Alert update request finished successfully' } };
}

/** Alerts, versions 1 and 2, and the actions (handle, handle and learn) applied to them by UUID. */
export function alertHandlers(state: ManagementState): Handlers<operations> {
  return {
    listAlertsV1: ({ query }) => ({ status: 200, body: filterAlerts(state, query).map(alertV1) }),
    listAlertsV2: ({ query }) => ({ status: 200, body: filterAlerts(state, query).map((a) => alertV2(state, a)) }),
    updateAlert: ({ params, body }) => updateAlert(state, params.UUID, body.action),
  };
}
