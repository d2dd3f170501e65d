import type { components, operations } from '../../generated/defender-cloud-apps.ts';
import type { Handlers } from '../kit/types.ts';
import { applyFilters, type FieldTable, type Filters, pageOf } from './filters.ts';
import { NOT_FOUND, type CloudAppsState, type CloudFile } from './state.ts';

const collaborators = (f: CloudFile) => (f.collaborators as Array<Record<string, unknown>> | undefined) ?? [];

/**
 * Which file value each documented file filter field reads. `ownerEntity`, `ownerOrgUnit`,
 * `fScanTags`, `policies`, `isQuarantined` and the collaborator fields are this mock's names (see seed.yaml).
 */
const FILE_FIELDS: FieldTable<CloudFile> = {
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
  'collaborators.entity': (f) => collaborators(f).map((c) => c.entity),
  'collaborators.domains': (f) => f.domains,
  'collaborators.groups': (f) => f.groupIds,
  'collaborators.withDomain': (f) => collaborators(f).map((c) => c.domain),
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
function visibleFiles(files: CloudFile[], filters: Filters): CloudFile[] {
  const f = filters as Record<string, Record<string, unknown> | undefined> | undefined;
  if (f?.trashed?.eq !== undefined) return f.trashed.eq === false || (Array.isArray(f.trashed.eq) && f.trashed.eq[0] === false) ? files.filter((x) => x.fstat === 0) : files;
  const allow = f?.allowDeleted?.eq;
  if (allow === true || (Array.isArray(allow) && allow.includes(true))) return files;
  return files.filter((x) => x.fstat !== 2);
}

/** Files: searched (deleted ones only on request), paged, and read by record id or app item id. */
export function fileHandlers(state: CloudAppsState): Handlers<operations> {
  const list = (body: components['schemas']['FileListRequest'] | undefined) => pageOf(applyFilters(visibleFiles(state.files, body?.filters), body?.filters, FILE_FIELDS), body);
  return {
    listFiles: () => ({ status: 200, body: list(undefined) }),
    queryFiles: ({ body }) => ({ status: 200, body: list(body) }),
    getFile: ({ params }) => {
      const f = state.files.find((x) => String(x._id) === params.pk || String(x.id) === params.pk);
      return f ? { status: 200, body: f } : { status: 404, body: NOT_FOUND };
    },
  };
}
