import type { operations } from '../../generated/defender-cloud-apps.ts';
import type { Handlers } from '../kit/types.ts';
import { applyFilters, type FieldTable } from './filters.ts';
import { newObjectId } from './ids.ts';
import { portalPage } from './portal-state.ts';
import type { CloudAppsState } from './state.ts';

type AppTags = CloudAppsState['discoveredAppTags'][number];

const APP_TAG_FIELDS: FieldTable<AppTags> = { appId: (t) => t.appId, tags: (t) => t.tags };

/**
 * Tags: the portal's tag list (IP-address tags with `target=ip`), user groups and importing an Entra
 * ID group as one, and the tags set on discovered apps.
 */
export function tagHandlers(state: CloudAppsState): Handlers<operations> {
  return {
    listPortalTags: ({ query }) => {
      const found = state.portalTags.filter((t) => (query.target === undefined || t.target === query.target) && (!query.enabledOnly || t.enabled !== false));
      // By name, without regard to case (sortRecords orders numbers only).
      const dir = query.sortDirectory === 'desc' ? -1 : 1;
      const sorted = query.sort === 'name' ? [...found].sort((a, b) => dir * a.name.localeCompare(b.name, 'en', { sensitivity: 'base' })) : found;
      return { status: 200, body: { data: sorted, total: sorted.length, hasNext: false } };
    },
    listUserGroups: ({ body }) => ({ status: 200, body: portalPage(state.userGroups, body?.skip, body?.limit) }),
    importUserGroup: ({ body }) => {
      const existing = state.userGroups.find((g) => g.groupId?.toLowerCase() === body.groupId.toLowerCase());
      // Importing a group twice gives the group already imported, not a second one.
      if (existing) return { status: 200, body: existing };
      // The service names the group after its Entra ID display name, which the mock does not know.
      const group = { _id: newObjectId(), name: `Entra ID group ${body.groupId}`, groupId: body.groupId, appId: body.appId };
      state.userGroups.push(group);
      return { status: 200, body: group };
    },
    listDiscoveredAppTags: ({ body }) => ({ status: 200, body: portalPage(applyFilters(state.discoveredAppTags, body?.filters, APP_TAG_FIELDS), body?.skip, body?.limit) }),
  };
}
