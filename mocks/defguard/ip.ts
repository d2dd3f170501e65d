import { isIPv4, isIPv6 } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Address arithmetic for the Defguard mock's locations, after the Rust `ipnetwork` crate the real
 * server uses: an interface address with a prefix (`10.1.0.1/24`) names both the subnet and the
 * gateway's own address, and devices get the free host addresses around it.
 */
export interface Cidr {
  v6: boolean;
  /** The address as written (the gateway's address in a location's subnet). */
  ip: bigint;
  prefix: number;
}

const bits = (v6: boolean) => (v6 ? 128 : 32);

/**
 * An address as a number, or undefined when the text is not an IPv4 or IPv6 address. `node:net`
 * decides what is an address (strictly: no `10.1` shorthand, as the Rust parser); ipaddr.js gives
 * its bytes.
 */
export function parseIp(text: string): { v6: boolean; ip: bigint } | undefined {
  const t = text.trim();
  if (!isIPv4(t) && !isIPv6(t)) return undefined;
  const addr = ipaddr.parse(t);
  return { v6: addr.kind() === 'ipv6', ip: addr.toByteArray().reduce((n, b) => (n << 8n) | BigInt(b), 0n) };
}

/** `10.1.0.1/24`, or a bare address (a host prefix), as ipnetwork reads it; undefined if malformed. */
export function parseCidr(text: string): Cidr | undefined {
  const [addr, len, extra] = text.trim().split('/');
  if (addr === undefined || extra !== undefined) return undefined;
  const ip = parseIp(addr);
  if (!ip) return undefined;
  if (len === undefined) return { ...ip, prefix: bits(ip.v6) };
  if (!/^\d{1,3}$/.test(len) || Number(len) > bits(ip.v6)) return undefined;
  return { ...ip, prefix: Number(len) };
}

const mask = (c: Cidr) => ((1n << BigInt(bits(c.v6))) - 1n) ^ ((1n << BigInt(bits(c.v6) - c.prefix)) - 1n);
export const networkOf = (c: Cidr) => c.ip & mask(c);
export const broadcastOf = (c: Cidr) => networkOf(c) | ((1n << BigInt(bits(c.v6) - c.prefix)) - 1n);
export const contains = (c: Cidr, ip: { v6: boolean; ip: bigint }) => c.v6 === ip.v6 && (ip.ip & mask(c)) === networkOf(c);

/** The address in the canonical text form (RFC 5952 for IPv6, as Rust prints it). */
export function formatIp(v6: boolean, ip: bigint): string {
  const size = v6 ? 16 : 4;
  const addr = ipaddr.fromByteArray(Array.from({ length: size }, (_, i) => Number((ip >> BigInt(8 * (size - 1 - i))) & 0xffn)));
  return addr.kind() === 'ipv6' ? (addr as ipaddr.IPv6).toRFC5952String() : addr.toString();
}

export const formatCidr = (c: Cidr) => `${formatIp(c.v6, c.ip)}/${c.prefix}`;

/**
 * Why an address cannot be a location's interface address (ipnetwork's `set_address` checks), or
 * undefined when it can.
 */
export function interfaceAddressProblem(c: Cidr): string | undefined {
  if (c.prefix === 0) return 'prefix is zero';
  if (c.ip === networkOf(c)) return 'address is network';
  if (c.ip === broadcastOf(c)) return 'address is broadcast';
  return undefined;
}

/**
 * The first host address of the subnet that is neither the network, broadcast nor gateway address
 * nor taken; undefined when the subnet is full. Scans at most `limit` addresses, which no mock
 * location comes near.
 */
export function nextFree(c: Cidr, taken: ReadonlySet<string>, limit = 65_536): string | undefined {
  const first = networkOf(c);
  const last = broadcastOf(c);
  for (let ip = first, n = 0; ip <= last && n < limit; ip++, n++) {
    if (ip === first || ip === last || ip === c.ip) continue;
    const text = formatIp(c.v6, ip);
    if (!taken.has(text)) return text;
  }
  return undefined;
}

/** Defguard's `split_ip`: the fixed network part, the part a user may edit, and the prefix. */
export function splitIp(ipText: string, c: Cidr): { network_part: string; modifiable_part: string; network_prefix: string; ip: string } {
  const ip = parseIp(ipText)!;
  const width = c.v6 ? 16 : 8;
  const count = c.v6 ? 8 : 4;
  const segments = (n: bigint) => Array.from({ length: count }, (_, i) => Number((n >> BigInt(width * (count - 1 - i))) & ((1n << BigInt(width)) - 1n)));
  const [ipSeg, netSeg, lastSeg] = [segments(ip.ip), segments(networkOf(c)), segments(broadcastOf(c))];
  const fmt = (x: number) => (c.v6 ? x.toString(16).padStart(4, '0') : String(x));
  const delimiter = c.v6 ? ':' : '.';
  let networkPart = '';
  let modifiable = '';
  for (let i = 0; i < count; i++) {
    if (lastSeg[i] !== netSeg[i]) {
      modifiable = ipSeg.slice(i).map(fmt).join(delimiter);
      break;
    }
    networkPart += fmt(ipSeg[i]!) + delimiter;
  }
  return { ip: formatIp(ip.v6, ip.ip), network_part: networkPart, modifiable_part: modifiable, network_prefix: String(c.prefix) };
}

/** The address in canonical form (`fd00:20:0::5` → `fd00:20::5`), or undefined if it is not one. */
export function canonicalIp(text: string): string | undefined {
  const ip = parseIp(text);
  return ip && formatIp(ip.v6, ip.ip);
}
