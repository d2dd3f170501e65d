import type { components, operations } from '../../generated/defender-cloud-apps.ts';
import { applyFilters, decodeEntityPk, type EntityPk, type FieldTable, type Filters, operandList, pageOf, readPath, sortRecords } from './filters.ts';
import { alphanumericToken } from '../kit/credentials.ts';
import { seedActivities, seedAlerts, seedEntities, seedFiles } from './seed.ts';
import type { ApiModule } from '../kit/server.ts';
import type { Handlers } from '../kit/types.ts';

type Alert = components['schemas']['Alert'];
type AlertFilters = components['schemas']['AlertFilters'];
type Rec = Record<string, unknown>;

/**
 * Activity, entity and file records. The contract leaves these records open (the docs publish no
 * field list), so their shape follows records the real service returned to public clients: the
 * Cortex XSOAR Cloud App Security integration's recorded responses (demisto/content,
 * Packs/MicrosoftCloudAppSecurity, test_data.json and README context paths) and the Microsoft-owned
 * MCAS PowerShell module. Fields named in those sources keep their names (`appId`, `eventTypeName`,
 * `device.clientIP`, `location.countryCode`, `user.userName`, `resolvedActor`, `appData`,
 * `userGroups`, `ftype`, `fileAccessLevel`, `ownerAddress`, ...). Where a filter reads something no
 * public record shows, the field name is this mock's choice and says so where it is declared.
 */
interface CloudAppsState {
  alerts: Alert[];
  activities: Rec[];
  entities: Rec[];
  files: Rec[];
}

// ---- filter tables: which record value each documented filter field reads -------------------

const entitiesOfType = (a: Alert, type: string) => (a.entities ?? []).filter((e) => e.type === type);

const ALERT_FIELDS: FieldTable<Alert> = {
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

const objects = (a: Rec) => (((a.mainInfo as Rec | undefined)?.eventObjects as Rec[] | undefined) ?? []);
const fileObjects = (a: Rec) => objects(a).filter((o) => o.serviceObjectType === 'File' || o.serviceObjectType === 'Folder');
const actorPk = (a: Rec): EntityPk | undefined => {
  const r = a.resolvedActor as Rec | undefined;
  return r ? { id: String(r.id), saas: Number(r.saasId), inst: Number(r.instanceId) } : undefined;
};

function activityFields(state: CloudAppsState): FieldTable<Rec> {
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
    'ip.category': (a) => readPath(a, 'location.category'),
    'ip.tags': (a) => a.ipTags,
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
    entity: (a) => [actorPk(a), ...(((a.entityData as Rec[] | undefined) ?? []).map((e) => e?.id))],
  };
}

const ENTITY_TYPE_NAMES: Record<string, string> = { '1': 'user', '2': 'account' };

const ENTITY_FIELDS: FieldTable<Rec> = {
  // Type values are not documented: the record's number (1, 2) and the names `user`/`account` both match.
  type: (e) => [e.type, ENTITY_TYPE_NAMES[String(e.type)]],
  isAdmin: (e) => e.isAdmin,
  // Picking a user also picks its accounts.
  entity: (e) => [entityPk(e), e.parentUser],
  userGroups: (e) => ((e.userGroups as Rec[] | undefined) ?? []).map((g) => g.id),
  app: (e) => [readPath(e, 'appData.appId'), ...((e.subApps as unknown[] | undefined) ?? [])],
  instance: (e) => readPath(e, 'appData.instance'),
  isExternal: (e) => e.isExternal,
  domain: (e) => e.domain,
  organization: (e) => e.organization,
  status: (e) => e.status,
};

const entityPk = (e: Rec): EntityPk => ({ id: String(e.id), saas: Number(readPath(e, 'appData.saas')), inst: Number(readPath(e, 'appData.instance')) });

