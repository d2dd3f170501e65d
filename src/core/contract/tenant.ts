import type { Contract } from './model.ts';

/**
 * The tenant a request addresses, read from its Host header the way a multi-tenant service reads
 * it: a server URL whose host names a `{tenant}` variable (Cloud Apps:
 * `https://{tenant}.{region}.portal.cloudappsecurity.com/api`) puts the tenant in the host name.
 * Returns undefined when no server has a tenant variable or the host does not fit any of them
 * (a mock reached as 127.0.0.1:port serves its default tenant then).
 */
export function tenantFromHost(contract: Contract, host: string | undefined): string | undefined {
  const list = hostPatterns(contract);
  if (!host || list.length === 0) return undefined;
  const name = host.replace(/:\d+$/, '').toLowerCase();
  for (const pattern of list) {
    const tenant = pattern.exec(name)?.groups?.tenant;
    if (tenant) return tenant;
  }
  return undefined;
}

const patterns = new WeakMap<Contract, RegExp[]>();

function hostPatterns(contract: Contract): RegExp[] {
  let list = patterns.get(contract);
  if (list) return list;
  list = [];
  for (const server of contract.servers) {
    const host = /^[a-z]+:\/\/([^/]+)/i.exec(server.url)?.[1];
    if (!host?.includes('{tenant}')) continue;
    const source = host
      .split(/(\{[^}]+\})/)
      .map((part) => (part === '{tenant}' ? '(?<tenant>[a-z0-9-]+)' : /^\{[^}]+\}$/.test(part) ? '[a-z0-9-]+' : part.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('');
    list.push(new RegExp(`^${source.replace(/:\d+$/, '')}$`));
  }
  patterns.set(contract, list);
  return list;
}
