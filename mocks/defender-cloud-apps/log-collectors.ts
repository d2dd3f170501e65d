import type { operations } from '../../generated/defender-cloud-apps.ts';
import type { Handlers } from '../kit/types.ts';
import type { CloudAppsState } from './state.ts';

/** Discovery log collectors, with the ids of the data sources each one receives (kept in step by data-sources.ts). */
export function logCollectorHandlers(state: CloudAppsState): Handlers<operations> {
  return {
    listLogCollectors: () => ({ status: 200, body: { data: state.logCollectors, total: state.logCollectors.length, hasNext: false } }),
  };
}
