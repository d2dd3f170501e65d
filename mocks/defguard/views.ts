import type { components } from '../../generated/defguard.ts';
import type { StoredCredential } from '../kit/credentials.ts';
import { addressesIn, splitIps } from './addresses.ts';
import type { Components, DefguardState, Device, Directory, Gateway, StoredDevice, StoredNetwork, UserInfo, Vpn, WireguardNetwork } from './model.ts';

/** How the stored records look in answers: the contract's shapes, derived fields filled in. */

type Schemas = components['schemas'];

export const networkView = ({ allowed_groups: _groups, ...n }: StoredNetwork): WireguardNetwork => n;
export const deviceView = ({ addresses: _addresses, ...d }: StoredDevice): Device => d;

const hasDevices = (vpn: Vpn, id: number) => [...vpn.devices.values()].some((d) => addressesIn(d, id));

/**
 * A gateway as the gateway lists show it: with its location's name and whether it is connected
 * (connected after it last disconnected, the server's `CASE` on the two timestamps).
 */
export function gatewayInfo(vpn: Vpn, g: Gateway): Schemas['GatewayInfo'] {
  const { core_client_cert_expiry: _expiry, ...rest } = g;
  const connected = g.connected_at !== null && (g.disconnected_at === null || g.connected_at >= g.disconnected_at);
  return { ...rest, connected, location_name: vpn.networks.get(g.location_id)?.name ?? '' };
}

/** The gateways of a location (all of them without one), by id. */
export const gatewaysOf = (state: Vpn & Pick<Components, 'gateways'>, locationId?: number) =>
  [...state.gateways.values()]
    .filter((g) => locationId === undefined || g.location_id === locationId)
    .sort((a, b) => a.id - b.id)
    .map((g) => gatewayInfo(state, g));

export const networkInfo = (state: Vpn & Pick<Components, 'gateways'>, n: StoredNetwork): Schemas['WireguardNetworkInfo'] => ({
  ...networkView(n),
  gateways: gatewaysOf(state, n.id),
  allowed_groups: [...n.allowed_groups],
  has_devices: hasDevices(state, n.id),
});

/** Defguard's `Device::create_config`: the wg-quick file a device imports. */
export function configText(n: WireguardNetwork, ips: string[]): string {
  const dns = n.dns ? `DNS = ${n.dns}` : '';
  const allowed = n.allowed_ips.length > 0 ? `AllowedIPs = ${n.allowed_ips.join(',')}\n` : '';
  return (
    `[Interface]\nPrivateKey = YOUR_PRIVATE_KEY\nAddress = ${ips.join(',')}\n${dns}\n\n` +
    `[Peer]\nPublicKey = ${n.pubkey}\n${allowed}Endpoint = ${n.endpoint}:${n.port}\nPersistentKeepalive = ${n.keepalive_interval}`
  );
}

export const deviceConfig = (n: WireguardNetwork, ips: string[]): Schemas['DeviceConfig'] => ({
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

/** One entry of the configuration downloads (`DeviceWireGuardConfig`): a location and the device's file for it. */
export const wireGuardConfig = (n: WireguardNetwork, ips: string[]): Schemas['DeviceWireGuardConfig'] => ({
  network_id: n.id,
  network_name: n.name,
  config: configText(n, ips),
  location_mfa_mode: n.location_mfa_mode,
});

const userById = (dir: Directory, id: number) => [...dir.users.values()].find((u) => u.id === id);

/** A network device's details; its location is the first (lowest id) it has addresses in. */
export function networkDeviceInfo(state: DefguardState, d: StoredDevice): Schemas['NetworkDeviceInfo'] | undefined {
  const a = d.addresses[0];
  const n = a && state.networks.get(a.network_id);
  if (!a || !n) return undefined;
  return {
    id: d.id,
    name: d.name,
    assigned_ips: a.wireguard_ips,
    description: d.description,
    added_by: userById(state, d.user_id)?.username ?? '',
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
export function userDevices(vpn: Vpn, userId: number): Schemas['UserDevice'][] {
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

/** A user record shows the user's devices as they are now, not as they were when it was stored. */
export const userView = (vpn: Vpn, u: UserInfo): UserInfo => ({ ...u, devices: userDevices(vpn, u.id) });

/** One page of a list, with Defguard's pagination block (`per_page` 1–100, default 50). */
export function page<T>(all: T[], query: { page?: number; per_page?: number }): { data: T[]; pagination: Schemas['PaginationMeta'] } {
  const perPage = Math.min(Math.max(Number(query.per_page ?? 50), 1), 100);
  const current = Math.max(Number(query.page ?? 1), 1);
  const totalPages = Math.max(1, Math.ceil(all.length / perPage));
  return {
    data: all.slice((current - 1) * perPage, current * perPage),
    pagination: { current_page: current, page_size: perPage, total_items: all.length, total_pages: totalPages, next_page: current < totalPages ? current + 1 : null },
  };
}

/** The user a request acts as, and whether they are an admin. */
export function caller(dir: Directory, credential?: StoredCredential): { user?: UserInfo; isAdmin: boolean } {
  const user = credential ? dir.users.get(credential.owner) : undefined;
  return { user, isAdmin: user?.is_admin ?? false };
}

export const notFound = (msg: string) => ({ status: 404 as const, body: { msg } });
export const badRequest = (msg: string) => ({ status: 400 as const, body: { msg } });
