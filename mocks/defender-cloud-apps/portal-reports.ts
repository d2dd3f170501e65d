import type { operations } from '../../generated/defender-cloud-apps.ts';
import type { Handlers } from '../kit/types.ts';
import { NOT_FOUND, type CloudAppsState } from './state.ts';

/** Built-in reports: the list, and each report's rows under its `non_entities_report` name. */
export function reportHandlers(state: CloudAppsState): Handlers<operations> {
  return {
    listReports: () => ({ status: 200, body: { data: state.reports, total: state.reports.length, hasNext: false } }),
    getReportContent: ({ params }) => {
      if (!state.reports.some((r) => r.non_entities_report === params.report)) return { status: 404, body: NOT_FOUND };
      // A listed report whose rows the seed does not give has none yet.
      const rows = state.reportContents.find((c) => c.report === params.report)?.data ?? [];
      return { status: 200, body: { data: rows } };
    },
  };
}
