import { randomBytes } from 'node:crypto';
import type { components, operations } from '../../generated/defguard.ts';
import type { StoredCredential } from '../kit/credentials.ts';
import { broadcastOf, canonicalIp, contains, formatCidr, formatIp, interfaceAddressProblem, networkOf, nextFree, parseCidr, parseIp, splitIp, type Cidr } from './ip.ts';
import type { Handlers } from '../kit/types.ts';

type Schemas = components['schemas'];
type UserInfo = Schemas['UserInfo'];
type GroupInfo = Schemas['GroupInfo'];
type WireguardNetwork = Schemas['WireguardNetwork'];
type NetworkData = Schemas['WireguardNetworkData'];
type Device = Schemas['Device'];
type DeviceConfig = Schemas['DeviceConfig'];

/** A location as stored: the contract's record plus the names of the groups allowed to use it. */
export type StoredNetwork = WireguardNetwork & { allowed_groups: string[] };
/** A device's addresses in one location (Defguard's `wireguard_network_device` row). */
export interface DeviceAddresses {
  network_id: number;
  wireguard_ips: string[];
}
/** A device as stored: the contract's record plus its addresses, one entry per location, by location id. */
export type StoredDevice = Device & { addresses: DeviceAddresses[] };
/** Seeded devices may leave out their addresses: user devices then get them as the server would assign them. */
export type SeedDevice = Device & { addresses?: DeviceAddresses[] };

export interface VpnState {
  networks: Map<number, StoredNetwork>;
  devices: Map<number, StoredDevice>;
  nextNetworkId: number;
  nextDeviceId: number;
}

/** The users and groups the locations' access rules refer to (owned by the Defguard module). */
export interface Directory {
  users: Map<string, UserInfo>;
  groups: Map<number, GroupInfo>;
}

type Page = <T>(all: T[], query: { page?: number; per_page?: number }) => { data: T[]; pagination: Schemas['PaginationMeta'] };

function location(id: number, name: string, fields: Partial<StoredNetwork>): StoredNetwork {
  return {
    id,
    name,
    address: [],
    port: 51820,
    pubkey: '',
    endpoint: 'vpn.example.org',
    dns: null,
    mtu: 1420,
    fwmark: 0,
    allowed_ips: [],
    allow_all_groups: true,
    connected_at: null,
    acl_enabled: false,
    acl_default_allow: false,
    keepalive_interval: 25,
    peer_disconnect_threshold: 300,
    location_mfa_mode: 'disabled',
    service_location_mode: 'disabled',
    allowed_groups: [],
    ...fields,
  };
}

function seedDevice(id: number, userId: number, name: string, pubkey: string, extra: Partial<SeedDevice> = {}): SeedDevice {
  return { id, name, wireguard_pubkey: pubkey, user_id: userId, created: '2025-03-04T09:15:27.482113', device_type: 'user', description: null, configured: true, ...extra };
}

// Headquarters is open to everyone; the lab (dual-stack, MFA) only to the developers group, so
// alice's and bob's devices have addresses in both and the admin's only at headquarters.
export const DEFAULT_NETWORKS: StoredNetwork[] = [
  location(1, 'Headquarters', {
    address: ['10.10.0.1/24'],
    pubkey: 'HAoTpf5xoAKm6VKqnDmt2moP6pZ4PX+GFx0q2L446f0=',
    dns: '10.10.0.1',
    allowed_ips: ['10.10.0.0/24', '192.168.10.0/24'],
  }),
  location(2, 'Developers lab', {
    address: ['10.20.0.1/24', 'fd00:20::1/64'],
    port: 51821,
    pubkey: '3OdBe4sy1JrUXuD3vH59574XsKMZvD81uhz3Y9BBzJY=',
    endpoint: 'lab.vpn.example.org',
    allowed_ips: ['10.20.0.0/24', 'fd00:20::/64'],
    allow_all_groups: false,
    allowed_groups: ['developers'],
    location_mfa_mode: 'internal',
  }),
];

