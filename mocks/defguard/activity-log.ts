import type { components, operations } from '../../generated/defguard.ts';
import type { ObservedAnswer } from '../kit/define.ts';
import type { Handlers } from '../kit/types.ts';
import type { ActivityLogEvent, DefguardState, UserInfo } from './model.ts';
import { caller, page } from './views.ts';

/**
 * The activity log: what happened in the mock, recorded as Defguard records it
 * (crates/defguard_core/src/db/models/activity_log: `event` is the snake_case event type, `module`
 * where it happened, `device` the client). Events are not written by each handler: the module's
 * `observe` hook (mocks/kit/define.ts) sees every successful answer and `eventFor` maps the
 * operation to the event the server emits for it, so a new handler is logged by adding a line to
 * EVENTS. Descriptions are the mock's own short sentences (Defguard builds its own per event).
 */

type Schemas = components['schemas'];
type Op = keyof operations;

/** What an operation emits when it succeeds: the event type, and a description from its request. */
interface EventSpec {
  event: string;
  describe?: (r: { params: Record<string, unknown>; body: Record<string, unknown> }, state: DefguardState) => string | null;
  /** The VPN location the event happened in, for location events. */
  location?: (r: { params: Record<string, unknown>; body: Record<string, unknown> }, state: DefguardState) => string | null;
}

const named = (what: string, field = 'name') => (r: { body: Record<string, unknown> }) => (typeof r.body[field] === 'string' ? `${what} ${String(r.body[field])}` : null);
const byParam = (what: string, param: string) => (r: { params: Record<string, unknown> }) => `${what} ${String(r.params[param])}`;
const networkName = (r: { params: Record<string, unknown>; body: Record<string, unknown> }, state: DefguardState) =>
  state.networks.get(Number(r.params.network_id))?.name ?? (typeof r.body.name === 'string' ? r.body.name : null);

/** Operations the mock answers that Defguard writes to the activity log, by the event they emit. */
const EVENTS: Partial<Record<Op, EventSpec>> = {
  logout: { event: 'user_logout' },
  addUser: { event: 'user_added', describe: named('Added user', 'username') },
  modifyUser: { event: 'user_modified', describe: byParam('Modified user', 'username') },
  deleteUser: { event: 'user_removed', describe: byParam('Removed user', 'username') },
  changePassword: { event: 'password_changed_by_admin', describe: byParam('Changed the password of', 'username') },
  changeSelfPassword: { event: 'password_changed' },
  addDevice: { event: 'device_added', describe: named('Added device') },
  modifyDevice: { event: 'device_modified', describe: named('Modified device') },
  deleteDevice: { event: 'device_removed', describe: byParam('Removed device', 'device_id') },
  addNetworkDevice: { event: 'network_device_added', describe: named('Added network device') },
  modifyNetworkDevice: { event: 'network_device_modified', describe: named('Modified network device') },
  deleteNetworkDevice: { event: 'network_device_removed', describe: byParam('Removed network device', 'device_id') },
  createNetwork: { event: 'vpn_location_added', describe: named('Added location'), location: networkName },
  importNetwork: { event: 'vpn_location_added', describe: named('Imported location'), location: networkName },
  modifyNetwork: { event: 'vpn_location_modified', describe: named('Modified location'), location: networkName },
  deleteNetwork: { event: 'vpn_location_removed', describe: byParam('Removed location', 'network_id') },
  createGroup: { event: 'group_added', describe: named('Added group') },
  modifyGroup: { event: 'group_modified', describe: named('Modified group') },
  deleteGroup: { event: 'group_removed', describe: byParam('Removed group', 'id') },
  addGroupMember: { event: 'group_member_added', describe: named('Added member', 'username') },
  removeGroupMember: { event: 'group_member_removed', describe: byParam('Removed member', 'username') },
  bulkAssignToGroups: { event: 'groups_bulk_assigned' },
  addApiToken: { event: 'api_token_added', describe: named('Added API token') },
  renameApiToken: { event: 'api_token_renamed', describe: named('Renamed API token to') },
  deleteApiToken: { event: 'api_token_removed' },
  addOpenidClient: { event: 'open_id_app_added', describe: named('Added OpenID app') },
  changeOpenidClient: { event: 'open_id_app_modified', describe: named('Modified OpenID app') },
  changeOpenidClientState: { event: 'open_id_app_state_changed' },
  deleteOpenidClient: { event: 'open_id_app_removed', describe: byParam('Removed OpenID app', 'client_id') },
  addOpenidProvider: { event: 'open_id_provider_modified', describe: named('Configured OpenID provider') },
  modifyOpenidProvider: { event: 'open_id_provider_modified', describe: named('Modified OpenID provider') },
  deleteOpenidProvider: { event: 'open_id_provider_removed', describe: byParam('Removed OpenID provider', 'name') },
  addWebhook: { event: 'web_hook_added', describe: named('Added webhook', 'url') },
  changeWebhook: { event: 'web_hook_modified', describe: named('Modified webhook', 'url') },
  changeWebhookEnabled: { event: 'web_hook_state_changed' },
  deleteWebhook: { event: 'web_hook_removed' },
  createActivityLogStream: { event: 'activity_log_stream_created', describe: named('Added activity log stream') },
  modifyActivityLogStream: { event: 'activity_log_stream_modified', describe: named('Modified activity log stream') },
  deleteActivityLogStream: { event: 'activity_log_stream_removed' },
  updateSettings: { event: 'settings_updated' },
  patchSettings: { event: 'settings_updated_partial' },
  setDefaultBranding: { event: 'settings_default_branding_restored' },
  patchEnterpriseSettings: { event: 'enterprise_settings_updated' },
};

