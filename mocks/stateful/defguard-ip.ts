import { isIPv4, isIPv6 } from 'node:net';

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

/** An address as a number, or undefined when the text is not an IPv4 or IPv6 address. */
export function parseIp(text: string): { v6: boolean; ip: bigint } | undefined {
  const t = text.trim();
  if (isIPv4(t)) return { v6: false, ip: t.split('.').reduce((n, o) => (n << 8n) | BigInt(o), 0n) };
  if (isIPv6(t)) return { v6: true, ip: parseIpv6(t) };
  return undefined;
}

function parseIpv6(text: string): bigint {
  // A trailing dotted quad (`::ffff:1.2.3.4`) stands for the last two groups.
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  let t = text;
  if (quad) {
    const v4 = parseIp(quad[1]!)!.ip;
    t = `${text.slice(0, quad.index)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, tail] = t.split('::') as [string, string | undefined];
  const groups = (s: string | undefined) => (s ? s.split(':') : []);
  const left = groups(head);
  const right = groups(tail);
  const all = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return all.reduce((n, g) => (n << 16n) | BigInt(parseInt(g, 16)), 0n);
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
  if (!v6) return [24n, 16n, 8n, 0n].map((s) => String((ip >> s) & 0xffn)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => Number((ip >> BigInt(112 - 16 * i)) & 0xffffn));
  // The longest run of two or more zero groups (the first of equals) becomes `::`.
  let best = { at: -1, len: 1 };
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.len) best = { at: i, len: j - i };
  }
  const hex = (gs: number[]) => gs.map((g) => g.toString(16)).join(':');
  if (best.at < 0) return hex(groups);
  return `${hex(groups.slice(0, best.at))}::${hex(groups.slice(best.at + best.len))}`;
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
