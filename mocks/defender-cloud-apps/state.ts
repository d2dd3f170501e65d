import type { components } from '../../generated/defender-cloud-apps.ts';
import { createPortalState, portalSnapshot, type PortalState } from './portal-state.ts';

export type Alert = components['schemas']['Alert'];
/** Activity, entity and file records are open in the contract: any fields, read by the filters as paths. */
export type Activity = components['schemas']['Activity'];
export type Entity = components['schemas']['Entity'];
export type CloudFile = components['schemas']['File'];

/** What the mock knows; a seed may give any part of it, and a snapshot gives all of it. */
export interface CloudAppsState extends PortalState {
  alerts: Alert[];
  activities: Activity[];
  entities: Entity[];
  files: CloudFile[];
}

/** A seed document: any of the collections (seed.yaml has all four; a `--seed` document may replace some). */
export type CloudAppsSeed = Partial<CloudAppsState>;

/**
 * The state a seed document describes. The kit has checked each collection's records against the
 * contract's schema (`seedSchemas` in index.ts) and hands over a copy of its own, kept as it is.
 */
export function createState(seed: CloudAppsSeed): CloudAppsState {
  return { alerts: seed.alerts ?? [], activities: seed.activities ?? [], entities: seed.entities ?? [], files: seed.files ?? [], ...createPortalState(seed) };
}

export function snapshot(state: CloudAppsState): CloudAppsState {
  return { alerts: state.alerts, activities: state.activities, entities: state.entities, files: state.files, ...portalSnapshot(state) };
}

export const NOT_FOUND = { detail: 'Not found.' };
