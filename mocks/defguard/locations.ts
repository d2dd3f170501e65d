import { randomBytes } from 'node:crypto';
import type { components, operations } from '../../generated/defguard.ts';
import type { Handlers } from '../kit/types.ts';
import { addressesIn, assignProblem, setAddresses, subnets, usedIps } from './addresses.ts';
import { now } from './devices.ts';
import { canonicalIp, formatCidr, interfaceAddressProblem, networkOf, nextFree, parseCidr, splitIp, type Cidr } from './ip.ts';
import type { DefguardState, StoredDevice, StoredNetwork } from './model.ts';
import { allowedIn, syncAllowedDevices } from './sync.ts';
import { badRequest, networkInfo, networkView, notFound } from './views.ts';

type NetworkData = components['schemas']['WireguardNetworkData'];

/** `Device::validate_pubkey`: a WireGuard key is 32 bytes in base64. */
const WG_KEY = /^[A-Za-z0-9+/]{43}=$/;

/** A new location's record before the request's data is applied (`location_mfa_mode` etc. as the server defaults them). */
function newLocation(id: number): StoredNetwork {
  return {
    id,
    name: '',
    address: [],
    port: 51820,
    pubkey: randomBytes(32).toString('base64'),
    endpoint: '',
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
  };
}

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
  const parsed = text
    .split(',')
    .map((a) => parseCidr(a))
    .filter((c): c is Cidr => c !== undefined);
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

function applyNetworkData(state: DefguardState, n: StoredNetwork, body: NetworkData, addresses: string[]): void {
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
    allowed_groups: body.allowed_groups.filter((g) => [...state.groups.values()].some((x) => x.name === g)),
  });
}

/** The location's data checked and parsed, or the 400 the server answers. */
function readNetworkData(body: NetworkData): { addresses: string[] } | { status: 400; body: { msg: string } } {
  const problem = networkDataProblem(body);
  if (problem) return badRequest(problem);
  const parsed = parseAddresses(body.address);
  if ('error' in parsed) return badRequest(parsed.error);
  if (parsed.addresses.length === 0) return badRequest('Must provide at least one valid network address');
  return parsed;
}

/**
 * Locations (WireGuard networks) and the addresses free in them. Creating or changing a location
 * brings device addresses in step with who may use it; deleting one removes its network devices
 * and every device's addresses there.
 */
