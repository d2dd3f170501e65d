import { addressesIn, assignIps, fits, setAddresses, usedIps } from './addresses.ts';
import type { DefguardState, Directory, StoredDevice, StoredNetwork } from './model.ts';

/**
 * Who may use which location, and device addresses kept in step with it, as the server does after
 * any change to a location, a user or a group.
 */

const userById = (dir: Directory, id: number) => [...dir.users.values()].find((u) => u.id === id);
const groupsOf = (dir: Directory, username: string) => [...dir.groups.values()].filter((g) => g.members.includes(username)).map((g) => g.name);

/** Defguard's `get_allowed_devices`: user devices of active users in an allowed group (or any group). */
export function allowedIn(dir: Directory, n: StoredNetwork, d: StoredDevice): boolean {
  if (d.device_type !== 'user') return false;
  const owner = userById(dir, d.user_id);
  if (!owner?.is_active) return false;
  return n.allow_all_groups || groupsOf(dir, owner.username).some((g) => n.allowed_groups.includes(g));
}

/**
 * One location's `sync_location_allowed_devices`: devices no longer allowed lose their addresses,
 * addresses that no longer fit the location's subnets are replaced, and allowed devices without
 * addresses get them (a device that finds a subnet full is left out).
 */
function syncLocation(state: DefguardState, n: StoredNetwork): void {
  const used = usedIps(state, n.id);
  const devices = [...state.devices.values()].sort((a, b) => a.id - b.id);
  for (const d of devices) {
    const current = addressesIn(d, n.id);
    const allowed = d.device_type === 'network' ? current !== undefined : allowedIn(state, n, d);
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
 * Brings every location in step with the directory: allowed groups that no longer exist are
 * dropped, device addresses follow the access rules, and each group lists the locations it is
 * allowed in.
 */
export function syncAllowedDevices(state: DefguardState): void {
  const groupNames = new Set([...state.groups.values()].map((g) => g.name));
  const networks = [...state.networks.values()].sort((a, b) => a.id - b.id);
  for (const n of networks) {
    n.allowed_groups = n.allowed_groups.filter((g) => groupNames.has(g));
    syncLocation(state, n);
  }
  const byName = [...networks].sort((a, b) => a.name.localeCompare(b.name));
  for (const g of state.groups.values()) g.vpn_locations = byName.filter((n) => n.allowed_groups.includes(g.name)).map((n) => n.name);
}

/** Addresses for a new user device in every location its owner may use; the name of a full location, if any. */
export function placeUserDevice(state: DefguardState, d: StoredDevice): string | undefined {
  for (const n of [...state.networks.values()].sort((a, b) => a.id - b.id)) {
    if (!allowedIn(state, n, d)) continue;
    const ips = assignIps(n, usedIps(state, n.id));
    if (!ips) return n.name;
    setAddresses(d, n.id, ips);
  }
  return undefined;
}
