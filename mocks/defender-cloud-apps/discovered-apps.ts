import type { operations } from '../../generated/defender-cloud-apps.ts';
import type { Handlers } from '../kit/types.ts';
import { applyFilters, type FieldTable } from './filters.ts';
import { portalPage } from './portal-state.ts';
import type { CloudAppsState } from './state.ts';

type App = CloudAppsState['discoveredApps'][number];

/** Filter fields of the discovered-app list the module sends (`score` as a range `[min, max]` under `eq`). */
const APP_FIELDS: FieldTable<App> = { appId: (a) => a.appId, name: (a) => a.name };

/** `eq(i:<appId>,)`, the portal's filter expression for one app, as Get-MCASActivityType sends it. */
const SERVICE = /^eq\(i:(\d+),?\)$/;

/**
 * Discovered apps (one stream, any time frame: the mock keeps no per-stream usage), the OAuth apps
 * granted permissions, and the activity types an app reports (the activity filter's autocomplete).
 */
export function discoveredAppHandlers(state: CloudAppsState): Handlers<operations> {
  return {
    listDiscoveredApps: ({ body }) => {
      const { score, ...rest } = (body?.filters ?? {}) as Record<string, { eq?: unknown } | undefined>;
      let found = applyFilters(state.discoveredApps, rest, APP_FIELDS);
      const range = Array.isArray(score?.eq) ? (score.eq as number[]) : undefined;
      if (range?.length === 2) found = found.filter((a) => a.score === undefined || (a.score >= range[0]! && a.score <= range[1]!));
      return { status: 200, body: portalPage(found, body?.skip, body?.limit) };
    },
    listAppPermissions: ({ body }) => ({ status: 200, body: portalPage(state.appPermissions, body?.skip, body?.limit) }),
    listActivityTypes: ({ query }) => {
      const app = query.service ? Number(SERVICE.exec(query.service)?.[1]) : undefined;
      const text = (query.search ?? '').toLowerCase();
      const items = state.activityTypes.filter((t) => (app === undefined || t.appId === app) && (t.category ?? '').toLowerCase().includes(text));
      return { status: 200, body: { records: { items } } };
    },
  };
}
