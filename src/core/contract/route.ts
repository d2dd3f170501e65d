import type { Contract, OperationModel } from './model.ts';

/**
 * The one place that maps a request path as a client sends it onto a contract operation, honouring
 * what the contract says about the URLs real clients use:
 *   - every server's base path (`servers[].url` path part, e.g. `/api` and `/cas/api` for Cloud Apps)
 *     may precede the contract's paths, or none (the runner and the mocks serve the bare paths);
 *   - `x-trailing-slash: optional` (document or path item): the path with or without a trailing
 *     slash is the same operation.
 * Check-traffic, the credential gate in front of Prism and the stateful mock all use it, so a
 * client gets the same operation — and the same answer — whichever spelling it uses.
 */
export interface RouteMatch {
  operation: OperationModel;
  /** Path parameters, decoded. */
  params: Record<string, string>;
  /** The server base path the request carried ('' when none). */
  basePath: string;
  /** The path as the contract writes it, parameters filled in (what mocks route on). */
  canonicalPath: string;
  /** True when the request's slash differed and the contract's `x-trailing-slash: optional` allowed it. */
  slashTolerated: boolean;
}

export interface RouteLookup {
  match?: RouteMatch;
  /** Operations at the matched path whose method differs (the path is known, the method is not). */
  otherMethods: string[];
}

interface CompiledRoute {
  operation: OperationModel;
  exact: RegExp;
  tolerant?: RegExp;
  names: string[];
  /** Per segment: 0 literal, 1 parameter — lower sorts first (literal segments win). */
  rank: number[];
}

const compiled = new WeakMap<Contract, CompiledRoute[]>();

function compile(contract: Contract): CompiledRoute[] {
  let routes = compiled.get(contract);
  if (routes) return routes;
  routes = contract.operations.map((operation) => {
    const names: string[] = [];
    const body = operation.path
      .split(/(\{[^}]+\})/)
      .map((part) => {
        const m = /^\{([^}]+)\}$/.exec(part);
        if (m) {
          names.push(m[1]!);
          return '([^/]+)';
        }
        return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('');
    const trimmed = body.endsWith('/') && body.length > 1 ? body.slice(0, -1) : body;
    return {
      operation,
      exact: new RegExp(`^${body}$`),
      tolerant: operation.trailingSlash === 'optional' ? new RegExp(`^${trimmed}/?$`) : undefined,
      names,
      rank: operation.path.split('/').map((s) => (s.startsWith('{') ? 1 : 0)),
    };
  });
  // Literal segments before parameters, so `/v1/alerts/close_benign/` is not read as `/v1/alerts/{pk}/`.
  routes.sort((a, b) => {
    for (let i = 0; i < Math.min(a.rank.length, b.rank.length); i++) if (a.rank[i] !== b.rank[i]) return a.rank[i]! - b.rank[i]!;
    return b.rank.length - a.rank.length;
  });
  compiled.set(contract, routes);
  return routes;
}

/** The request path with each known server base path removed (longest first), the path as sent first. */
export function pathCandidates(contract: Contract, rawPath: string): { path: string; basePath: string }[] {
  const path = rawPath.split(/[?#]/)[0] || '/';
  const out = [{ path, basePath: '' }];
  const bases = [...new Set((contract.servers ?? []).map((s) => s.basePath).filter((b) => b !== ''))].sort((a, b) => b.length - a.length);
  for (const base of bases) if (path.startsWith(`${base}/`)) out.push({ path: path.slice(base.length), basePath: base });
  return out;
}

/** Finds the operation a request (method + path as sent, query allowed) belongs to. */
export function lookupRoute(contract: Contract, method: string, rawPath: string): RouteLookup {
  const routes = compile(contract);
  const wanted = method.toLowerCase();
  const otherMethods = new Set<string>();
  // Exact spellings first, then the trailing-slash tolerance the contract declares.
  for (const tolerant of [false, true]) {
    for (const { path, basePath } of pathCandidates(contract, rawPath)) {
      for (const route of routes) {
        const re = tolerant ? route.tolerant : route.exact;
        const m = re?.exec(path);
        if (!m) continue;
        if (route.operation.method !== wanted) {
          otherMethods.add(route.operation.method.toUpperCase());
          continue;
        }
        const params: Record<string, string> = {};
        route.names.forEach((name, i) => {
          const raw = m[i + 1]!;
          try {
            params[name] = decodeURIComponent(raw);
          } catch {
            params[name] = raw;
          }
        });
        const canonicalPath = route.operation.path.replace(/\{([^}]+)\}/g, (_, n: string) => encodeURIComponent(params[n] ?? ''));
        return { match: { operation: route.operation, params, basePath, canonicalPath, slashTolerated: tolerant && !route.exact.test(path) }, otherMethods: [] };
      }
    }
  }
  return { otherMethods: [...otherMethods] };
}

export function matchRoute(contract: Contract, method: string, rawPath: string): RouteMatch | undefined {
  return lookupRoute(contract, method, rawPath).match;
}

/**
 * The URL a mock should route: the contract's own path (server base path removed, slash as the
 * contract writes it) with the query kept. Unchanged when no operation matches (control API, 404s).
 */
export function canonicalUrl(contract: Contract, method: string, url: string): string {
  const match = matchRoute(contract, method, url);
  if (!match) return url;
  const q = url.indexOf('?');
  return match.canonicalPath + (q >= 0 ? url.slice(q) : '');
}
