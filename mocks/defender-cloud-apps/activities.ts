import type { components, operations } from '../../generated/defender-cloud-apps.ts';
import type { Handlers } from '../kit/types.ts';
import { applyFilters, type EntityPk, type FieldTable, pageOf, readPath, sortRecords } from './filters.ts';
import { rangesHolding } from './ipranges.ts';
import { NOT_FOUND, type Activity, type CloudAppsState } from './state.ts';

type ActivityRequest = components['schemas']['ActivityListRequest'];
type Rec = Record<string, unknown>;

const objects = (a: Activity) => ((a.mainInfo as Rec | undefined)?.eventObjects as Rec[] | undefined) ?? [];
const fileObjects = (a: Activity) => objects(a).filter((o) => o.serviceObjectType === 'File' || o.serviceObjectType === 'Folder');
const actorPk = (a: Activity): EntityPk | undefined => {
  const r = a.resolvedActor as Rec | undefined;
  return r ? { id: String(r.id), saas: Number(r.saasId), inst: Number(r.instanceId) } : undefined;
};

/**
 * Which activity value each documented activity filter field reads. Field names real records carry
 * are read as they are; `instId`, `actionType`, `isAdminEvent`, `isImpersonated`, `takenAction`,
 * `policies`, `ipTags`, `device.tags`, `user.orgUnit` and `user.userDomain` are this mock's names
 * for values no public record shows (see seed.yaml).
 */
function activityFields(state: CloudAppsState): FieldTable<Activity> {
  return {
    service: (a) => a.appId,
    instance: (a) => a.instId,
    'user.orgUnit': (a) => readPath(a, 'user.orgUnit'),
    'user.username': (a) => readPath(a, 'user.userName'),
    'user.tags': (a) => readPath(a, 'user.userTags'),
    'user.domain': (a) => readPath(a, 'user.userDomain'),
    actionType: (a) => a.actionType,
    'activity.actionType': (a) => a.actionType,
    'activity.eventActionType': (a) => a.eventTypeName,
    // The name before 2023, which the MCAS module still sends.
    'activity.eventType': (a) => a.eventTypeName,
    'activity.id': (a) => a._id,
    'activity.impersonated': (a) => a.isImpersonated,
    'activity.type': (a) => a.isAdminEvent,
    // `null` means no action was taken; an `eq: [null]` operand selects those.
    'activity.takenAction': (a) => a.takenAction,
    'device.type': (a) => readPath(a, 'userAgent.deviceType'),
    'device.tags': (a) => readPath(a, 'device.tags'),
    'userAgent.userAgent': (a) => readPath(a, 'device.userAgent'),
    'userAgent.tags': (a) => readPath(a, 'userAgent.tags'),
    'location.country': (a) => readPath(a, 'location.countryCode'),
    'location.organizations': (a) => readPath(a, 'location.organizationSearchable'),
    'ip.address': (a) => readPath(a, 'device.clientIP'),
    // The address's own category and tags, and those of the IP ranges (ipranges.ts) it falls in, so
    // a range created or changed through the API re-labels the activities from its addresses.
    'ip.category': (a) => [readPath(a, 'location.category'), ...rangesHolding(state, readPath(a, 'device.clientIP')).map((r) => r.category)],
    'ip.tags': (a) => [a.ipTags, ...rangesHolding(state, readPath(a, 'device.clientIP')).flatMap((r) => (r.tags ?? []).map((t) => t.id ?? t._id))].flat(),
    fileSelector: (a) => fileObjects(a).map((o) => o.id),
    fileId: (a) => fileObjects(a).map((o) => o.id),
    office365url: (a) => [readPath(a, 'rawDataJson.ObjectId'), readPath(a, 'rawDataJson.SiteUrl')],
    text: (a) => [a.description, a.appName, readPath(a, 'user.userName'), readPath(a, 'device.clientIP'), readPath(a, 'mainInfo.rawOperationName'), ...objects(a).map((o) => o.name)],
    date: (a) => a.timestamp,
    created: (a) => a.created,
    policy: (a) => a.policies,
    source: (a) => a.source,
    // An alert's `audits` list the activities it relates to.
    'activity.alertId': (a) => state.alerts.filter((x) => (x.audits ?? []).includes(String(a._id))).map((x) => String(x._id)),
    activityObject: (a) => objects(a).map((o) => o.id),
    entity: (a) => [actorPk(a), ...((a.entityData as Rec[] | undefined) ?? []).map((e) => e?.id)],
  };
}

