import type { operations } from '../../generated/defender-cloud-apps.ts';
import { alphanumericToken } from '../kit/credentials.ts';
import { defineApiModule } from '../kit/define.ts';
import { activityHandlers } from './activities.ts';
import { alertHandlers } from './alerts.ts';
import { discoveryHandlers } from './discovery.ts';
import { entityHandlers } from './entities.ts';
import { fileHandlers } from './files.ts';
import { governanceHandlers } from './governance.ts';
import { ipRangeHandlers } from './ipranges.ts';
import { createState, snapshot, type CloudAppsSeed, type CloudAppsState } from './state.ts';
import { dataSourceHandlers } from './data-sources.ts';
import { discoveredAppHandlers } from './discovered-apps.ts';
import { logCollectorHandlers } from './log-collectors.ts';
import { adminAccessHandlers } from './portal-admin-access.ts';
import { policyHandlers } from './portal-policies.ts';
import { reportHandlers } from './portal-reports.ts';
import { portalSettingsHandlers } from './portal-settings.ts';
import { PORTAL_SEED_SCHEMAS } from './portal-state.ts';
import { tagHandlers } from './portal-tags.ts';
import { siemAgentHandlers } from './siem-agents.ts';

/**
 * Defender for Cloud Apps: `Token <key>` credentials carrying their issuer's privilege (read-only
 * or full admin), tied to the tenant, 30 requests per minute per tenant. Alerts, activities,
 * entities and files are searched with the filter language (filters.ts), sorted where the contract
 * declares sort fields, paged with skip/limit (hasNext and total count the filtered list) and read
 * one by one; activities also page in scan mode and take feedback. Alerts can be closed and
 * reopened; entities read as trees of a user and its accounts. IP ranges are created, listed,
 * replaced and deleted, and label the activities from their addresses (ipranges.ts). Cloud
 * discovery (reports, categories, log uploads, block scripts, the app catalog), the governance log
 * and managed devices are state too (discovery.ts, governance.ts). The portal routes the MCAS
 * module calls (admin access, policies, reports, tags and user groups, discovery data sources and log
 * collectors, SIEM agents, settings reads) answer from their own collections (portal-state.ts).
 *
 * The seed (seed.yaml) holds people, their accounts, files, activities and the alerts raised on
 * them, dated from one fixed instant so every run starts the same. The contract leaves activity,
 * entity and file records open (the docs publish no field list), so their shape follows records the
 * real service returned to public clients: the Cortex XSOAR Cloud App Security integration's
 * recorded responses (demisto/content, Packs/MicrosoftCloudAppSecurity, test_data.json and README
 * context paths) and the Microsoft-owned MCAS PowerShell module. Fields named in those sources keep
 * their names; the fields this mock invented for values a filter reads but no public record shows
 * are listed in seed.yaml's comments and next to the filter tables that read them.
 */
export default defineApiModule<operations, CloudAppsState, CloudAppsSeed>({
  api: 'defender-cloud-apps',
  roles: ['read-only', 'full-admin'],
  tenant: 'mytenant',
  principal: 'security-admin',
  makeSecret: alphanumericToken('', 64),
  rateLimitPerMinute: 30,
  seed: { file: new URL('./seed.yaml', import.meta.url) },
  seedSchemas: {
    alerts: '#/components/schemas/Alert',
    activities: '#/components/schemas/Activity',
    entities: '#/components/schemas/Entity',
    files: '#/components/schemas/File',
    ipRanges: '#/components/schemas/IpRange',
    discoveryStreams: '#/components/schemas/DiscoveryStream',
    ...PORTAL_SEED_SCHEMAS,
  },
  createState: (_store, seed) => createState(seed),
  snapshot,
  handlers: (state, _store, contract) => ({
    ...alertHandlers(state, contract),
    ...activityHandlers(state),
    ...entityHandlers(state),
    ...fileHandlers(state),
    ...ipRangeHandlers(state),
    ...discoveryHandlers(state, contract),
    ...governanceHandlers(state, contract),
    // The portal routes (`/cas/api/...`, undocumented) and the undocumented /api/v1 routes on the same resources.
    ...adminAccessHandlers(state),
    ...policyHandlers(state),
    ...reportHandlers(state),
    ...dataSourceHandlers(state),
    ...logCollectorHandlers(state),
    ...siemAgentHandlers(state),
    ...tagHandlers(state),
    ...discoveredAppHandlers(state),
    ...portalSettingsHandlers(state),
  }),
});
