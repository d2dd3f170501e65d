import type { components, operations } from '../../generated/defender-cloud-apps.ts';
import type { Contract } from '../../src/core/contract/model.ts';
import type { Handlers } from '../kit/types.ts';
import { applyFilters, type FieldTable, listBodyProblem, operandList, pageOf, sortRecords } from './filters.ts';
import { NOT_FOUND, type Alert, type CloudAppsState } from './state.ts';

type AlertFilters = components['schemas']['AlertFilters'];

const ALERT_FILTERS_SCHEMA = '#/components/schemas/AlertFilters';

const entitiesOfType = (a: Alert, type: string) => (a.entities ?? []).filter((e) => e.type === type);

/** Which alert value each documented alert filter field reads. */
export const ALERT_FIELDS: FieldTable<Alert> = {
  id: (a) => String(a._id),
  ID: (a) => String(a._id),
  severity: (a) => a.severityValue,
  resolutionStatus: (a) => a.resolutionStatusValue,
  // Open means not closed in any way (closing sets 1-5).
  alertOpen: (a) => (a.resolutionStatusValue ?? 0) === 0,
  read: (a) => a.statusValue === 1,
  date: (a) => a.timestamp,
  resolutionDate: (a) => a.resolveTime ?? undefined,
  'entity.entity': (a) => entitiesOfType(a, 'account').map((e) => ({ id: e.id, inst: e.inst, saas: e.saas })),
  'entity.ip': (a) => entitiesOfType(a, 'ip').map((e) => e.id),
  'entity.service': (a) => entitiesOfType(a, 'service').map((e) => e.id),
  'entity.instance': (a) => entitiesOfType(a, 'account').map((e) => e.inst),
  'entity.policy': (a) => entitiesOfType(a, 'policyRule').map((e) => e.id),
  'entity.file': (a) => entitiesOfType(a, 'file').map((e) => e.id),
  // Documented, but their values are not: accepted and not applied.
  risk: null,
  alertType: null,
  source: null,
};

/** `statusValue` of a read and an unread alert. */
const READ = 1;
const UNREAD = 0;

/** Resolution status values the three close routes set. */
const CLOSED = { falsePositive: 3, benign: 4, truePositive: 5 } as const;

/**
 * Alerts: searched with the filter language, sorted by date or severity, paged with skip/limit,
 * read one by one, and closed as benign, false positive or true positive (only open alerts close;
 * ids no alert has are reported back).
 */
export function alertHandlers(state: CloudAppsState, contract?: Contract): Handlers<operations> {
  const page = (body: components['schemas']['AlertListRequest'] | undefined) => {
    const found = applyFilters(state.alerts, body?.filters, ALERT_FIELDS);
    const key = body?.sortField === 'severity' ? (a: Alert) => a.severityValue ?? 0 : (a: Alert) => a.timestamp ?? 0;
    return { ...pageOf(sortRecords(found, key, body?.sortDirection ?? 'desc'), body), max: 100, moreThanTotal: false };
  };
  const close = (filters: AlertFilters, status: (typeof CLOSED)[keyof typeof CLOSED]) => {
    const wanted = operandList((filters.id ?? filters.ID)?.eq).map(String);
    const open = state.alerts.filter((a) => (a.resolutionStatusValue ?? 0) === 0);
    const hit = applyFilters(open, filters, ALERT_FIELDS);
    for (const a of hit) {
      a.resolutionStatusValue = status;
      a.resolveTime = new Date().toISOString();
    }
    const notFound = wanted.filter((id) => !state.alerts.some((a) => String(a._id) === id));
    return { count: hit.length, ...(notFound.length ? { alertsNotFound: notFound } : {}) };
  };
  /** One alert changed by id; an id no alert has is the declared 404. */
  const setAlert = (pk: string, change: (a: Alert) => void) => {
    const a = state.alerts.find((x) => String(x._id) === pk);
    if (!a) return { status: 404 as const, body: NOT_FOUND };
    change(a);
    return { status: 200 as const, body: {} };
  };
  /**
   * Reopening: the alerts the filters pick that are closed in any way become open again (status 0,
   * no resolution time). The route is undocumented and its body open in the contract, so the
   * filters are checked here against the alert filter schema the close calls use; a body without
   * filters would reopen every alert and is refused, as the close calls require filters too.
   */
  const reopen = (body: unknown) => {
    const filters = (body as { filters?: unknown } | undefined)?.filters;
    if (filters === undefined || filters === null || typeof filters !== 'object') return { status: 400 as const, body: { detail: 'filters is required.' } };
    const problem = contract && listBodyProblem(contract, body, ALERT_FILTERS_SCHEMA);
    if (problem) return { status: 400 as const, body: { detail: problem } };
    const wanted = operandList(((filters as AlertFilters).id ?? (filters as AlertFilters).ID)?.eq).map(String);
    const closed = state.alerts.filter((a) => (a.resolutionStatusValue ?? 0) !== 0);
    const hit = applyFilters(closed, filters as AlertFilters, ALERT_FIELDS);
    for (const a of hit) {
      a.resolutionStatusValue = 0;
      a.resolveTime = null;
    }
    const notFound = wanted.filter((id) => !state.alerts.some((a) => String(a._id) === id));
    return { status: 200 as const, body: { reopened: hit.length, ...(notFound.length ? { alertsNotFound: notFound } : {}) } };
  };
  return {
    listAlerts: () => ({ status: 200, body: page(undefined) }),
    queryAlerts: ({ body }) => ({ status: 200, body: page(body) }),
    getAlert: ({ params }) => {
      const a = state.alerts.find((x) => String(x._id) === String(params.pk));
      return a ? { status: 200, body: a } : { status: 404, body: NOT_FOUND };
    },
    // The docs give these calls no response body; the mock answers `{}` and changes the alert.
    markAlertRead: ({ params }) => setAlert(String(params.pk), (a) => (a.statusValue = READ)),
    markAlertUnread: ({ params }) => setAlert(String(params.pk), (a) => (a.statusValue = UNREAD)),
    // Retired: the service maps it to closing as false positive (an alert already closed stays as it is).
    dismissAlert: ({ params }) =>
      setAlert(String(params.pk), (a) => {
        if ((a.resolutionStatusValue ?? 0) !== 0) return;
        a.resolutionStatusValue = CLOSED.falsePositive;
        a.resolveTime = new Date().toISOString();
      }),
    closeAlertsBenign: ({ body }) => {
      const { count, ...rest } = close(body.filters, CLOSED.benign);
      return { status: 200, body: { closed_benign: count, ...rest } };
    },
    closeAlertsFalsePositive: ({ body }) => {
      const { count, ...rest } = close(body.filters, CLOSED.falsePositive);
      return { status: 200, body: { closed_false_positive: count, ...rest } };
    },
    closeAlertsTruePositive: ({ body }) => {
      const { count, ...rest } = close(body.filters, CLOSED.truePositive);
      return { status: 200, body: { closed_true_positive: count, ...rest } };
    },
    // The two retired bulk calls are mapped to their replacements (api-alerts.md) and answer as they do.
    dismissAlertsBulk: ({ body }) => {
      const { count, ...rest } = close(body.filters, CLOSED.falsePositive);
      return { status: 200, body: { closed_false_positive: count, ...rest } };
    },
    resolveAlerts: ({ body }) => {
      const { count, ...rest } = close(body.filters, CLOSED.truePositive);
      return { status: 200, body: { closed_true_positive: count, ...rest } };
    },
    // Undocumented answer: `reopened` counts the alerts reopened, `alertsNotFound` as the close calls.
    reopenAlerts: ({ body }) => reopen(body),
  };
}
