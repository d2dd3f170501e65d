import type { operations } from '../../generated/defender-cloud-apps.ts';
import type { Contract } from '../../src/core/contract/model.ts';
import type { Handlers } from '../kit/types.ts';
import { applyFilters, type FieldTable, listBodyProblem, pageOf, readPath, sortRecords } from './filters.ts';
import { NOT_FOUND, newObjectId, type CloudAppsState, type OpenRecord } from './state.ts';

/**
 * Governance log entry status, as the `status` filter's numbers (this mock's numbering: the MCAS
 * module maps Failed, Pending and Successful to numbers it does not publish).
 */
export const GOVERNANCE_STATUS = { failed: 0, pending: 1, successful: 2 } as const;

/**
 * Governance log filters, as the MCAS module (Get-MCASGovernanceLog) sends them: `appId`, `type`
 * (the task name, `DiscoveryParseLogTask`, `QuarantineTask`, …) and `status` (a number, read from the
 * entry's `status.value`, this mock's field next to the module's `status.isSuccess`).
 */
const GOVERNANCE_FIELDS: FieldTable<OpenRecord> = {
  appId: (g) => g.appId,
  type: (g) => g.type,
  status: (g) => readPath(g, 'status.value'),
};

/** Logs an action the mock itself carried out (a discovery log parsed after an upload), done at once. */
export function recordGovernance(state: CloudAppsState, entry: OpenRecord) {
  const now = Date.now();
  state.governance.push({
    _id: newObjectId(),
    timestamp: now,
    ...entry,
    status: { value: GOVERNANCE_STATUS.successful, isSuccess: true, isPending: false, isFailed: false },
  });
}

const bad = (detail: string) => ({ status: 400 as const, body: { detail } });

type ListBody = { filters?: Record<string, unknown>; skip?: number; limit?: number; sortField?: unknown; sortDirection?: 'asc' | 'desc' } | undefined;

/**
 * The governance log (actions on files, users and apps, and the service's own tasks), listed newest
 * first with the shared list body and read by id; and managed devices, listed with the same body.
 * Both routes are undocumented and take an open body, so the body is checked here (listBodyProblem).
 */
export function governanceHandlers(state: CloudAppsState, contract?: Contract): Handlers<operations> {
  return {
    listGovernanceActions: ({ body }) => {
      const problem = contract && listBodyProblem(contract, body);
      if (problem) return bad(problem);
      const b = body as ListBody;
      // The module's one sort field is `timestamp`.
      if (b?.sortField !== undefined && b.sortField !== 'timestamp') return bad("sortField must be 'timestamp'.");
      const found = applyFilters(state.governance, b?.filters, GOVERNANCE_FIELDS);
      return { status: 200, body: pageOf(sortRecords(found, (g) => g.timestamp, b?.sortDirection ?? 'desc'), b) };
    },
    getGovernanceAction: ({ params }) => {
      const g = state.governance.find((x) => String(x._id) === params.pk);
      return g ? { status: 200, body: g } : { status: 404, body: NOT_FOUND };
    },
    /**
     * Managed devices: records of this mock's shape (seed.yaml names the fields), filtered on any of
     * their fields as dotted paths, newest `lastSeen` first.
     */
    getManagedDevicesData: ({ body }) => {
      const problem = contract && listBodyProblem(contract, body);
      if (problem) return bad(problem);
      const b = body as ListBody;
      const found = applyFilters(state.managedDevices, b?.filters, {});
      return { status: 200, body: pageOf(sortRecords(found, (d) => d.lastSeen, b?.sortDirection ?? 'desc'), b) };
    },
  };
}
