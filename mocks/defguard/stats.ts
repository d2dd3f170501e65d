import type { components, operations } from '../../generated/defguard.ts';
import type { Handlers } from '../kit/types.ts';
import type { DefguardState, StoredDevice, StoredNetwork } from './model.ts';
import { notFound, page } from './views.ts';

type Schemas = components['schemas'];
type StatsRow = Schemas['WireguardStatsRow'];

/**
 * Location statistics, derived from the devices, users and locations the mock holds. No gateway
 * reports real handshakes to the mock, so the VPN sessions behind the numbers are simulated; the
 * simulation is the mock's own invention, deterministic for a given state and clock:
 *
 * - a device is connected to a location when it has an address there, is configured (a network
 *   device whose CLI setup has not finished is not) and, for a user device, its owner is active;
 * - its session began `30 + (37·device id + 11·location id) mod 90` minutes ago (30 to 119 minutes),
 *   but not before the device was created, and is still going on;
 * - the gateway collects a sample at the end of every minute of the session: the device sent
 *   `1024 · (4 + device id mod 7)` bytes and received `3 + location id mod 3` times as much;
 * - its public address is `198.51.100.x` (a documentation range), x = device id mod 254 + 1.
 *
 * Everything else is the server's (handlers/location_stats.rs, `networks_stats` and the
 * `WireguardNetwork` stats queries): the window starts at `from` (default one hour ago, in the
 * future is a 400), series are summed per minute, or per hour when the window is six hours or
 * longer (the server's only aggregation switch; the API takes no aggregation parameter), at most
 * 360 rows, and users and devices count as active when they have a session in the window.
 */

const MINUTE = 60_000;
/** `PEER_STATS_LIMIT`: the most rows a series has. */
const SERIES_LIMIT = 6 * 60;

/** A device's simulated session in a location. */
interface Session {
  device: StoredDevice;
  network: StoredNetwork;
  ips: string[];
  connectedAt: number;
  publicIp: string;
  /** Sample times (end of each whole minute of the session), milliseconds. */
  samples: number[];
  upload: number;
  download: number;
}

/** `YYYY-MM-DDTHH:MM:SS`, as the server's naive UTC timestamps read. */
const naive = (ms: number) => new Date(ms).toISOString().slice(0, 19);
/** A stored naive timestamp as milliseconds (UTC). */
const fromNaive = (text: string) => Date.parse(`${text.replace(/(\.\d{3})\d*$/, '$1')}Z`);

function sessionsOf(state: DefguardState, at: number, networkId?: number): Session[] {
  const owners = new Map([...state.users.values()].map((u) => [u.id, u]));
  const sessions: Session[] = [];
  for (const d of [...state.devices.values()].sort((a, b) => a.id - b.id)) {
    if (!d.configured) continue;
    if (d.device_type === 'user' && !owners.get(d.user_id)?.is_active) continue;
    for (const a of d.addresses) {
      const n = state.networks.get(a.network_id);
      if (!n || (networkId !== undefined && n.id !== networkId)) continue;
      const minutes = 30 + ((37 * d.id + 11 * n.id) % 90);
      const connectedAt = Math.floor(Math.max(at - minutes * MINUTE, fromNaive(d.created) || 0) / MINUTE) * MINUTE;
      const samples: number[] = [];
      for (let t = connectedAt + MINUTE; t <= at; t += MINUTE) samples.push(t);
      const upload = 1024 * (4 + (d.id % 7));
      sessions.push({ device: d, network: n, ips: a.wireguard_ips, connectedAt, publicIp: `198.51.100.${(d.id % 254) + 1}`, samples, upload, download: upload * (3 + (n.id % 3)) });
    }
  }
  return sessions;
}

/** The sessions' samples since `from`, summed per minute or hour, oldest first. */
function series(sessions: Session[], from: number, bucket: number): StatsRow[] {
  const sums = new Map<number, { upload: number; download: number }>();
  for (const s of sessions) {
    for (const t of s.samples) {
      if (t < from) continue;
      const key = Math.floor(t / bucket) * bucket;
      const row = sums.get(key) ?? { upload: 0, download: 0 };
      row.upload += s.upload;
      row.download += s.download;
      sums.set(key, row);
    }
  }
  return [...sums.entries()]
    .sort(([a], [b]) => a - b)
    .slice(0, SERIES_LIMIT)
    .map(([t, r]) => ({ collected_at: naive(t), upload: r.upload, download: r.download }));
}

const total = (rows: StatsRow[], field: 'upload' | 'download') => rows.reduce((sum, r) => sum + (r[field] ?? 0), 0);

/** The window's start and the series' bucket, or the bare 400 the server answers for a start in the future. */
function window(query: { from?: string }, at: number): { from: number; bucket: number } | undefined {
  const from = query.from === undefined ? at - 60 * MINUTE : Date.parse(query.from);
  if (Number.isNaN(from) || from > at) return undefined;
  return { from, bucket: at - from >= 6 * 60 * MINUTE ? 60 * MINUTE : MINUTE };
}