const FILE_FIELDS: FieldTable<Rec> = {
  service: (f) => f.appId,
  instance: (f) => f.instId,
  fileType: (f) => f.ftype,
  // Applied to the list as a whole (see `visibleFiles`), not per field.
  allowDeleted: null,
  policy: (f) => f.policies,
  filename: (f) => f.name,
  modifiedDate: (f) => f.modifiedDate,
  createdDate: (f) => f.createdDate,
  snapshotLastModifiedDate: (f) => f.snapshotLastModifiedDate,
  'collaborators.entity': (f) => ((f.collaborators as Rec[] | undefined) ?? []).map((c) => c.entity),
  'collaborators.domains': (f) => f.domains,
  'collaborators.groups': (f) => f.groupIds,
  'collaborators.withDomain': (f) => ((f.collaborators as Rec[] | undefined) ?? []).map((c) => c.domain),
  'owner.entity': (f) => f.ownerEntity,
  'owner.orgUnit': (f) => f.ownerOrgUnit,
  sharing: (f) => f.facl,
  fileId: (f) => [f._id, f.id],
  fileLabels: (f) => f.fTags,
  fileScanLabels: (f) => f.fScanTags,
  extension: (f) => f.fileExtension,
  mimeType: (f) => f.mimeType,
  trashed: (f) => f.fstat === 1,
  parentFolder: (f) => f.effectiveParents,
  folder: (f) => f.isFolder,
  quarantined: (f) => f.isQuarantined,
};

/**
 * Deleted files are left out unless `allowDeleted: {eq: true}`; trashed ones stay in. A `trashed`
 * filter overrides that: it then alone decides (true: only trashed files; false: only files that
 * are neither trashed nor deleted).
 */
function visibleFiles(files: Rec[], filters: Filters): Rec[] {
  const f = filters as Record<string, Record<string, unknown> | undefined> | undefined;
  if (f?.trashed?.eq !== undefined) return f.trashed.eq === false || (Array.isArray(f.trashed.eq) && f.trashed.eq[0] === false) ? files.filter((x) => x.fstat === 0) : files;
  const allow = f?.allowDeleted?.eq;
  if (allow === true || (Array.isArray(allow) && allow.includes(true))) return files;
  return files.filter((x) => x.fstat !== 2);
}

const NOT_FOUND = { detail: 'Not found.' };