export function locationHandlers(state: DefguardState): Handlers<operations> {
  const networkNotFound = (id: number) => notFound(`Network ${id} not found`);
  const sortedNetworks = () => [...state.networks.values()].sort((a, b) => a.id - b.id);
  /** A new location from its settings; existing devices of allowed users get addresses in it. */
  const addLocation = (body: NetworkData) => {
    const data = readNetworkData(body);
    if ('status' in data) return data;
    const n = newLocation(state.nextNetworkId++);
    applyNetworkData(state, n, body, data.addresses);
    state.networks.set(n.id, n);
    syncAllowedDevices(state);
    return n;
  };
  return {
    // Sorted by name in the server's code (byte order), not by the database.
    listNetworks: () => ({ status: 200, body: [...state.networks.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((n) => networkInfo(state, n)) }),
    countNetworks: () => ({ status: 200, body: { count: state.networks.size } }),
    getLocationsDisplay: () => ({ status: 200, body: sortedNetworks().map((n) => ({ id: n.id, display: n.name })) }),
    networkDetails: ({ params }) => {
      const n = state.networks.get(Number(params.network_id));
      // The server answers an unknown id with a bare `null`.
      return n ? { status: 200, body: networkInfo(state, n) } : { status: 404, body: null };
    },
    createNetwork: ({ body }) => {
      const n = addLocation(body);
      return 'status' in n ? n : { status: 201, body: networkView(n) };
    },
    // A location made from a WireGuard configuration file: the interface's address and port come from
    // its `[Interface]` section. The mock maps no `[Peer]` to a device (the answer lists none).
    importNetwork: ({ body }) => {
      const field = (name: string) => new RegExp(`^\\s*${name}\\s*=\\s*(.+?)\\s*$`, 'im').exec(body.config)?.[1];
      const address = field('Address');
      if (!address) return badRequest('the configuration has no [Interface] Address');
      const data: NetworkData = {
        name: body.name,
        address,
        endpoint: body.endpoint,
        port: Number(field('ListenPort') ?? 51820),
        allowed_ips: '',
        dns: field('DNS') ?? null,
        mtu: 1420,
        fwmark: 0,
        allow_all_groups: body.allow_all_groups,
        allowed_groups: body.allowed_groups,
        keepalive_interval: 25,
        peer_disconnect_threshold: 300,
        acl_enabled: false,
        acl_default_allow: false,
        location_mfa_mode: 'disabled',
        service_location_mode: 'disabled',
      } as NetworkData;
      const n = addLocation(data);
      return 'status' in n ? n : { status: 201, body: { network: networkView(n), devices: [] } };
    },
    modifyNetwork: ({ params, body }) => {
      const problem = networkDataProblem(body);
      if (problem) return badRequest(problem);
      const n = state.networks.get(Number(params.network_id));
      if (!n) return networkNotFound(Number(params.network_id));
      const data = readNetworkData(body);
      if ('status' in data) return data;
      applyNetworkData(state, n, body, data.addresses);
      syncAllowedDevices(state);
      return { status: 200, body: networkView(n) };
    },
    deleteNetwork: ({ params }) => {
      const n = state.networks.get(Number(params.network_id));
      if (!n) return networkNotFound(Number(params.network_id));
      state.networks.delete(n.id);
      // Its gateways and SNAT bindings reference it (ON DELETE CASCADE).
      for (const g of [...state.gateways.values()]) if (g.location_id === n.id) state.gateways.delete(g.id);
      for (const b of [...state.snatBindings.values()]) if (b.location_id === n.id) state.snatBindings.delete(b.id);
      for (const d of [...state.devices.values()]) {
        if (d.device_type === 'network' && addressesIn(d, n.id)) state.devices.delete(d.id);
        else d.addresses = d.addresses.filter((a) => a.network_id !== n.id);
      }
      syncAllowedDevices(state);
      return { status: 200, body: null };
    },
    // `add_user_devices`, the import wizard's second step: the peers found in the imported file become
    // devices of the users they are mapped to, with the file's addresses here if the user may use
    // the location, and new addresses in the other locations their groups allow. One transaction: a
    // bad key refuses all. An empty list changes nothing (204).
    addUserDevices: ({ params, body }) => {
      if (body.devices.length === 0) return { status: 204, body: undefined };
      const n = state.networks.get(Number(params.network_id));
      if (!n) return networkNotFound(Number(params.network_id));
      const owners = new Map([...state.users.values()].map((u) => [u.id, u]));
      for (const m of body.devices) {
        if (!WG_KEY.test(m.wireguard_pubkey)) return badRequest(`Invalid device pubkey: ${m.wireguard_pubkey}`);
        // The server fails on the device's foreign key (a 500); the mock names the user instead.
        if (!owners.has(m.user_id)) return badRequest(`User ${m.user_id} not found`);
        const ips = m.wireguard_ips.map((ip) => canonicalIp(ip));
        if (ips.some((ip) => !ip)) return { status: 422, body: 'Failed to deserialize the JSON body into the target type: devices: invalid IP address syntax' };
      }
      const created = now();
      for (const m of body.devices) {
        const owner = owners.get(m.user_id)!;
        const d: StoredDevice = { id: state.nextDeviceId++, name: m.name, wireguard_pubkey: m.wireguard_pubkey, user_id: owner.id, created, device_type: 'user', description: null, configured: true, addresses: [] };
        if (allowedIn(state, n, d)) setAddresses(d, n.id, m.wireguard_ips.map((ip) => canonicalIp(ip)!));
        state.devices.set(d.id, d);
      }
      // Addresses in the other locations the users may use, as for any new device.
      syncAllowedDevices(state);
      return { status: 201, body: {} };
    },
    // An unknown location is a bad request on these two routes, as in the server's handlers.
    findAvailableIps: ({ params }) => {
      const n = state.networks.get(Number(params.network_id));
      if (!n) return badRequest('Failed to find available IP, network not found');
      const used = usedIps(state, n.id);
      const free = subnets(n).flatMap((s) => {
        const ip = nextFree(s, used);
        return ip ? [splitIp(ip, s)] : [];
      });
      if (free.length < subnets(n).length) return { status: 400, body: { msg: `Network ${n.name} is full, no IP addresses available`, code: 'network_full' as const } };
      return { status: 200, body: free };
    },
    checkIpAvailability: ({ params, body }) => {
      const n = state.networks.get(Number(params.network_id));
      if (!n) return badRequest('Failed to check IP availability, location not found');
      const results = body.ips.map((ip) => {
        const problem = assignProblem(state, n, ip, body.device_id ?? undefined);
        return { available: !problem, valid: problem ? problem.valid : true };
      });
      return { status: 200, body: results };
    },
  };
}
