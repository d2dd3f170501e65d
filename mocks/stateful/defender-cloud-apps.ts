import type { components, operations } from '../../generated/defender-cloud-apps.ts';
import { alphanumericToken } from './credentials.ts';
import type { ApiModule } from './server.ts';
import type { Handlers } from './types.ts';

type Alert = components['schemas']['Alert'];
type AlertFilters = components['schemas']['AlertFilters'];

interface CloudAppsState {
  alerts: Alert[];
  /** Records the docs publish no field list for; kept as plain objects and paged like alerts. */
  activities: Record<string, unknown>[];
  entities: Record<string, unknown>[];
  files: Record<string, unknown>[];
}

function records(kind: string, n: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => ({ _id: `${kind}-${String(i + 1).padStart(4, '0')}`, timestamp: 1700000000000 + i * 60_000 }));
}

/** One page of a list: skip/limit applied, hasNext and total from the whole list. */
function pageOf<T>(all: T[], request: { skip?: number; limit?: number } | undefined) {
  const skip = request?.skip ?? 0;
  const limit = request?.limit ?? 100;
  return { data: all.slice(skip, skip + limit), hasNext: skip + limit < all.length, total: all.length };
}

const TITLES = ['Impossible travel activity', 'Mass download by a single user', 'Suspicious inbox forwarding', 'Activity from infrequent country', 'Ransomware activity'];

function seedAlerts(): Alert[] {
  return Array.from({ length: 12 }, (_, i) => ({
    _id: `5f2ad0f7aa55b3ad0cf2ba${i.toString(16).padStart(2, '0')}`,
    timestamp: 1700000000000 + i * 3_600_000,
    title: TITLES[i % TITLES.length]!,
    description: `${TITLES[i % TITLES.length]} involving user${i}@contoso.com`,
    severityValue: (i % 3) as 0 | 1 | 2,
    resolutionStatusValue: 0,
    statusValue: 0,
    entities: [],
    isSystemAlert: false,
  }));
}

/** Values of an operator (`eq: x` or `eq: [x, y]`) as a list. */
const values = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The alert field each filter key reads; filters on fields the mock does not model are accepted and ignored. */
const FIELD: Record<string, (a: Alert) => unknown> = {
  id: (a) => String(a._id),
  ID: (a) => String(a._id),
  severity: (a) => a.severityValue,
  resolutionStatus: (a) => a.resolutionStatusValue,
  alertOpen: (a) => a.resolutionStatusValue === 0,
  date: (a) => a.timestamp,
};

/** The filter language: fields AND-ed; eq/neq on lists, gte/lte/range on dates. */
function matches(alert: Alert, filters: AlertFilters | undefined): boolean {
  for (const [field, ops] of Object.entries(filters ?? {})) {
    const read = FIELD[field];
    if (!read || !ops || typeof ops !== 'object') continue;
    const value = read(alert);
    const o = ops as Record<string, unknown>;
    if (o.eq !== undefined && !values(o.eq).some((x) => x === value || String(x) === String(value))) return false;
    if (o.neq !== undefined && values(o.neq).some((x) => x === value || String(x) === String(value))) return false;
    if (typeof value === 'number') {
      if (typeof o.gte === 'number' && value < o.gte) return false;
      if (typeof o.lte === 'number' && value > o.lte) return false;
      const range = o.range as { start?: number; end?: number } | undefined;
      if (range && ((range.start !== undefined && value < range.start) || (range.end !== undefined && value > range.end))) return false;
    }
  }
  return true;
}

/**
 * Defender for Cloud Apps: `Token <key>` credentials carrying their issuer's privilege (read-only
 * or full admin), tied to the tenant, 30 requests per minute per tenant. Alerts can be searched
 * with the filter language, paged with skip/limit (hasNext, total), read one by one and closed;
 * other routes answer with the contract's examples.
 */
export const defenderCloudApps: ApiModule<CloudAppsState> = {
  api: 'defender-cloud-apps',
  roles: ['read-only', 'full-admin'],
  tenant: 'mytenant',
  principal: 'security-admin',
  makeSecret: alphanumericToken('', 64),
  rateLimitPerMinute: 30,
  createState: (_store, seed) => {
    const s = seed as Partial<CloudAppsState> | undefined;
    return {
      alerts: structuredClone(s?.alerts ?? seedAlerts()),
      activities: structuredClone(s?.activities ?? records('activity', 30)),
      entities: structuredClone(s?.entities ?? records('entity', 12)),
      files: structuredClone(s?.files ?? records('file', 8)),
    };
  },
  snapshot: (state) => ({ alerts: state.alerts, activities: state.activities, entities: state.entities, files: state.files }),
  handlers(state) {
    const page = (body: components['schemas']['AlertListRequest'] | undefined) => {
      const found = state.alerts.filter((a) => matches(a, body?.filters));
      const key = body?.sortField === 'severity' ? (a: Alert) => a.severityValue ?? 0 : (a: Alert) => Number(a.timestamp ?? 0);
      const dir = body?.sortDirection === 'asc' ? 1 : -1;
      found.sort((a, b) => (key(a) - key(b)) * dir);
      return { ...pageOf(found, body), max: 100, moreThanTotal: false };
    };
    const close = (filters: AlertFilters, status: 3 | 4 | 5) => {
      const wanted = values((filters.id ?? filters.ID)?.eq).map(String);
      const hit = state.alerts.filter((a) => a.resolutionStatusValue === 0 && matches(a, filters));
      for (const a of hit) a.resolutionStatusValue = status;
      const notFound = wanted.filter((id) => !state.alerts.some((a) => String(a._id) === id));
      return { count: hit.length, notFound };
    };
    const handlers: Handlers<operations> = {
      listAlerts: () => ({ status: 200, body: page(undefined) }),
      // Activities, entities and files: the docs publish no record fields, so the records are opaque;
      // filters on them are accepted and not applied, paging is.
      listActivities: () => ({ status: 200, body: pageOf(state.activities, undefined) as never }),
      queryActivities: ({ body }) => ({ status: 200, body: pageOf(state.activities, body?.isScan ? undefined : body) as never }),
      listEntities: () => ({ status: 200, body: pageOf(state.entities, undefined) as never }),
      queryEntities: ({ body }) => ({ status: 200, body: pageOf(state.entities, body) as never }),
      listFiles: () => ({ status: 200, body: pageOf(state.files, undefined) as never }),
      queryFiles: ({ body }) => ({ status: 200, body: pageOf(state.files, body) as never }),
      queryAlerts: ({ body }) => ({ status: 200, body: page(body) }),
      getAlert: ({ params }) => {
        const a = state.alerts.find((x) => String(x._id) === String(params.pk));
        return a ? { status: 200, body: a } : { status: 404, body: { detail: 'Not found.' } };
      },
      closeAlertsBenign: ({ body }) => {
        const r = close(body.filters, 4);
        return { status: 200, body: { closed_benign: r.count, ...(r.notFound.length ? { alertsNotFound: r.notFound } : {}) } };
      },
      closeAlertsFalsePositive: ({ body }) => {
        const r = close(body.filters, 3);
        return { status: 200, body: { closed_false_positive: r.count, ...(r.notFound.length ? { alertsNotFound: r.notFound } : {}) } };
      },
      closeAlertsTruePositive: ({ body }) => {
        const r = close(body.filters, 5);
        return { status: 200, body: { closed_true_positive: r.count, ...(r.notFound.length ? { alertsNotFound: r.notFound } : {}) } };
      },
    };
    return handlers as never;
  },
};
