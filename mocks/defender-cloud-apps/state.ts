import type { components } from '../../generated/defender-cloud-apps.ts';

export type Alert = components['schemas']['Alert'];
/** Activity, entity and file records are open in the contract: any fields, read by the filters as paths. */
export type Activity = components['schemas']['Activity'];
export type Entity = components['schemas']['Entity'];
export type CloudFile = components['schemas']['File'];

/** What the mock knows; a seed may give any part of it, and a snapshot gives all of it. */
export interface CloudAppsState {
  alerts: Alert[];
  activities: Activity[];
  entities: Entity[];
  files: CloudFile[];
}

/**
 * The state a seed document describes. The kit has checked each collection's records against the
 * contract's schema (`seedSchemas` in index.ts); the records are copied so the seed stays as read.
 */
export function createState(seed: Partial<CloudAppsState>): CloudAppsState {
  return {
    alerts: structuredClone(seed.alerts ?? []),
    activities: structuredClone(seed.activities ?? []),
    entities: structuredClone(seed.entities ?? []),
    files: structuredClone(seed.files ?? []),
  };
}

export function snapshot(state: CloudAppsState): CloudAppsState {
  return { alerts: state.alerts, activities: state.activities, entities: state.entities, files: state.files };
}

export const NOT_FOUND = { detail: 'Not found.' };