export const DEFAULT_DEVICES: SeedDevice[] = [
  seedDevice(1, 2, 'alice-laptop', '2Ha/aRn8M0TlGoOgGXp1pqRUp8uf6/zglpTtYSqPxC4='),
  seedDevice(2, 3, 'bob-phone', 'A1lZmicteKeElyX8l8yRURQXzrG3qCDblcSydx50SZM='),
  seedDevice(3, 1, 'admin-workstation', '5zR1JxkMNHNCWZK6l23IJInFxactSy9mnHJnMlV94PU='),
  seedDevice(4, 1, 'office-printer', 'XQmGl61R7BXP9/sXpPYqy6KXnvaD+oCfcQtDceNTE/4=', {
    device_type: 'network',
    description: 'Printer on the second floor',
    addresses: [{ network_id: 1, wireguard_ips: ['10.10.0.100'] }],
  }),
];

export function createVpnState(dir: Directory, seed: { networks?: StoredNetwork[]; devices?: SeedDevice[] } = {}): VpnState {
  const networks = (seed.networks ?? DEFAULT_NETWORKS).map((n) => structuredClone(n));
  const devices = (seed.devices ?? DEFAULT_DEVICES).map((d): StoredDevice => ({ ...structuredClone(d), addresses: structuredClone(d.addresses ?? []) }));
  const vpn: VpnState = {
    networks: new Map(networks.map((n) => [n.id, n])),
    devices: new Map(devices.map((d) => [d.id, d])),
    nextNetworkId: Math.max(0, ...networks.map((n) => n.id)) + 1,
    nextDeviceId: Math.max(0, ...devices.map((d) => d.id)) + 1,
  };
  syncAllowedDevices(vpn, dir);
  return vpn;
}

export const vpnSnapshot = (vpn: VpnState) => ({ networks: [...vpn.networks.values()], devices: [...vpn.devices.values()] });

// ---- access and addresses --------------------------------------------------------------------

const subnets = (n: WireguardNetwork): Cidr[] => n.address.map((a) => parseCidr(a)).filter((c): c is Cidr => c !== undefined);
const userById = (dir: Directory, id: number) => [...dir.users.values()].find((u) => u.id === id);
const groupsOf = (dir: Directory, username: string) => [...dir.groups.values()].filter((g) => g.members.includes(username)).map((g) => g.name);
const addressesIn = (d: StoredDevice, networkId: number) => d.addresses.find((a) => a.network_id === networkId);

/** Defguard's `get_allowed_devices`: user devices of active users in an allowed group (or any group). */
function allowedIn(dir: Directory, n: StoredNetwork, d: StoredDevice): boolean {
  if (d.device_type !== 'user') return false;
  const owner = userById(dir, d.user_id);
  if (!owner?.is_active) return false;
  return n.allow_all_groups || groupsOf(dir, owner.username).some((g) => n.allowed_groups.includes(g));
}

function usedIps(vpn: VpnState, networkId: number): Set<string> {
  const used = new Set<string>();
  for (const d of vpn.devices.values()) for (const ip of addressesIn(d, networkId)?.wireguard_ips ?? []) used.add(ip);
  return used;
}

/**
 * The next free address in each subnet of the location, keeping any current address that still
 * fits its subnet (`assign_next_network_ip`); undefined when a subnet is full.
 */
function assignIps(n: WireguardNetwork, used: Set<string>, current: string[] = []): string[] | undefined {
  const ips: string[] = [];
  for (const subnet of subnets(n)) {
    const kept = current.find((ip) => {
      const parsed = parseIp(ip);
      return parsed !== undefined && contains(subnet, parsed);
    });
    const ip = kept ?? nextFree(subnet, used);
    if (!ip) return undefined;
    used.add(ip);
    ips.push(ip);
  }
  return ips;
}

function setAddresses(d: StoredDevice, networkId: number, ips: string[]) {
  d.addresses = [...d.addresses.filter((a) => a.network_id !== networkId), { network_id: networkId, wireguard_ips: ips }].sort((a, b) => a.network_id - b.network_id);
}

/** The subnet of the location an address belongs to, if any. */
const subnetOf = (n: WireguardNetwork, ipText: string) => {
  const ip = parseIp(ipText);
  return ip && subnets(n).find((s) => contains(s, ip));
};
const fits = (n: WireguardNetwork, ips: string[]) => ips.length === subnets(n).length && ips.every((ip) => subnetOf(n, ip));

