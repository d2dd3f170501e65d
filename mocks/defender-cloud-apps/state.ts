import type { components } from '../../generated/defender-cloud-apps.ts';

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
export interface CloudAppsState {
  alerts: Alert[];
  activities: Activity[];
  entities: Entity[];
  files: CloudFile[];
  ipRanges: IpRange[];
  governance: OpenRecord[];
  saasdbApps: OpenRecord[];
  discoveredApps: OpenRecord[];
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
    discoveredApps: seed.discoveredApps ?? [],
    discoveryStreams: seed.discoveryStreams ?? [],
    discoveryUploads: seed.discoveryUploads ?? [],
    managedDevices: seed.managedDevices ?? [],
    activityFeedback: seed.activityFeedback ?? [],
  };
}

export function snapshot(state: CloudAppsState): CloudAppsState {
  return { ...state };
}

/** A new record id: 24 hex digits, as the service's ids are (a time part, then a counter). */
let counter = 0;
export function newObjectId(): string {
  counter = (counter + 1) % 0xffffff;
  return Math.floor(Date.now() / 1000).toString(16).padStart(8, '0') + '6d6f636b' + counter.toString(16).padStart(8, '0');
}

export const NOT_FOUND = { detail: 'Not found.' };