const sortKey = (field: ActivityRequest['sortField']) => (field === 'created' ? (a: Activity) => a.created : (a: Activity) => a.timestamp);

/**
 * Scan mode: pages of `limit` (default 500) records in sort order; while more remain, the page
 * stops before the records that share the next record's time (the docs say pages may come back
 * short to avoid duplicates) and `nextQueryFilters` narrows the filters to that time onwards.
 * If a whole page shares one time, the records already sent are left out by id instead.
 */
function scan(sorted: Activity[], body: Partial<ActivityRequest>) {
  const field = body.sortField === 'created' ? 'created' : 'date';
  const key = sortKey(body.sortField);
  const bound = (body.sortDirection ?? 'desc') === 'desc' ? 'lte' : 'gte';
  // Scan clients send no skip; one that does gets it applied.
  const skip = body.skip ?? 0;
  const rest = sorted.slice(skip);
  let data = rest.slice(0, body.limit ?? 500);
  if (data.length === rest.length) return { data, hasNext: false, total: sorted.length };
  const filters: Record<string, Rec> = { ...(body.filters ?? {}) };
  const edge = key(rest[data.length]!);
  const before = data.filter((a) => key(a) !== edge);
  if (before.length > 0) data = before;
  else filters._id = { ...filters._id, neq: [...((filters._id?.neq as unknown[] | undefined) ?? []), ...data.filter((a) => key(a) === edge).map((a) => a._id)] };
  filters[field] = { ...filters[field], [bound]: edge };
  return { data, hasNext: skip + data.length < sorted.length, total: sorted.length, nextQueryFilters: filters };
}

/** Activities: searched, sorted by date or creation time, paged with skip/limit or in scan mode, and read one by one. */
export function activityHandlers(state: CloudAppsState): Handlers<operations> {
  const table = activityFields(state);
  const list = (body: Partial<ActivityRequest> | undefined) => {
    const found = applyFilters(state.activities, body?.filters, table);
    const sorted = sortRecords(found, sortKey(body?.sortField), body?.sortDirection ?? 'desc');
    return body?.isScan ? scan(sorted, body) : pageOf(sorted, body);
  };
  return {
    listActivities: () => ({ status: 200, body: list(undefined) }),
    queryActivities: ({ body }) => ({ status: 200, body: list(body) }),
    getActivity: ({ params }) => {
      const a = state.activities.find((x) => String(x._id) === params.pk);
      return a ? { status: 200, body: a } : { status: 404, body: NOT_FOUND };
    },
    /**
     * Feedback is kept with the activity's id (the snapshot's `activityFeedback`). The docs name no
     * rule for the body; the mock's: something must be said (`feedback`, `feedbackValue` or
     * `feedbackText`), and permission to be contacted needs an address. The answer is the envelope
     * the docs show, holding the activity the feedback is about.
     */
    sendActivityFeedback: ({ params, body }) => {
      const a = state.activities.find((x) => String(x._id) === params.pk);
      if (!a) return { status: 404, body: NOT_FOUND };
      if (body.feedback === undefined && body.feedbackValue === undefined && !body.feedbackText) {
        return { status: 400, body: { detail: 'Send feedback, feedbackValue or feedbackText.' } };
      }
      if (body.allowContact === true && !body.contactEmail) return { status: 400, body: { detail: 'allowContact needs a contactEmail.' } };
      state.activityFeedback.push({ ...body, activityId: String(a._id), received: new Date().toISOString() });
      return { status: 200, body: { total: 1, hasNext: false, data: [a] } };
    },
  };
}