/** Defguard's `timestamp` column: UTC without an offset, to the microsecond. */
const timestamp = () => `${new Date().toISOString().slice(0, 23)}000`;

/** The client as Defguard shows it (it parses the User-Agent); the mock keeps the header as sent. */
function device(headers: Record<string, string | string[] | undefined>): string {
  const ua = headers['user-agent'];
  return typeof ua === 'string' && ua !== '' ? ua.slice(0, 200) : 'unknown';
}

function append(state: DefguardState, user: UserInfo, fields: Pick<ActivityLogEvent, 'event' | 'description' | 'location' | 'ip' | 'device'>): void {
  state.activityLog.push({ id: state.nextActivityId++, timestamp: timestamp(), user_id: user.id, username: user.username, module: 'defguard', ...fields });
}

/** Records the event an answer stands for, if any: successful changes, and logins whatever their outcome. */
export function recordActivity(state: DefguardState, { op, request, reply }: ObservedAnswer): void {
  const ip = request.ip ?? null;
  const body = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown>;
  if (op.id === 'authenticate') {
    const name = String(body.username ?? '');
    const user = state.users.get(name) ?? [...state.users.values()].find((u) => u.email.toLowerCase() === name.toLowerCase());
    // Failures are logged against an existing account only (there is no user row for an unknown name).
    if (!user || (reply.status !== 200 && reply.status !== 401)) return;
    append(state, user, { event: reply.status === 200 ? 'user_login' : 'user_login_failed', description: null, location: null, ip, device: device(request.headers) });
    return;
  }
  const spec = EVENTS[op.id as Op];
  if (!spec || reply.status < 200 || reply.status > 299) return;
  const user = request.credential && state.users.get(request.credential.owner);
  if (!user) return;
  const r = { params: request.params, body };
  append(state, user, { event: spec.event, description: spec.describe?.(r, state) ?? null, location: spec.location?.(r, state) ?? null, ip, device: device(request.headers) });
}

type Query = operations['getActivityLogEvents']['parameters']['query'];
const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

/** Defguard's `apply_filters`: time range, any-of lists, and a case-insensitive search over the text columns. */
function matches(e: ActivityLogEvent, q: NonNullable<Query>): boolean {
  const t = Date.parse(`${e.timestamp}Z`);
  if (q.from && t < Date.parse(q.from)) return false;
  if (q.until && t > Date.parse(q.until)) return false;
  const anyOf = (values: string[], v: string | null) => values.length === 0 || (v !== null && values.includes(v));
  if (!anyOf(list(q.username), e.username) || !anyOf(list(q.location), e.location) || !anyOf(list(q.event), e.event) || !anyOf(list(q.module), e.module)) return false;
  if (q.search) {
    // CONCAT in Postgres reads NULL as empty text.
    const text = [e.username, e.location ?? '', e.module, e.event, e.device, e.description ?? ''].join(' ').toLowerCase();
    if (!text.includes(q.search.toLowerCase())) return false;
  }
  return true;
}

export function activityLogHandlers(state: DefguardState): Handlers<operations> {
  return {
    getActivityLogEvents: ({ query, credential }) => {
      const q = query ?? {};
      const key = (q.sort_by ?? 'timestamp') as keyof ActivityLogEvent;
      const dir = q.sort_order === 'asc' ? 1 : -1;
      const filtered = state.activityLog.filter((e) => matches(e, q));
      const sorted = [...filtered].sort((a, b) => {
        const x = a[key];
        const y = b[key];
        // Postgres puts NULLs last in ascending order and first in descending order: they sort as the largest.
        if (x === null && y !== null) return dir;
        if (y === null && x !== null) return -dir;
        const [sx, sy] = [String(x ?? ''), String(y ?? '')];
        // Same key: the later event (higher id) counts as later, so ties keep the order of events.
        return (sx < sy ? -1 : sx > sy ? 1 : a.id - b.id) * dir;
      });
      const me = caller(state, credential);
      // Other users see only their own events, but the server counts every user's matching events
      // for the page block (its count query leaves the username condition out).
      const visible = me.isAdmin ? sorted : sorted.filter((e) => e.username === me.user?.username);
      const counted = page(sorted, q);
      const shown = page(visible, q);
      const body: Schemas['ActivityLogPage'] = { data: shown.data, pagination: counted.pagination };
      return { status: 200, body };
    },
  };
}
