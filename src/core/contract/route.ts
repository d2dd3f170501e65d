import FindMyWay from 'find-my-way';
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

/**
 * The table behind every lookup, built once per contract: find-my-way radix trees (the router
 * fastify uses) for the contract's own spellings and, separately, for the trailing-slash spellings
 * the contract tolerates, so an exact spelling always wins. Literal segments win over parameters
 * there too, so `/v1/alerts/close_benign/` is never read as `/v1/alerts/{pk}/`. A template the
 * radix tree cannot take (a parameter inside a segment, say) is matched by a regular expression.
 */
interface RouteTable {
  exact: Router;
  tolerant: Router;
  /** Templates the radix tree could not take, in the order literal-before-parameter. */
  patterns: Array<{ operation: OperationModel; exact: RegExp; tolerant?: RegExp; names: string[] }>;
  /** The methods in use, to tell "the path exists with another method" on a miss. */
  methods: string[];
}

type Router = FindMyWay.Instance<FindMyWay.HTTPVersion.V1>;
type Store = { operation: OperationModel };

const tables = new WeakMap<Contract, RouteTable>();

function table(contract: Contract): RouteTable {
  let t = tables.get(contract);
  if (t) return t;
  const options = { caseSensitive: true, ignoreTrailingSlash: false, ignoreDuplicateSlashes: false, maxParamLength: 2048 };
  t = { exact: FindMyWay(options), tolerant: FindMyWay(options), patterns: [], methods: [] };
  for (const operation of contract.operations) {
    const method = operation.method.toUpperCase() as FindMyWay.HTTPMethod;
    if (!t.methods.includes(method)) t.methods.push(method);
    const store: Store = { operation };
    try {
      t.exact.on(method, toRadix(operation.path), noop, store);
      if (operation.trailingSlash === 'optional') {
        const other = operation.path.endsWith('/') && operation.path.length > 1 ? operation.path.slice(0, -1) : `${operation.path}/`;
        if (!t.tolerant.hasRoute(method, toRadix(other))) t.tolerant.on(method, toRadix(other), noop, store);
      }
    } catch {
      t.patterns.push(compilePattern(operation));
    }
  }
  t.patterns.sort((a, b) => rankOf(a.operation.path).localeCompare(rankOf(b.operation.path)));
  tables.set(contract, t);
  return t;
}

const noop = () => undefined;

/** OpenAPI's `{name}` is find-my-way's `:name`; a literal colon is written `::` there. */
function toRadix(template: string): string {
  if (/[*(]/.test(template) || /[^/]\{|\}[^/]/.test(template)) throw new Error('not a radix template');
  return template.replace(/:/g, '::').replace(/\{([^}]+)\}/g, ':$1');
}

function compilePattern(operation: OperationModel) {
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
  return { operation, exact: new RegExp(`^${body}$`), tolerant: operation.trailingSlash === 'optional' ? new RegExp(`^${trimmed}/?$`) : undefined, names };
}

/** Sort key: a literal segment (0) before a parameter (1), segment by segment. */
function rankOf(template: string): string {
  return template.split('/').map((s) => (s.includes('{') ? '1' : '0')).join('');
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
  const t = table(contract);
  const wanted = method.toUpperCase();
  const candidates = pathCandidates(contract, rawPath);
  // Exact spellings first, then the trailing-slash tolerance the contract declares.
  for (const tolerant of [false, true]) {
    for (const { path, basePath } of candidates) {
      const found = find(tolerant ? t.tolerant : t.exact, wanted, path);
      if (found) return { match: toMatch((found.store as Store).operation, found.params as Record<string, string | undefined>, basePath, tolerant), otherMethods: [] };
      for (const p of t.patterns) {
        const m = (tolerant ? p.tolerant : p.exact)?.exec(path);
        if (!m || p.operation.method.toUpperCase() !== wanted) continue;
        const params: Record<string, string> = {};
        p.names.forEach((name, i) => (params[name] = decode(m[i + 1]!)));
        return { match: toMatch(p.operation, params, basePath, tolerant && !p.exact.test(path)), otherMethods: [] };
      }
    }
  }
  return { otherMethods: otherMethods(t, wanted, candidates) };
}

function toMatch(operation: OperationModel, raw: Record<string, string | undefined>, basePath: string, slashTolerated: boolean): RouteMatch {
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined) params[k] = v;
  const canonicalPath = operation.path.replace(/\{([^}]+)\}/g, (_, n: string) => encodeURIComponent(params[n] ?? ''));
  return { operation, params, basePath, canonicalPath, slashTolerated };
}

/** The other methods declared at the path a request named (only asked on a miss). */
function otherMethods(t: RouteTable, wanted: string, candidates: Array<{ path: string }>): string[] {
  const out = new Set<string>();
  for (const tolerant of [false, true]) {
    for (const { path } of candidates) {
      for (const method of t.methods) {
        if (method === wanted) continue;
        if (find(tolerant ? t.tolerant : t.exact, method, path)) out.add(method);
        for (const p of t.patterns) if (p.operation.method.toUpperCase() === method && (tolerant ? p.tolerant : p.exact)?.test(path)) out.add(method);
      }
    }
  }
  return [...out];
}

/** A radix-tree hit, unless a parameter came out empty (`/user/` names no user, as in the path template). */
function find(router: Router, method: string, path: string) {
  const found = router.find(method as FindMyWay.HTTPMethod, path);
  if (!found) return undefined;
  for (const v of Object.values(found.params)) if (v === '') return undefined;
  return found;
}

function decode(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
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
