import type { operations } from '../../generated/defender-cloud-apps.ts';
import type { Handlers } from '../kit/types.ts';
import { sortRecords } from './filters.ts';
import { newObjectId } from './ids.ts';
import { portalPage } from './portal-state.ts';
import { NOT_FOUND, type CloudAppsState } from './state.ts';

/**
 * Cloud discovery data sources, one collection behind the portal's list and create routes and the
 * undocumented `DELETE /api/v1/discovery/data_sources/{pk}/`. Names are unique (a second source of
 * the same name is a 400); the built-in sources the service makes itself cannot be deleted (400),
 * which is why Remove-MCASDiscoveryDataSource skips them.
 */
export function dataSourceHandlers(state: CloudAppsState): Handlers<operations> {
  return {
    listDiscoveryDataSources: ({ query }) => {
      const dir = query.sortDirection === 'asc' ? 1 : -1;
      // Names compare as text (sortRecords orders numbers only); `created` is milliseconds.
      const sorted =
        query.sortField === 'displayName'
          ? [...state.dataSources].sort((a, b) => dir * a.displayName.localeCompare(b.displayName, 'en', { sensitivity: 'base' }))
          : query.sortField === 'created'
            ? sortRecords(state.dataSources, (d) => d.created, query.sortDirection ?? 'desc')
            : state.dataSources;
      return { status: 200, body: portalPage(sorted, query.skip, query.limit) };
    },
    createDiscoveryDataSource: ({ body }) => {
      if (state.dataSources.some((d) => d.displayName.toLowerCase() === body.displayName.toLowerCase())) {
        return { status: 400, body: { detail: `A data source named ${body.displayName} already exists.` } };
      }
      if ((body.receiverType === 'syslog') !== (body.protocol !== undefined)) {
        return { status: 400, body: { detail: 'A syslog receiver needs a protocol (udp, tcp or tls); FTP receivers take none.' } };
      }
      const source = { _id: newObjectId(), ...body, anonymizeUsers: body.anonymizeUsers ?? false, created: Date.now() };
      state.dataSources.push(source);
      return { status: 200, body: source };
    },
    deleteDiscoveryDataSource: ({ params }) => {
      const i = state.dataSources.findIndex((d) => d._id === params.pk);
      if (i < 0) return { status: 404, body: NOT_FOUND };
      if (state.dataSources[i]!.receiverType === 'builtin') return { status: 400, body: { detail: 'A built-in data source cannot be removed.' } };
      const [gone] = state.dataSources.splice(i, 1);
      // Log collectors stop naming the source they no longer receive.
      for (const c of state.logCollectors) if (c.dataSources) c.dataSources = c.dataSources.filter((id) => id !== gone!._id);
      return { status: 200, body: {} };
    },
  };
}
