import { parseCidr, parseIp } from './ip.ts';

/**
 * The destination text of ACL rules, aliases and destinations, read as Defguard's
 * `parse_destination_addresses` and port parser do (enterprise/db/models/acl.rs): comma-separated
 * addresses, CIDRs and `start-end` ranges; comma-separated ports and `start-end` port ranges.
 * The server keeps the parsed ranges and writes them back joined with ", ". What it cannot read it
 * answers with 422 (`AclError::AddrParseError`, `InvalidPortsFormat`, `InvalidIpRangeError`).
 */

const items = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

function addressProblem(item: string): string | undefined {
  const dash = item.indexOf('-');
  if (dash < 0) return parseCidr(item) ? undefined : 'Unprocessable entity';
  const start = parseIp(item.slice(0, dash));
  const end = parseIp(item.slice(dash + 1));
  if (!start || !end || start.v6 !== end.v6 || start.ip > end.ip) return `Invalid IP range: ${item}`;
  return undefined;
}

function portProblem(item: string): string | undefined {
  const m = /^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$/.exec(item);
  if (!m) return 'Unprocessable entity';
  const start = Number(m[1]);
  const end = Number(m[2] ?? m[1]);
  return start <= 65535 && end <= 65535 && start <= end ? undefined : 'Unprocessable entity';
}

/** The first thing wrong with a destination's addresses or ports, or undefined when both read. */
export function destinationProblem(d: { addresses: string; ports: string }): string | undefined {
  for (const a of items(d.addresses)) {
    const p = addressProblem(a);
    if (p) return p;
  }
  for (const p of items(d.ports)) {
    const problem = portProblem(p);
    if (problem) return problem;
  }
  return undefined;
}

/** The text as the server gives it back: the items it read, joined with ", ". */
export const normalized = (text: string) => items(text).join(', ');

/** Defguard's `modified_at` is a UTC time without an offset. */
export const naiveNow = () => new Date().toISOString().replace('Z', '');

/** Defguard's answer to text it cannot read, or to a relation to a record that does not exist. */
export const unprocessable = (msg: string) => ({ status: 422 as const, body: { msg } });