/**
 * One location's `sync_location_allowed_devices`: devices no longer allowed lose their addresses,
 * addresses that no longer fit the location's subnets are replaced, and allowed devices without
 * addresses get them (a device that finds a subnet full is left out).
 */
function syncLocation(vpn: VpnState, dir: Directory, n: StoredNetwork) {
  const used = usedIps(vpn, n.id);
  const devices = [...vpn.devices.values()].sort((a, b) => a.id - b.id);
  for (const d of devices) {
    const current = addressesIn(d, n.id);
    const allowed = d.device_type === 'network' ? current !== undefined : allowedIn(dir, n, d);
    if (!allowed) {
      if (current) d.addresses = d.addresses.filter((a) => a !== current);
      current?.wireguard_ips.forEach((ip) => used.delete(ip));
      continue;
    }
    if (current && fits(n, current.wireguard_ips)) continue;
    const ips = assignIps(n, used, current?.wireguard_ips);
    if (ips) setAddresses(d, n.id, ips);
    else d.addresses = d.addresses.filter((a) => a.network_id !== n.id);
  }
}

/**
 * Brings every location in step with the directory, as the server does after a change to a
 * location, a user or a group: allowed groups that no longer exist are dropped, device addresses
 * follow the access rules, and each group lists the locations it is allowed in.
 */
export function syncAllowedDevices(vpn: VpnState, dir: Directory) {
  const groupNames = new Set([...dir.groups.values()].map((g) => g.name));
  const networks = [...vpn.networks.values()].sort((a, b) => a.id - b.id);
  for (const n of networks) {
    n.allowed_groups = n.allowed_groups.filter((g) => groupNames.has(g));
    syncLocation(vpn, dir, n);
  }
  const byName = [...networks].sort((a, b) => a.name.localeCompare(b.name));
  for (const g of dir.groups.values()) g.vpn_locations = byName.filter((n) => n.allowed_groups.includes(g.name)).map((n) => n.name);
}

/** A deleted user's devices go with them (the database cascades the delete). */
export function removeUserDevices(vpn: VpnState, userId: number) {
  for (const d of [...vpn.devices.values()]) if (d.user_id === userId) vpn.devices.delete(d.id);
}

// ---- views -----------------------------------------------------------------------------------

const networkView = ({ allowed_groups: _groups, ...n }: StoredNetwork): WireguardNetwork => n;
const deviceView = ({ addresses: _addresses, ...d }: StoredDevice): Device => d;
const hasDevices = (vpn: VpnState, id: number) => [...vpn.devices.values()].some((d) => addressesIn(d, id));
const networkInfo = (vpn: VpnState, n: StoredNetwork): Schemas['WireguardNetworkInfo'] => ({
  ...networkView(n),
  // Gateways are not modelled: a location has none connected.
  gateways: [],
  allowed_groups: [...n.allowed_groups],
  has_devices: hasDevices(vpn, n.id),
});

/** Defguard's `Device::create_config`: the wg-quick file a device imports. */
function configText(n: WireguardNetwork, ips: string[]): string {
  const dns = n.dns ? `DNS = ${n.dns}` : '';
  const allowed = n.allowed_ips.length > 0 ? `AllowedIPs = ${n.allowed_ips.join(',')}\n` : '';
  return (
    `[Interface]\nPrivateKey = YOUR_PRIVATE_KEY\nAddress = ${ips.join(',')}\n${dns}\n\n` +
    `[Peer]\nPublicKey = ${n.pubkey}\n${allowed}Endpoint = ${n.endpoint}:${n.port}\nPersistentKeepalive = ${n.keepalive_interval}`
  );
}

const deviceConfig = (n: WireguardNetwork, ips: string[]): DeviceConfig => ({
  network_id: n.id,
  network_name: n.name,
  config: configText(n, ips),
  address: ips,
  endpoint: `${n.endpoint}:${n.port}`,
  allowed_ips: n.allowed_ips,
  pubkey: n.pubkey,
  dns: n.dns,
  keepalive_interval: n.keepalive_interval,
  location_mfa_mode: n.location_mfa_mode,
  service_location_mode: n.service_location_mode,
});

const splitIps = (n: WireguardNetwork, ips: string[]) =>
  ips.flatMap((ip) => {
    const subnet = subnetOf(n, ip);
    return subnet ? [splitIp(ip, subnet)] : [];
  });

