import { BlockList, isIPv4, isIPv6 } from 'node:net';
import type { components, operations } from '../../generated/defender-cloud-apps.ts';
import type { Handlers } from '../kit/types.ts';
import { applyFilters, type FieldTable, pageOf, sortRecords } from './filters.ts';
import { NOT_FOUND, newObjectId, type CloudAppsState, type IpRange } from './state.ts';

type Tag = components['schemas']['Tag'];
type Subnet = components['schemas']['Subnet'];
type IpRangeWrite = components['schemas']['IpRangeWrite'];

const bad = (detail: string) => ({ status: 400 as const, body: { detail } });

/** `a.b.c.d/n` or `x:y::z/n` (no prefix: a single address) as address, prefix length and family; undefined when it is not a block. */
function parseBlock(text: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const [address = '', prefixText, ...rest] = text.trim().split('/');
  if (rest.length > 0) return undefined;
  const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined;
  if (!family) return undefined;
  const max = family === 'ipv4' ? 32 : 128;
  const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  return Number.isInteger(prefix) && prefix >= 0 && prefix <= max ? { address, prefix, family } : undefined;
}

/** The 16 bytes of an IPv6 address (`::` expanded, a trailing dotted quad read as 4 bytes). */
function ipv6Bytes(address: string): number[] {
  let text = address;
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad) {
    const b = quad[1]!.split('.').map(Number);
    text = `${text.slice(0, quad.index)}${((b[0]! << 8) | b[1]!).toString(16)}:${((b[2]! << 8) | b[3]!).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const all = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t].map((g) => parseInt(g, 16));
  return all.flatMap((g) => [g >> 8, g & 0xff]);
}

/**
 * A block as the service stores it: in IPv6 form, IPv4 as IPv4-mapped IPv6 (`::ffff:a.b.c.d`, prefix
 * + 96), host bits cleared, written as eight 4-digit groups. That is what the docs' list sample shows
 * (`197.198.192.20/16` stored as `…:ffff:c5c6:0000` with mask 112).
 */
function storedSubnet(originalString: string): Subnet | undefined {
  const block = parseBlock(originalString);
  if (!block) return undefined;
  const bytes = block.family === 'ipv4' ? [...Array(10).fill(0), 0xff, 0xff, ...block.address.split('.').map(Number)] : ipv6Bytes(block.address);
  const mask = block.family === 'ipv4' ? block.prefix + 96 : block.prefix;
  const masked = bytes.map((b, i) => {
    const keep = Math.max(0, Math.min(8, mask - i * 8));
    return b & ((0xff << (8 - keep)) & 0xff);
  });
  const groups = Array.from({ length: 8 }, (_, i) => ((masked[2 * i]! << 8) | masked[2 * i + 1]!).toString(16).padStart(4, '0'));
  return { mask, address: groups.join(':'), originalString };
}

/**
 * The range's blocks as a BlockList, read from the blocks as the caller wrote them. Kept per range
 * record: a write replaces the record, so a kept list never outlives the blocks it was made from.
 */
const blockLists = new WeakMap<IpRange, BlockList>();

function blocksOf(range: IpRange): BlockList {
  let list = blockLists.get(range);
  if (!list) {
    list = new BlockList();
    for (const s of range.subnets ?? []) {
      const block = s.originalString ? parseBlock(s.originalString) : undefined;
      if (block) list.addSubnet(block.address, block.prefix, block.family);
    }
    blockLists.set(range, list);
  }
  return list;
}

/** Does one of the range's blocks hold the address? */
function rangeHolds(range: IpRange, ip: string): boolean {
  const family = isIPv4(ip) ? 'ipv4' : isIPv6(ip) ? 'ipv6' : undefined;
  return family !== undefined && blocksOf(range).check(ip, family);
}

/** The IP ranges an address falls in: what tags an activity's address and gives it a category. */
export function rangesHolding(state: CloudAppsState, ip: unknown): IpRange[] {
  return typeof ip === 'string' ? state.ipRanges.filter((r) => rangeHolds(r, ip)) : [];
}

const tagIds = (r: IpRange) => (r.tags ?? []).map((t) => t.id ?? t._id);

/**
 * A written tag as the range keeps it. The docs describe tag objects but their examples send names
 * or ids as strings: a string naming a tag some range already carries (by id or name) is that tag;
 * any other string becomes a new user tag of that name (`type: 0` user tag, `target: 1` IP ranges:
 * values this mock reads off the docs' sample, where the built-in tag has type 2).
 */
function tagOf(state: CloudAppsState, written: string | Tag): Tag {
  if (typeof written !== 'string') return written;
  const known = state.ipRanges.flatMap((r) => r.tags ?? []).find((t) => t.id === written || t._id === written || t.name === written);
  if (known) return known;
  const id = newObjectId();
  return { _id: id, id, name: written, target: 1, type: 0, visibility: 0, status: 0 };
}

/**
 * Filters: `category` (the range's category), `tags` (tag ids) and `builtIn`. Built-in ranges are
 * the ones Microsoft ships (the seed marks them `builtIn: true`, this mock's field; the docs' sample
 * record shows none); ranges made through the API are custom.
 */
const IP_RANGE_FIELDS: FieldTable<IpRange> = {
  category: (r) => r.category,
  tags: tagIds,
  builtIn: (r) => (r as { builtIn?: boolean }).builtIn === true,
};

/** Sort keys: category number, tag names (first one), name. */
function sortKey(field: 'category' | 'tags' | 'name' | undefined): ((r: IpRange) => unknown) | undefined {
  if (field === 'category') return (r) => r.category;
  return undefined;
}

const byText = (key: (r: IpRange) => string, direction: 'asc' | 'desc') => (a: IpRange, b: IpRange) => key(a).localeCompare(key(b)) * (direction === 'asc' ? 1 : -1);

/**
 * Checks a written range: every block valid CIDR (IPv4 or IPv6) and the name not taken by another
 * range. The docs do not say what a taken name gets; 400 is the contract's guess.
 */
function checkWrite(state: CloudAppsState, body: IpRangeWrite, self?: IpRange): { subnets: Subnet[] } | { error: string } {
  if (body.name.trim() === '') return { error: 'The range needs a name.' };
  const subnets: Subnet[] = [];
  for (const s of body.subnets) {
    const stored = storedSubnet(s);
    if (!stored) return { error: `'${s}' is not an address block in CIDR notation.` };
    subnets.push(stored);
  }
  const clash = state.ipRanges.find((r) => r !== self && r.name?.toLowerCase() === body.name.toLowerCase());
  if (clash) return { error: `An IP range named '${body.name}' already exists.` };
  return { subnets };
}

/** The range a write makes: a full replacement, so fields left out are cleared. */
function written(state: CloudAppsState, id: string, body: IpRangeWrite, subnets: Subnet[]): IpRange {
  return {
    _id: id,
    name: body.name,
    subnets,
    location: null,
    organization: body.organization ?? null,
    tags: (body.tags ?? []).map((t) => tagOf(state, t)),
    category: body.category,
    lastModified: Date.now(),
  };
}

/** IP ranges (subnet rules): listed, searched, created, replaced and deleted. */
export function ipRangeHandlers(state: CloudAppsState): Handlers<operations> {
  const list = (body: components['schemas']['IpRangeListRequest'] | undefined) => {
    const found = applyFilters(state.ipRanges, body?.filters, IP_RANGE_FIELDS);
    // The docs give no default direction for IP ranges; ascending reads names and categories in order.
    const direction = body?.sortDirection ?? 'asc';
    const key = sortKey(body?.sortField);
    let sorted = found;
    if (key) sorted = sortRecords(found, key, direction);
    else if (body?.sortField === 'name') sorted = [...found].sort(byText((r) => r.name ?? '', direction));
    else if (body?.sortField === 'tags') sorted = [...found].sort(byText((r) => (r.tags ?? []).map((t) => t.name ?? '').join(','), direction));
    return pageOf(sorted, body);
  };
  return {
    listIpRanges: () => ({ status: 200, body: list(undefined) }),
    queryIpRanges: ({ body }) => ({ status: 200, body: list(body) }),
    createIpRange: ({ body }) => {
      const checked = checkWrite(state, body);
      if ('error' in checked) return bad(checked.error);
      const range = written(state, newObjectId(), body, checked.subnets);
      state.ipRanges.push(range);
      return { status: 200, body: range._id };
    },
    // The docs give the update no answer; the mock answers the range as it now is.
    updateIpRange: ({ params, body }) => {
      const at = state.ipRanges.findIndex((r) => r._id === params.ip_range_id);
      if (at < 0) return { status: 404, body: NOT_FOUND };
      const checked = checkWrite(state, body, state.ipRanges[at]);
      if ('error' in checked) return bad(checked.error);
      const range = { ...written(state, params.ip_range_id, body, checked.subnets), ...((state.ipRanges[at] as { builtIn?: boolean }).builtIn ? { builtIn: true } : {}) };
      state.ipRanges[at] = range;
      return { status: 200, body: range };
    },
    // 200 with an empty object, not 204: the MCAS module (Remove-MCASSubnet) counts only 200 as success.
    deleteIpRange: ({ params }) => {
      const at = state.ipRanges.findIndex((r) => r._id === params.ip_range_id);
      if (at < 0) return { status: 404, body: NOT_FOUND };
      state.ipRanges.splice(at, 1);
      return { status: 200, body: {} };
    },
  };
}
