import type { components } from '../../generated/defender-cloud-apps.ts';

type Schemas = components['schemas'];

/**
 * The collections behind the portal routes (`/cas/api/...`) and the two undocumented `/api/v1` routes
 * on the same resources (SIEM agents, data source deletion). Each is a list in the seed, validated
 * against the contract schema named in index.ts; the settings reads are one-record lists, so that
 * their seed records are checked like any other.
 */
export interface PortalState {
  adminAccess: Schemas['AdminAccess'][];
  policies: Schemas['Policy'][];
  reports: Schemas['Report'][];
  /** Rows of each built-in report: `{report: <non_entities_report>, data: [...]}`. */
  reportContents: (Schemas['DataResult'] & { report?: string })[];
  /** `created` (milliseconds) is the mock's own field: the module sorts by it, no record shows it. */
  dataSources: (Schemas['DataSource'] & { created?: number })[];
  logCollectors: Schemas['LogCollector'][];
  siemAgents: Schemas['SiemAgent'][];
  portalTags: Schemas['PortalTag'][];
  userGroups: Schemas['UserGroup'][];
  discoveredApps: Schemas['DiscoveredApp'][];
  discoveredAppTags: Schemas['DiscoveredAppTags'][];
  appPermissions: Schemas['AppPermission'][];
  activityTypes: Schemas['ActivityType'][];
  generalSettings: Schemas['PortalObject'][];
  mailSettings: Schemas['MailSettings'][];
  scoreWeights: Schemas['ScoreWeights'][];
  snapshotReports: Schemas['DataResult'][];
  continuousReports: Schemas['DataResult'][];
  discoveryAppTagDefinitions: Schemas['DataResult'][];
  userEnrichment: Schemas['PortalObject'][];
  anonymization: Schemas['DataResult'][];
  managedDeviceSettings: Schemas['DataResult'][];
  portalConstants: Schemas['PortalConstants'][];
}

/** Contract schema of each portal collection's records, for the kit's seed check. */
export const PORTAL_SEED_SCHEMAS: Record<keyof PortalState, string> = {
  adminAccess: '#/components/schemas/AdminAccess',
  policies: '#/components/schemas/Policy',
  reports: '#/components/schemas/Report',
  reportContents: '#/components/schemas/DataResult',
  dataSources: '#/components/schemas/DataSource',
  logCollectors: '#/components/schemas/LogCollector',
  siemAgents: '#/components/schemas/SiemAgent',
  portalTags: '#/components/schemas/PortalTag',
  userGroups: '#/components/schemas/UserGroup',
  discoveredApps: '#/components/schemas/DiscoveredApp',
  discoveredAppTags: '#/components/schemas/DiscoveredAppTags',
  appPermissions: '#/components/schemas/AppPermission',
  activityTypes: '#/components/schemas/ActivityType',
  generalSettings: '#/components/schemas/PortalObject',
  mailSettings: '#/components/schemas/MailSettings',
  scoreWeights: '#/components/schemas/ScoreWeights',
  snapshotReports: '#/components/schemas/DataResult',
  continuousReports: '#/components/schemas/DataResult',
  discoveryAppTagDefinitions: '#/components/schemas/DataResult',
  userEnrichment: '#/components/schemas/PortalObject',
  anonymization: '#/components/schemas/DataResult',
  managedDeviceSettings: '#/components/schemas/DataResult',
  portalConstants: '#/components/schemas/PortalConstants',
};

const KEYS = Object.keys(PORTAL_SEED_SCHEMAS) as (keyof PortalState)[];

export function createPortalState(seed: Partial<PortalState>): PortalState {
  return Object.fromEntries(KEYS.map((k) => [k, seed[k] ?? []])) as unknown as PortalState;
}

export function portalSnapshot(state: PortalState): PortalState {
  return Object.fromEntries(KEYS.map((k) => [k, state[k]])) as unknown as PortalState;
}

/** A page of records by the paging fields the portal routes take. */
export function portalPage<T>(records: T[], skip = 0, limit = 100): { data: T[]; total: number; hasNext: boolean } {
  return { data: records.slice(skip, skip + limit), total: records.length, hasNext: skip + limit < records.length };
}