const BAD_WINDOW = { status: 400 as const, body: {} as Record<string, never> };

function networkStats(sessions: Session[], from: number, bucket: number): Schemas['WireguardNetworkStats'] {
  const users = sessions.filter((s) => s.device.device_type === 'user');
  const network = sessions.filter((s) => s.device.device_type === 'network');
  const transfer = series(sessions, from, bucket);
  // Every simulated session is still going on, so the active counts of the window are the current ones.
  const activeUsers = new Set(users.map((s) => s.device.user_id)).size;
  const activeUserDevices = new Set(users.map((s) => s.device.id)).size;
  const activeNetworkDevices = new Set(network.map((s) => s.device.id)).size;
  return {
    current_active_users: activeUsers,
    current_active_user_devices: activeUserDevices,
    current_active_network_devices: activeNetworkDevices,
    active_users: activeUsers,
    active_user_devices: activeUserDevices,
    active_network_devices: activeNetworkDevices,
    upload: total(transfer, 'upload'),
    download: total(transfer, 'download'),
    transfer_series: transfer,
  };
}

const connectedDevice = (s: Session, from: number, bucket: number): Schemas['LocationConnectedDevice'] => {
  const rows = series([s], from, bucket);
  return {
    device_id: s.device.id,
    device_name: s.device.name,
    public_ip: s.publicIp,
    vpn_ips: s.ips,
    connected_at: naive(s.connectedAt),
    total_upload: total(rows, 'upload'),
    total_download: total(rows, 'download'),
    stats: rows,
  };
};

export function statsHandlers(state: DefguardState): Handlers<operations> {
  const locationNotFound = (id: number) => notFound(`Requested location (${id}) not found`);
  return {
    locationsOverviewStats: ({ query }) => {
      const at = Date.now();
      const w = window(query, at);
      return w ? { status: 200, body: networkStats(sessionsOf(state, at), w.from, w.bucket) } : BAD_WINDOW;
    },
    locationStats: ({ params, query }) => {
      const n = state.networks.get(Number(params.network_id));
      if (!n) return locationNotFound(Number(params.network_id));
      const at = Date.now();
      const w = window(query, at);
      return w ? { status: 200, body: networkStats(sessionsOf(state, at, n.id), w.from, w.bucket) } : BAD_WINDOW;
    },
    // Users with a connected user device here, by id; each shows its earliest session's addresses.
    locationConnectedUsers: ({ params, query }) => {
      const n = state.networks.get(Number(params.location_id));
      if (!n) return locationNotFound(Number(params.location_id));
      const at = Date.now();
      const w = window(query, at);
      if (!w) return BAD_WINDOW;
      const byUser = new Map<number, Session[]>();
      for (const s of sessionsOf(state, at, n.id)) if (s.device.device_type === 'user') byUser.set(s.device.user_id, [...(byUser.get(s.device.user_id) ?? []), s]);
      const owners = new Map([...state.users.values()].map((u) => [u.id, u]));
      const rows = [...byUser.entries()]
        .sort(([a], [b]) => a - b)
        .map(([userId, sessions]): Schemas['LocationConnectedUserStats'] => {
          const u = owners.get(userId)!;
          const first = [...sessions].sort((a, b) => a.connectedAt - b.connectedAt)[0]!;
          const stats = series(sessions, w.from, w.bucket);
          return {
            user_id: userId,
            first_name: u.first_name,
            last_name: u.last_name,
            full_name: `${u.first_name} ${u.last_name}`,
            connected_devices_count: sessions.length,
            public_ip: first.publicIp,
            vpn_ips: first.ips,
            connected_at: naive(first.connectedAt),
            total_upload: total(stats, 'upload'),
            total_download: total(stats, 'download'),
            stats,
          };
        });
      return { status: 200, body: page(rows, query) };
    },
    // An unknown user has no connected devices: an empty list, as the server's query gives.
    locationConnectedUserDevices: ({ params, query }) => {
      const n = state.networks.get(Number(params.location_id));
      if (!n) return locationNotFound(Number(params.location_id));
      const at = Date.now();
      const w = window(query, at);
      if (!w) return BAD_WINDOW;
      const mine = sessionsOf(state, at, n.id).filter((s) => s.device.device_type === 'user' && s.device.user_id === Number(params.user_id));
      return { status: 200, body: mine.map((s) => connectedDevice(s, w.from, w.bucket)) };
    },
    locationConnectedNetworkDevices: ({ params, query }) => {
      const n = state.networks.get(Number(params.location_id));
      if (!n) return locationNotFound(Number(params.location_id));
      const at = Date.now();
      const w = window(query, at);
      if (!w) return BAD_WINDOW;
      const rows = sessionsOf(state, at, n.id)
        .filter((s) => s.device.device_type === 'network')
        .map((s) => connectedDevice(s, w.from, w.bucket));
      return { status: 200, body: page(rows, query) };
    },
  };
}
