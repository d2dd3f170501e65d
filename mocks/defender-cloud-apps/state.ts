import type { components } from '../../generated/defender-cloud-apps.ts';
import { createPortalState, portalSnapshot, type PortalState } from './portal-state.ts';

export type Alert = components['schemas']['Alert'];
/** Activity, entity and file records are open in the contract: any fields, read by the filters as paths. */
export type Activity = components['schemas']['Activity'];
export type Entity = components['schemas']['Entity'];
export type CloudFile = components['schemas']['File'];
export type IpRange = components['schemas']['IpRange'];
export type DiscoveryStream = components['schemas']['DiscoveryStream'];
/** Records of undocumented routes (governance log, app catalog, managed devices): open, fields named in seed.yaml. */
export type OpenRecord = Record<string, unknown>;

/** A cloud discovery upload begun with getDiscoveryUploadUrl; finalised at most once. */
export interface DiscoveryUpload {
  url: string;
  filename: string;
  source: string;
  started: string;
  finalized: string | null;
}

/** Feedback sent on an activity (sendActivityFeedback): what the body said, when, about which activity. */
export interface ActivityFeedback {
  activityId: string;
  received: string;
  feedback?: unknown;
  feedbackValue?: string;
  feedbackText?: string;
  allowContact?: boolean;
  contactEmail?: string;
}

/** What the mock knows; a seed may give any part of it, and a snapshot gives all of it. */
export interface CloudAppsState extends PortalState {
  alerts: Alert[];
  activities: Activity[];
  entities: Entity[];
  files: CloudFile[];
  ipRanges: IpRange[];
  governance: OpenRecord[];
  saasdbApps: OpenRecord[];
  /**
   * Where cloud discovery saw each app (this mock's records): the catalog id, the reports (streams)
   * that saw it, when it was last seen, and the tenant's tag for it. The portal's app list
   * (`discoveredApps`, portal-state.ts) is the catalog side of the same apps.
   */
  discoverySightings: OpenRecord[];
  discoveryStreams: DiscoveryStream[];
  discoveryUploads: DiscoveryUpload[];
  managedDevices: OpenRecord[];
  activityFeedback: ActivityFeedback[];
}

/** A seed document: any of the collections (seed.yaml has all four; a `--seed` document may replace some). */
export type CloudAppsSeed = Partial<CloudAppsState>;

/**
 * The state a seed document describes. The kit has checked each collection's records against the
 * contract's schema (`seedSchemas` in index.ts) and hands over a copy of its own, kept as it is.
 */
export function createState(seed: CloudAppsSeed): CloudAppsState {
  return {
    alerts: seed.alerts ?? [],
    activities: seed.activities ?? [],
    entities: seed.entities ?? [],
    files: seed.files ?? [],
    ipRanges: seed.ipRanges ?? [],
    governance: seed.governance ?? [],
    saasdbApps: seed.saasdbApps ?? [],
    discoverySightings: seed.discoverySightings ?? [],
    discoveryStreams: seed.discoveryStreams ?? [],
    discoveryUploads: seed.discoveryUploads ?? [],
    managedDevices: seed.managedDevices ?? [],
    activityFeedback: seed.activityFeedback ?? [],
    ...createPortalState(seed),
  };
}

export function snapshot(state: CloudAppsState): CloudAppsState {
  return { ...state, ...portalSnapshot(state) };
}

export { newObjectId } from './ids.ts';

export const NOT_FOUND = { detail: 'Not found.' };