/** A network device's details; its location is the first (lowest id) it has addresses in. */
function networkDeviceInfo(vpn: VpnState, dir: Directory, d: StoredDevice): Schemas['NetworkDeviceInfo'] | undefined {
  const a = d.addresses[0];
  const n = a && vpn.networks.get(a.network_id);
  if (!a || !n) return undefined;
  return {
    id: d.id,
    name: d.name,
    assigned_ips: a.wireguard_ips,
    description: d.description,
    added_by: userById(dir, d.user_id)?.username ?? '',
    added_date: d.created,
    location: { id: n.id, name: n.name },
    wireguard_pubkey: d.wireguard_pubkey,
    configured: d.configured,
    split_ips: splitIps(n, a.wireguard_ips),
  };
}

/**
 * A user's own devices (not the network devices they added) with their addresses per location, as
 * user records show them. Connection history is not modelled: no device has connected yet.
 */
export function userDevices(vpn: VpnState, userId: number): Schemas['UserDevice'][] {
  const mine = [...vpn.devices.values()].filter((d) => d.user_id === userId && d.device_type === 'user').sort((a, b) => a.id - b.id);
  return mine.map((d) => ({
    ...deviceView(d),
    networks: d.addresses.flatMap((a) => {
      const n = vpn.networks.get(a.network_id);
      if (!n) return [];
      return [{ network_id: n.id, network_name: n.name, network_gateway_ip: n.endpoint, device_wireguard_ips: a.wireguard_ips, last_connected_ip: null, last_connected_at: null, is_active: false, location_mfa_mode: n.location_mfa_mode }];
    }),
  }));
}

// ---- input checks ----------------------------------------------------------------------------

const bad = (msg: string) => ({ status: 400 as const, body: { msg } });
const EMPTY: Record<string, never> = {};
// With no location at all the server answers device changes with a bare 400.
const NO_LOCATIONS = { status: 400 as const, body: EMPTY };
const now = () => new Date().toISOString().replace('Z', '');
const newKey = () => randomBytes(32).toString('base64');


/** The checks `create_network` and `modify_network` make before touching the location. */
function networkDataProblem(body: NetworkData): string | undefined {
  if (body.location_mfa_mode !== 'disabled' && body.peer_disconnect_threshold < 120) {
    return 'peer_disconnect_threshold must be at least 120 when location MFA is enabled';
  }
  if (!body.allow_all_groups && body.allowed_groups.length === 0) return 'At least one group must be specified when allow_all_groups is disabled';
  return undefined;
}

/**
 * The interface addresses of a location from the comma-separated text. Entries that are not
 * addresses at all are dropped (Defguard's `parse_address_list`); the caller refuses a list with
 * none left. An address that cannot be an interface address (the subnet's network or broadcast
 * address, a zero prefix) is refused.
 */
function parseAddresses(text: string): { addresses: string[] } | { error: string } {
  const parsed = text.split(',').map((a) => parseCidr(a)).filter((c): c is Cidr => c !== undefined);
  for (const c of parsed) {
    const problem = interfaceAddressProblem(c);
    if (problem) return { error: problem };
  }
  return { addresses: parsed.map(formatCidr) };
}

/** Defguard's `parse_network_address_list`: valid CIDRs with their host bits cleared, others dropped. */
const parseAllowedIps = (text: string | null | undefined) =>
  (text ?? '')
    .split(',')
    .map((a) => parseCidr(a))
    .filter((c): c is Cidr => c !== undefined)
    .map((c) => formatCidr({ ...c, ip: networkOf(c) }));

function applyNetworkData(n: StoredNetwork, body: NetworkData, addresses: string[], dir: Directory) {
  Object.assign(n, {
    name: body.name,
    address: addresses,
    port: body.port,
    endpoint: body.endpoint,
    dns: body.dns ?? null,
    mtu: body.mtu,
    fwmark: body.fwmark,
    allowed_ips: parseAllowedIps(body.allowed_ips),
    allow_all_groups: body.allow_all_groups,
    acl_enabled: body.acl_enabled,
    acl_default_allow: body.acl_default_allow,
    keepalive_interval: body.keepalive_interval,
    peer_disconnect_threshold: body.peer_disconnect_threshold,
    location_mfa_mode: body.location_mfa_mode,
    // A location that needs MFA cannot be a service location; the server switches that off.
    service_location_mode: body.location_mfa_mode === 'disabled' ? body.service_location_mode : 'disabled',
    // Only groups that exist are recorded, as the server's insert-from-select does.
    allowed_groups: body.allowed_groups.filter((g) => [...dir.groups.values()].some((x) => x.name === g)),
  });
}

