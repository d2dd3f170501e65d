import type { operations } from '../../generated/defender-cloud-apps.ts';
import type { Handlers } from '../kit/types.ts';
import { applyFilters, type FieldTable } from './filters.ts';
import { portalPage } from './portal-state.ts';
import { NOT_FOUND, type CloudAppsState } from './state.ts';

type Policy = CloudAppsState['policies'][number];

/** Get-MCASPolicy filters on `type`; the record keeps it as `policyType` (see the contract's Policy schema). */
const POLICY_FIELDS: FieldTable<Policy> = { type: (p) => p.policyType, enabled: (p) => p.enabled, name: (p) => p.name };

/** Policies: listed with the filter language and paged; read by type and id (another type's id is not found). */
export function policyHandlers(state: CloudAppsState): Handlers<operations> {
  return {
    listPolicies: ({ body }) => ({ status: 200, body: portalPage(applyFilters(state.policies, body?.filters, POLICY_FIELDS), body?.skip, body?.limit) }),
    getPolicy: ({ params }) => {
      const p = state.policies.find((x) => x._id === params.pk && x.policyType === params.policyType);
      return p ? { status: 200, body: p } : { status: 404, body: NOT_FOUND };
    },
  };
}
