import { randomUUID } from 'node:crypto';
import type { operations } from '../../generated/defender-cloud-apps.ts';
import type { Contract } from '../../src/core/contract/model.ts';
import type { Handlers } from '../kit/types.ts';
import { matches, pageOf, sortRecords } from './filters.ts';
import { recordGovernance } from './governance.ts';
import { NOT_FOUND, newObjectId, type CloudAppsState, type DiscoveryStream, type OpenRecord } from './state.ts';

const DAY_MS = 86_400_000;
const bad = (detail: string) => ({ status: 400 as const, body: { detail } });

/**
 * Log format names and their ids, read off the contract's `LogType` schema (the enum and its
 * `x-enum-varnames`), so an upload's `source` (`CISCO_ASA`) gives the report its `logType` (104).
 */
function logTypes(contract: Contract | undefined): Map<string, number> {
  const schemas = (contract?.document.components as { schemas?: Record<string, { anyOf?: Array<{ enum?: unknown[]; 'x-enum-varnames'?: string[] }> }> } | undefined)?.schemas;
  const branch = schemas?.LogType?.anyOf?.find((b) => Array.isArray(b.enum) && Array.isArray(b['x-enum-varnames']));
  const map = new Map<string, number>();
  branch?.['x-enum-varnames']?.forEach((name, i) => map.set(name, Number(branch.enum![i])));
  return map;
}

/**
 * The catalog entry of an app: `appId`, `name`, `category` and `revised_score` are the fields the
 * MCAS module reads from the SaaS DB (Get-MCASAppInfo); `domains` is this mock's, what block scripts
 * block.
 */
const catalogApp = (state: CloudAppsState, appId: unknown) => state.saasdbApps.find((a) => String(a.appId) === String(appId));

/**
 * The apps cloud discovery found, one record per app for the tenant (this mock's shape; no public
 * record shows it): `appId` (catalog id), `streams` (the `_id`s of the reports that saw it),
 * `lastSeen` (ms) and `tag` (`sanctioned`, `unsanctioned` or null, as the portal marks apps).
 */
const seenIn = (app: OpenRecord, streamId: string) => Array.isArray(app.streams) && app.streams.map(String).includes(streamId);

/**
 * One line per blocked domain, per appliance. BlueCoat (102) and Websense (135) are the lines the
 * docs and the MCAS module show; the others are this mock's renderings of each appliance's deny rule.
 */
const BLOCK_LINE: Record<number, (domain: string) => string> = {
  102: (d) => `url.domain=${d} deny`,
  104: (d) => `access-list mcas-block extended deny ip any host ${d}`,
  108: (d) => `edit "${d}"\n    set action block\nnext`,
  112: (d) => `set rulebase security rules mcas-block destination ${d} action deny`,
  120: (d) => d,
  129: (d) => `set security policies global policy mcas-block match destination-address ${d} then deny`,
  135: (d) => `dest_host=${d} action=deny`,
};

/** Continuous-report categories: how many discovered apps of each catalog category a report saw within the time frame. */
function categoriesOf(state: CloudAppsState, stream: DiscoveryStream, days: number | undefined) {
  // The time frame counts back from the last data the report received (the seed's times are fixed),
  // or from now for a report that has none.
  const end = stream.lastDataReceived ? Date.parse(stream.lastDataReceived) : Date.now();
  const counts = new Map<string, number>();
  for (const app of state.discoverySightings) {
    if (!seenIn(app, String(stream._id))) continue;
    if (days !== undefined && Number(app.lastSeen) < end - days * DAY_MS) continue;
    const category = String(catalogApp(state, app.appId)?.category ?? 'SAASDB_CATEGORY_UNCLASSIFIED');
    counts.set(category, (counts.get(category) ?? 0) + 1);
  }
  return [...counts].map(([id, total]) => ({ id, total }));
}

/**
 * Cloud discovery: the continuous reports (streams), their app categories, the three-step log
 * upload (an upload is begun once and finalised once; finalising feeds a report or makes a snapshot
 * report and logs a parse task in the governance log), the app catalog and block scripts built from
 * the apps marked unsanctioned.
 */