/**
 * Why an address cannot go to a device in the location (`can_assign_ips`), or undefined; `valid`
 * says whether it is at least an address of one of the location's subnets. The messages are the
 * server's.
 */
function assignProblem(vpn: VpnState, n: WireguardNetwork, ipText: string, deviceId?: number): { valid: boolean; msg: string } | undefined {
  const ip = parseIp(ipText);
  if (!ip) return { valid: false, msg: `invalid IP address syntax: ${ipText}` };
  const text = formatIp(ip.v6, ip.ip);
  const subnet = subnets(n).find((s) => contains(s, ip));
  if (!subnet) return { valid: false, msg: `Location ${n.name} has no network that could contain IP address ${text}, available networks: [${n.address.join(', ')}]` };
  if (ip.ip === networkOf(subnet)) return { valid: true, msg: `IP address ${text} is network address in location ${n.name}` };
  if (ip.ip === broadcastOf(subnet)) return { valid: true, msg: `IP address ${text} is network broadcast address in location ${n.name}` };
  if (ip.ip === subnet.ip) return { valid: true, msg: `IP address ${text} is reserved for Gateway in location ${n.name}` };
  const holder = [...vpn.devices.values()].find((d) => addressesIn(d, n.id)?.wireguard_ips.includes(text));
  if (holder && holder.id !== deviceId) return { valid: true, msg: `IP address ${text} is already assigned in location ${n.name}` };
  return undefined;
}

// ---- handlers --------------------------------------------------------------------------------

/**
 * Locations, user devices and network devices. A user device gets an address in every location
 * its owner may use; a network device lives in the one location it was added to. Deleting a
 * location removes its network devices and every device's addresses there.
 */
