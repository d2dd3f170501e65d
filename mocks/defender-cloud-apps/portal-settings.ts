import type { operations } from '../../generated/defender-cloud-apps.ts';
import type { Handlers } from '../kit/types.ts';
import type { CloudAppsState } from './state.ts';

/**
 * The settings Get-MCASConfiguration and Get-MCASPortalSettings read, each a one-record collection of
 * the state (a `--seed` can replace any of them). A collection left empty reads as `{}` (or `{data: []}`
 * where the module reads `data`), the answer of a tenant that never changed that setting.
 */
export function portalSettingsHandlers(state: CloudAppsState): Handlers<operations> {
  return {
    getPortalGeneralSettings: () => ({ status: 200, body: state.generalSettings[0] ?? {} }),
    getPortalMailSettings: () => ({ status: 200, body: state.mailSettings[0] ?? { tenantEmail: {} } }),
    getDiscoveryScoreWeights: () => ({ status: 200, body: state.scoreWeights[0] ?? { fields: {} } }),
    listDiscoverySnapshotReports: () => ({ status: 200, body: state.snapshotReports[0] ?? { data: [] } }),
    listDiscoveryContinuousReports: () => ({ status: 200, body: state.continuousReports[0] ?? { data: [] } }),
    listDiscoveryAppTagDefinitions: () => ({ status: 200, body: state.discoveryAppTagDefinitions[0] ?? { data: [] } }),
    getUserEnrichmentSetting: () => ({ status: 200, body: state.userEnrichment[0] ?? {} }),
    getDiscoveryAnonymizationSettings: () => ({ status: 200, body: state.anonymization[0] ?? { data: {} } }),
    readManagedDevicesData: () => ({ status: 200, body: state.managedDeviceSettings[0] ?? { data: {} } }),
    getPortalConstants: () => ({ status: 200, body: state.portalConstants[0] ?? {} }),
  };
}