export function discoveryHandlers(state: CloudAppsState, contract?: Contract): Handlers<operations> {
  const formats = logTypes(contract);
  return {
    listDiscoveryStreams: () => ({ status: 200, body: state.discoveryStreams }),
    listDiscoveredAppCategories: ({ body }) => {
      const stream = state.discoveryStreams.find((s) => String(s._id) === body.streamId);
      // The contract declares no 404 here: an unknown report is a bad request.
      if (!stream) return bad(`No continuous report has the id '${body.streamId}'.`);
      // The field name of the category filter is not documented: whatever field is named reads the category id.
      const filters = Object.fromEntries(Object.values(body.filters ?? {}).map((ops, i) => [`f${i}`, ops]));
      const table = Object.fromEntries(Object.keys(filters).map((k) => [k, (c: { id: string }) => c.id]));
      const found = categoriesOf(state, stream, body.timeFrame).filter((c) => matches(c, filters, table));
      const sorted = sortRecords(found, (c) => c.total, body.sortDirection ?? 'desc');
      return { status: 200, body: pageOf(sorted, body).data };
    },
    getDiscoveryUploadUrl: ({ query }) => {
      const id = randomUUID();
      // A pre-signed Azure Blob address of the mock's invention; it is never dereferenced.
      const url = `https://mockdiscoverylogs.blob.core.windows.net/uploads/${id}/${encodeURIComponent(query.filename)}?sv=2020-08-04&sr=b&sp=cw&sig=mock`;
      state.discoveryUploads.push({ url, filename: query.filename, source: String(query.source), started: new Date().toISOString(), finalized: null });
      return { status: 200, body: { url, provider: 'azure' } };
    },
    finalizeDiscoveryUpload: ({ body }) => {
      const upload = state.discoveryUploads.find((u) => u.url === body.uploadUrl);
      if (!upload) return bad('uploadUrl is not an address getDiscoveryUploadUrl gave.');
      if (upload.finalized) return bad('This upload was already finalised.');
      const now = new Date();
      let stream: DiscoveryStream | undefined;
      if (body.uploadAsSnapshot) {
        // A snapshot report of that name: streamType 5 (PREVIEW, from a snapshot report).
        if (state.discoveryStreams.some((s) => s.displayName === body.inputStreamName)) return bad(`A report named '${body.inputStreamName}' already exists.`);
        stream = {
          _id: newObjectId(),
          displayName: body.inputStreamName,
          streamType: 5,
          isManual: true,
          snapshotData: true,
          logType: formats.get(upload.source) ?? 1,
          created: now.toISOString(),
          lastModified: now.toISOString(),
          lastDataReceived: now.toISOString(),
          logFilesHistoryCount: 0,
          logFilesFailsCount: 0,
        };
        state.discoveryStreams.push(stream);
      } else {
        // An unknown data source is a 400, as the MCAS module (Send-MCASDiscoveryLog) expects: it
        // reads a 400 from this call as "not a data source name created in the console".
        stream = state.discoveryStreams.find((s) => s.displayName === body.inputStreamName && s.streamType === 1);
        if (!stream) return bad(`No data source is named '${body.inputStreamName}'.`);
      }
      upload.finalized = now.toISOString();
      stream.logFilesHistoryCount = (stream.logFilesHistoryCount ?? 0) + 1;
      stream.lastDataReceived = now.toISOString();
      stream.lastModified = now.toISOString();
      recordGovernance(state, { taskName: 'DiscoveryParseLogTask', type: 'DiscoveryParseLogTask', appId: 11161, targetObjectName: upload.filename, streamId: stream._id });
      return { status: 200, body: {} };
    },
    getSaasDbApp: ({ params }) => {
      const app = catalogApp(state, params.appId);
      return app ? { status: 200, body: app } : { status: 404, body: NOT_FOUND };
    },
    generateBlockScript: ({ query }) => {
      const line = BLOCK_LINE[query.format];
      if (!line) return bad(`No block script format ${query.format}; formats: ${Object.keys(BLOCK_LINE).join(', ')}.`);
      // `banned` (the docs' example, and the default) blocks the apps tagged unsanctioned; nothing else is documented.
      if ((query.type ?? 'banned') !== 'banned') return bad(`Unknown script type '${query.type}'; the documented one is 'banned'.`);
      const domains = state.discoverySightings
        .filter((a) => a.tag === 'unsanctioned')
        .flatMap((a) => ((catalogApp(state, a.appId)?.domains as string[] | undefined) ?? []));
      const text = [...new Set(domains)].map(line).join('\n');
      return { status: 200, body: text ? `${text}\n` : '' };
    },
  };
}