export function vpnHandlers(vpn: VpnState, dir: Directory, page: Page): Handlers<operations> {
  const caller = (credential?: StoredCredential) => {
    const user = credential ? dir.users.get(credential.owner) : undefined;
    return { user, isAdmin: user?.is_admin ?? false };
  };
  /** Defguard's `device_for_admin_or_self`: admins see every device, others only their own. */
  const deviceFor = (id: number, credential?: StoredCredential) => {
    const d = vpn.devices.get(id);
    const who = caller(credential);
    return d && (who.isAdmin || d.user_id === who.user?.id) ? d : undefined;
  };
  const sync = () => syncAllowedDevices(vpn, dir);
  const networkNotFound = (id: number) => ({ status: 404 as const, body: { msg: `Network ${id} not found` } });
  const deviceNotFound = (id: number) => ({ status: 404 as const, body: { msg: `device id ${id} not found` } });
  const serverKey = (key: string) => [...vpn.networks.values()].some((n) => n.pubkey === key);
  /**
   * Why a new device may not use the key: another device or a location already has it. A key that
   * is not 32 bytes of base64 never gets here: the contract's pattern refuses it with 400.
   */
  const pubkeyProblem = (name: string, key: string) => {
    if ([...vpn.devices.values()].some((d) => d.wireguard_pubkey === key)) return `Failed to add device ${name}, identical pubkey (${key}) already exists`;
    if (serverKey(key)) return `Device pubkey ${key} is the same as gateway pubkey`;
    return undefined;
  };
  const sortedNetworks = () => [...vpn.networks.values()].sort((a, b) => a.id - b.id);

  const deleteDevice: NonNullable<Handlers<operations>['deleteDevice']> = ({ params, credential }) => {
    const d = deviceFor(Number(params.device_id), credential);
    if (!d) return deviceNotFound(Number(params.device_id));
    vpn.devices.delete(d.id);
    return { status: 200, body: null };
  };

  return {
    // Sorted by name in the server's code (byte order), not by the database.
    listNetworks: () => ({ status: 200, body: [...vpn.networks.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((n) => networkInfo(vpn, n)) }),
    countNetworks: () => ({ status: 200, body: { count: vpn.networks.size } }),
    getLocationsDisplay: () => ({ status: 200, body: sortedNetworks().map((n) => ({ id: n.id, display: n.name })) }),
    networkDetails: ({ params }) => {
      const n = vpn.networks.get(Number(params.network_id));
      // The server answers an unknown id with a bare `null`.
      return n ? { status: 200, body: networkInfo(vpn, n) } : { status: 404, body: null };
    },
    createNetwork: ({ body }) => {
      const problem = networkDataProblem(body);
      if (problem) return bad(problem);
      const parsed = parseAddresses(body.address);
      if ('error' in parsed) return bad(parsed.error);
      if (parsed.addresses.length === 0) return bad('Must provide at least one valid network address');
      const n = location(vpn.nextNetworkId++, body.name, { pubkey: newKey() });
      applyNetworkData(n, body, parsed.addresses, dir);
      vpn.networks.set(n.id, n);
      // Existing devices of allowed users get addresses in the new location.
      sync();
      return { status: 201, body: networkView(n) };
    },
    modifyNetwork: ({ params, body }) => {
      const problem = networkDataProblem(body);
      if (problem) return bad(problem);
      const n = vpn.networks.get(Number(params.network_id));
      if (!n) return networkNotFound(Number(params.network_id));
      const parsed = parseAddresses(body.address);
      if ('error' in parsed) return bad(parsed.error);
      if (parsed.addresses.length === 0) return bad('Must provide at least one valid network address');
      applyNetworkData(n, body, parsed.addresses, dir);
      sync();
      return { status: 200, body: networkView(n) };
    },
    deleteNetwork: ({ params }) => {
      const n = vpn.networks.get(Number(params.network_id));
      if (!n) return networkNotFound(Number(params.network_id));
      vpn.networks.delete(n.id);
      for (const d of [...vpn.devices.values()]) {
        if (d.device_type === 'network' && addressesIn(d, n.id)) vpn.devices.delete(d.id);
        else d.addresses = d.addresses.filter((a) => a.network_id !== n.id);
      }
      sync();
      return { status: 200, body: null };
    },

    listDevices: () => ({ status: 200, body: [...vpn.devices.values()].sort((a, b) => a.id - b.id).map(deviceView) }),
    listUserDevices: ({ params, credential }) => {
      const who = caller(credential);
      if (!who.isAdmin && who.user?.username !== params.username) return { status: 403, body: { msg: 'Admin access required' } };
      const owner = dir.users.get(params.username);
      const mine = [...vpn.devices.values()].filter((d) => owner && d.user_id === owner.id);
      return { status: 200, body: mine.sort((a, b) => a.id - b.id).map(deviceView) };
    },
    getDevice: ({ params, credential }) => {
      const d = deviceFor(Number(params.device_id), credential);
      return d ? { status: 200, body: deviceView(d) } : deviceNotFound(Number(params.device_id));
    },
    addDevice: ({ params, body, credential }) => {
      const who = caller(credential);
      const username = params.device_id;
      if (!who.isAdmin && who.user?.username !== username) return { status: 403, body: { msg: 'requires privileged access' } };
      const owner = dir.users.get(username);
      if (!owner) return { status: 404, body: { msg: `user ${username} not found` } };
      if (!owner.is_active && !who.isAdmin) return { status: 403, body: { msg: 'User is disabled' } };
      if (vpn.networks.size === 0) return NO_LOCATIONS;
      const keyProblem = pubkeyProblem(body.name, body.wireguard_pubkey);
      if (keyProblem) return bad(keyProblem);
      const d: StoredDevice = { id: vpn.nextDeviceId, name: body.name, wireguard_pubkey: body.wireguard_pubkey, user_id: owner.id, created: now(), device_type: 'user', description: null, configured: true, addresses: [] };
      const full = placeUserDevice(d);
      if (full) return { status: 400, body: { msg: `Network ${full} is full, no IP addresses available`, code: 'network_full' as const } };
      vpn.devices.set(vpn.nextDeviceId++, d);
      const configs = d.addresses.map((a) => deviceConfig(vpn.networks.get(a.network_id)!, a.wireguard_ips));
      return { status: 201, body: { configs, device: deviceView(d) } };
    },
    modifyDevice: ({ params, body, credential }) => {
      const d = deviceFor(Number(params.device_id), credential);
      if (!d) return deviceNotFound(Number(params.device_id));
      if (vpn.networks.size === 0) return NO_LOCATIONS;
      if (serverKey(body.wireguard_pubkey)) return bad("device's pubkey must be different from server's pubkey");
      Object.assign(d, { name: body.name, wireguard_pubkey: body.wireguard_pubkey, description: body.description ?? null });
      return { status: 200, body: deviceView(d) };
    },
    deleteDevice,
    // The server routes both deletes to one handler.
    deleteNetworkDevice: deleteDevice as NonNullable<Handlers<operations>['deleteNetworkDevice']>,
    downloadConfig: ({ params, credential }) => {
      const n = vpn.networks.get(Number(params.network_id));
      if (!n) return networkNotFound(Number(params.network_id));
      const d = deviceFor(Number(params.device_id), credential);
      if (!d) return deviceNotFound(Number(params.device_id));
      const a = addressesIn(d, n.id);
      if (!a) return { status: 404, body: { msg: `No IP address found for device: ${d.name}(${d.id})` } };
      // A text/plain answer; the generated types describe JSON bodies only.
      return { status: 200, body: configText(n, a.wireguard_ips) as never };
    },

    ...networkDeviceHandlers(),
    ...addressHandlers(),
  };

  /** Addresses for a new user device in every location its owner may use; the name of a full location, if any. */
  function placeUserDevice(d: StoredDevice): string | undefined {
    for (const n of sortedNetworks()) {
      if (!allowedIn(dir, n, d)) continue;
      const ips = assignIps(n, usedIps(vpn, n.id));
      if (!ips) return n.name;
      setAddresses(d, n.id, ips);
    }
    return undefined;
  }

  function networkDeviceHandlers(): Handlers<operations> {
    const notFound = (id: number) => ({ status: 404 as const, body: { msg: `Network device with ID ${id} not found` } });
    return {
      listNetworkDevices: ({ query }) => {
        const all = [...vpn.devices.values()].filter((d) => d.device_type === 'network').sort((a, b) => a.name.localeCompare(b.name));
        const p = page(all, query);
        // Like the server, a device whose location is gone is left out of the page but still counted.
        return { status: 200, body: { data: p.data.flatMap((d) => networkDeviceInfo(vpn, dir, d) ?? []), pagination: p.pagination } };
      },
      getNetworkDevice: ({ params }) => {
        const d = vpn.devices.get(Number(params.device_id));
        const info = d?.device_type === 'network' ? networkDeviceInfo(vpn, dir, d) : undefined;
        return info ? { status: 200, body: info } : notFound(Number(params.device_id));
      },
      addNetworkDevice: ({ body, credential }) => {
        const who = caller(credential);
        if (!who.user) return { status: 401, body: { msg: 'Session is required' } };
        const n = vpn.networks.get(body.location_id);
        if (!n) return bad('Failed to add device, network not found');
        const keyProblem = pubkeyProblem(body.name, body.wireguard_pubkey);
        if (keyProblem) return bad(keyProblem);
        const ips = checkedIps(n, body.assigned_ips, body.name);
        if ('error' in ips) return bad(ips.error);
        const d: StoredDevice = {
          id: vpn.nextDeviceId++,
          name: body.name,
          wireguard_pubkey: body.wireguard_pubkey,
          user_id: who.user.id,
          created: now(),
          device_type: 'network',
          description: body.description ?? null,
          configured: true,
          addresses: [{ network_id: n.id, wireguard_ips: ips.ips }],
        };
        vpn.devices.set(d.id, d);
        return { status: 201, body: { config: deviceConfig(n, ips.ips), device: networkDeviceInfo(vpn, dir, d)! } };
      },
      modifyNetworkDevice: ({ params, body }) => {
        const id = Number(params.device_id);
        const d = vpn.devices.get(id);
        if (!d) return { status: 404, body: { msg: `Device ${id} not found` } };
        const a = d.addresses[0];
        const n = a && vpn.networks.get(a.network_id);
        if (!a || !n) return { status: 404, body: { msg: `Device ${id} not found in any network` } };
        const wanted = body.assigned_ips.map(canonicalIp);
        // The server reads `assigned_ips` as addresses while deserialising the body.
        if (wanted.some((ip) => !ip)) return { status: 422, body: 'Failed to deserialize the JSON body into the target type: assigned_ips: invalid IP address syntax' as never };
        if (wanted.join() !== a.wireguard_ips.join()) {
          const problem = wanted.map((ip) => assignProblem(vpn, n, ip!, d.id)).find(Boolean);
          if (problem) return bad(problem.msg);
          a.wireguard_ips = wanted as string[];
        }
        Object.assign(d, { name: body.name, description: body.description ?? null });
        return { status: 200, body: networkDeviceInfo(vpn, dir, d)! };
      },
    };
  }

  /** Addresses an admin chose for a network device, checked as `add_network_device` does. */
  function checkedIps(n: WireguardNetwork, texts: string[], name: string): { ips: string[] } | { error: string } {
    const ips: string[] = [];
    for (const text of texts) {
      const canonical = canonicalIp(text);
      if (!canonical) return { error: `Failed to add network device ${name}, invalid IP address: invalid IP address syntax` };
      const problem = assignProblem(vpn, n, canonical);
      if (problem) return { error: problem.msg };
      ips.push(canonical);
    }
    return { ips };
  }

  function addressHandlers(): Handlers<operations> {
    // An unknown location is a bad request on these two routes, as in the server's handlers.
    return {
      findAvailableIps: ({ params }) => {
        const n = vpn.networks.get(Number(params.network_id));
        if (!n) return bad('Failed to find available IP, network not found');
        const used = usedIps(vpn, n.id);
        const free = subnets(n).flatMap((s) => {
          const ip = nextFree(s, used);
          return ip ? [splitIp(ip, s)] : [];
        });
        if (free.length < subnets(n).length) return { status: 400, body: { msg: `Network ${n.name} is full, no IP addresses available`, code: 'network_full' as const } };
        return { status: 200, body: free };
      },
      checkIpAvailability: ({ params, body }) => {
        const n = vpn.networks.get(Number(params.network_id));
        if (!n) return bad('Failed to check IP availability, location not found');
        const results = body.ips.map((ip) => {
          const problem = assignProblem(vpn, n, ip, body.device_id ?? undefined);
          return { available: !problem, valid: problem ? problem.valid : true };
        });
        return { status: 200, body: results };
      },
      getAllUserDeviceIps: ({ params }) => ({ status: 200, body: { locations: userLocations(params.username) } }),
      getDeviceIps: ({ params }) => {
        const owner = dir.users.get(params.username);
        const d = vpn.devices.get(Number(params.device_id));
        // Like the server, a device that is not the user's has no addresses rather than a 404.
        if (!owner || !d || d.user_id !== owner.id) return { status: 200, body: { locations: [] } };
        const rows = byName(d.addresses).map(({ n, a }) => ({ location_id: n.id, location_name: n.name, wireguard_ips: splitIps(n, a.wireguard_ips) }));
        return { status: 200, body: { locations: rows } };
      },
    };
  }

  /** A list of addresses with their locations, ordered by location name as the server's query does. */
  function byName(addresses: DeviceAddresses[]) {
    return addresses
      .map((a) => ({ a, n: vpn.networks.get(a.network_id)! }))
      .filter(({ n }) => n)
      .sort((x, y) => x.n.name.localeCompare(y.n.name));
  }

  /** Every device of the user, grouped by location (name order), devices by name. */
  function userLocations(username: string): Schemas['LocationDevicesResponse']['locations'] {
    const owner = dir.users.get(username);
    if (!owner) return [];
    const devices = [...vpn.devices.values()].filter((d) => d.user_id === owner.id).sort((a, b) => a.name.localeCompare(b.name));
    return [...vpn.networks.values()]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((n) => ({
        location_id: n.id,
        location_name: n.name,
        devices: devices.flatMap((d) => {
          const a = addressesIn(d, n.id);
          return a ? [{ device_id: d.id, device_name: d.name, wireguard_ips: splitIps(n, a.wireguard_ips) }] : [];
        }),
      }))
      .filter((l) => l.devices.length > 0);
  }
}
