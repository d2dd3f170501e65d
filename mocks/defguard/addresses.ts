import { broadcastOf, contains, formatIp, networkOf, nextFree, parseCidr, parseIp, splitIp, type Cidr } from './ip.ts';
import type { DeviceAddresses, StoredDevice, Vpn, WireguardNetwork } from './model.ts';

/**
 * Device addresses within a location, as Defguard hands them out: the location's subnets, which
 * addresses are taken, the next free one, and why a chosen address cannot be used.
 */

export const subnets = (n: WireguardNetwork): Cidr[] => n.address.map((a) => parseCidr(a)).filter((c): c is Cidr => c !== undefined);
export const addressesIn = (d: StoredDevice, networkId: number): DeviceAddresses | undefined => d.addresses.find((a) => a.network_id === networkId);

export function usedIps(vpn: Vpn, networkId: number): Set<string> {
  const used = new Set<string>();
  for (const d of vpn.devices.values()) for (const ip of addressesIn(d, networkId)?.wireguard_ips ?? []) used.add(ip);
  return used;
}

/**
 * The next free address in each subnet of the location, keeping any current address that still
 * fits its subnet (`assign_next_network_ip`); undefined when a subnet is full.
 */
export function assignIps(n: WireguardNetwork, used: Set<string>, current: string[] = []): string[] | undefined {
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

export function setAddresses(d: StoredDevice, networkId: number, ips: string[]): void {
  d.addresses = [...d.addresses.filter((a) => a.network_id !== networkId), { network_id: networkId, wireguard_ips: ips }].sort((a, b) => a.network_id - b.network_id);
}

/** The subnet of the location an address belongs to, if any. */
export const subnetOf = (n: WireguardNetwork, ipText: string) => {
  const ip = parseIp(ipText);
  return ip && subnets(n).find((s) => contains(s, ip));
};

/** Whether the addresses are one per subnet of the location, each inside its subnet. */
export const fits = (n: WireguardNetwork, ips: string[]) => ips.length === subnets(n).length && ips.every((ip) => subnetOf(n, ip));

/** Each address with its subnet's network and host parts, as the address routes show them. */
export const splitIps = (n: WireguardNetwork, ips: string[]) =>
  ips.flatMap((ip) => {
    const subnet = subnetOf(n, ip);
    return subnet ? [splitIp(ip, subnet)] : [];
  });

/**
 * Why an address cannot go to a device in the location (`can_assign_ips`), or undefined; `valid`
 * says whether it is at least an address of one of the location's subnets. The messages are the
 * server's.
 */
export function assignProblem(vpn: Vpn, n: WireguardNetwork, ipText: string, deviceId?: number): { valid: boolean; msg: string } | undefined {
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