/**
 * Defender for Cloud Apps: `Token <key>` credentials carrying their issuer's privilege (read-only
 * or full admin), tied to the tenant, 30 requests per minute per tenant. Alerts, activities,
 * entities and files are searched with the filter language (mocks/defender-cloud-apps/filters.ts),
 * sorted where the contract declares sort fields, paged with skip/limit (hasNext and total count
 * the filtered list) and read one by one; activities also page in scan mode. Alerts can be closed;
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
    const activities = structuredClone(s?.activities ?? seedActivities());
    return {
      alerts: structuredClone(s?.alerts ?? seedAlerts(activities)),
      activities,
      entities: structuredClone(s?.entities ?? seedEntities()),
      files: structuredClone(s?.files ?? seedFiles()),
    };
  },
  snapshot: (state) => ({ alerts: state.alerts, activities: state.activities, entities: state.entities, files: state.files }),
  handlers(state) {
    const activityTable = activityFields(state);

    const alertPage = (body: components['schemas']['AlertListRequest'] | undefined) => {
      const found = applyFilters(state.alerts, body?.filters, ALERT_FIELDS);
      const key = body?.sortField === 'severity' ? (a: Alert) => a.severityValue ?? 0 : (a: Alert) => a.timestamp ?? 0;
      return { ...pageOf(sortRecords(found, key, body?.sortDirection ?? 'desc'), body), max: 100, moreThanTotal: false };
    };
    const close = (filters: AlertFilters, status: 3 | 4 | 5) => {
      const wanted = operandList((filters.id ?? filters.ID)?.eq).map(String);
      const hit = applyFilters(
        state.alerts.filter((a) => (a.resolutionStatusValue ?? 0) === 0),
        filters,
        ALERT_FIELDS,
      );
      for (const a of hit) {
        a.resolutionStatusValue = status;
        a.resolveTime = new Date().toISOString();
      }
      const notFound = wanted.filter((id) => !state.alerts.some((a) => String(a._id) === id));
      return { count: hit.length, notFound };
    };

    type ActivityRequest = components['schemas']['ActivityListRequest'];
    const activityKey = (field: ActivityRequest['sortField']) => (field === 'created' ? (a: Rec) => a.created : (a: Rec) => a.timestamp);
    const activities = (body: Partial<ActivityRequest> | undefined) => {
      const found = applyFilters(state.activities, body?.filters, activityTable);
      const sorted = sortRecords(found, activityKey(body?.sortField), body?.sortDirection ?? 'desc');
      return body?.isScan ? scan(sorted, body) : pageOf(sorted, body);
    };
    /**
     * Scan mode: pages of `limit` (default 500) records in sort order; while more remain, the page
     * stops before the records that share the next record's time (the docs say pages may come back
     * short to avoid duplicates) and `nextQueryFilters` narrows the filters to that time onwards.
     * If a whole page shares one time, the records already sent are left out by id instead.
     */
    const scan = (sorted: Rec[], body: Partial<ActivityRequest>) => {
      const field = body.sortField === 'created' ? 'created' : 'date';
      const key = activityKey(body.sortField);
      const bound = (body.sortDirection ?? 'desc') === 'desc' ? 'lte' : 'gte';
      // Scan clients send no skip; one that does gets it applied.
      const skip = body.skip ?? 0;
      const rest = sorted.slice(skip);
      let data = rest.slice(0, body.limit ?? 500);
      if (data.length === rest.length) return { data, hasNext: false, total: sorted.length };
      const filters = { ...(body.filters ?? {}) } as Record<string, Record<string, unknown>>;
      const edge = key(rest[data.length]!);
      const before = data.filter((a) => key(a) !== edge);
      if (before.length > 0) data = before;
      else filters._id = { ...filters._id, neq: [...(filters._id?.neq as unknown[] | undefined ?? []), ...data.filter((a) => key(a) === edge).map((a) => a._id)] };
      filters[field] = { ...filters[field], [bound]: edge };
      return { data, hasNext: skip + data.length < sorted.length, total: sorted.length, nextQueryFilters: filters };
    };

    type EntityRequest = components['schemas']['EntityListRequest'];
    const entities = (body: EntityRequest | undefined) => {
      const found = applyFilters(state.entities, body?.filters, ENTITY_FIELDS);
      // `date` is when the entity was first seen; `severity` reads the investigation priority.
      const sorted = body?.sortField ? sortRecords(found, body.sortField === 'severity' ? (e) => e.threatScore : (e) => e.firstSeen, body.sortDirection ?? 'desc') : found;
      return pageOf(sorted, body);
    };
    const files = (body: components['schemas']['FileListRequest'] | undefined) => pageOf(applyFilters(visibleFiles(state.files, body?.filters), body?.filters, FILE_FIELDS), body);

    const handlers: Handlers<operations> = {
      listAlerts: () => ({ status: 200, body: alertPage(undefined) }),
      queryAlerts: ({ body }) => ({ status: 200, body: alertPage(body) }),
      getAlert: ({ params }) => {
        const a = state.alerts.find((x) => String(x._id) === String(params.pk));
        return a ? { status: 200, body: a } : { status: 404, body: NOT_FOUND };
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

      listActivities: () => ({ status: 200, body: activities(undefined) as never }),
      queryActivities: ({ body }) => ({ status: 200, body: activities(body) as never }),
      getActivity: ({ params }) => {
        const a = state.activities.find((x) => String(x._id) === params.pk);
        return a ? { status: 200, body: a as never } : { status: 404, body: NOT_FOUND };
      },

      listEntities: () => ({ status: 200, body: entities(undefined) as never }),
      queryEntities: ({ body }) => ({ status: 200, body: entities(body) as never }),
      // The key is base64 of `{"id", "saas", "inst"}`; a plain record `_id` (the pre-2020 form) is accepted too.
      getEntity: ({ params }) => {
        const pk = decodeEntityPk(params.pk);
        const e = pk
          ? state.entities.find((x) => String(x.id) === pk.id && (pk.saas === undefined || Number(readPath(x, 'appData.saas')) === pk.saas) && (pk.inst === undefined || Number(readPath(x, 'appData.instance')) === pk.inst))
          : state.entities.find((x) => String(x._id) === params.pk);
        if (e) return { status: 200, body: e as never };
        if (!pk && !/^[0-9a-f]{24}$/i.test(params.pk)) return { status: 400, body: { detail: 'The entity key must be base64 of {"id", "saas", "inst"}.' } };
        return { status: 404, body: NOT_FOUND };
      },

      listFiles: () => ({ status: 200, body: files(undefined) as never }),
      queryFiles: ({ body }) => ({ status: 200, body: files(body) as never }),
      getFile: ({ params }) => {
        const f = state.files.find((x) => String(x._id) === params.pk || String(x.id) === params.pk);
        return f ? { status: 200, body: f as never } : { status: 404, body: NOT_FOUND };
      },
    };
    return handlers as never;
  },
};

export default defenderCloudApps;
