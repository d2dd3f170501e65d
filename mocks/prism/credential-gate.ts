import http from 'node:http';
import type { AddressInfo } from 'node:net';
import FindMyWay from 'find-my-way';
import type { Contract, OperationModel, SecurityScheme } from '../../src/core/contract/model.ts';
import { canonicalUrl } from '../../src/core/contract/route.ts';
import { MockError } from '../../src/core/errors.ts';

/**
 * Prism checks only that a credential is present. Real services also reject a credential sent with
 * the wrong scheme word — `Bearer <key>` or a bare key where Cloud Apps wants `Token <key>`, or
 * `Bearer <token>` where the Defender for IoT appliances want the raw token. This gate sits in
 * front of Prism, applies each scheme's `x-scheme-prefix`, answers a misformatted credential with
 * the operation's own declared 401, and forwards everything else to Prism untouched.
 */
export interface CredentialGate {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startCredentialGate(contract: Contract, upstream: string, port: number): Promise<CredentialGate> {
  // `x-trailing-slash: optional` on the document: both spellings are one route (per path item, and
  // server base paths such as Cloud Apps' `/cas/api`, are mapped by canonicalUrl below).
  const router = FindMyWay({ ignoreTrailingSlash: contract.trailingSlash === 'optional', caseSensitive: true });
  for (const op of contract.operations) {
    // find-my-way uses `:name` for parameters, OpenAPI uses `{name}`.
    const route = op.path.replace(/\{([^}]+)\}/g, ':$1');
    router.on(op.method.toUpperCase() as never, route, () => op);
  }
  const server = http.createServer((req, res) => {
    // Prism routes only the contract's own spelling: forward the canonical path (src/core/contract/route.ts).
    req.url = canonicalUrl(contract, req.method ?? 'GET', req.url ?? '/');
    const match = router.find(req.method as never, (req.url ?? '/').split('?')[0]!);
    const op = match ? (match.handler as unknown as () => OperationModel)() : undefined;
    const rejection = op ? refusedCredential(contract, op, req.headers) : undefined;
    if (op && rejection) return sendDeclared401(op, res, rejection);
    // An empty body where the body is optional (Cloud Apps' MCAS module posts lists with none) is no body.
    if (op && !op.requestBody?.required && req.headers['content-length'] === '0') delete req.headers['content-type'];
    forward(req, res, upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new MockError(`cannot listen on 127.0.0.1:${port}: ${err.message}`)));
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // idle keep-alive sockets would hold close() open
      }),
  };
}

export interface Refusal {
  /** The credential class the request falls in. */
  cls: 'missing' | 'wrong-scheme';
  reason: string;
}

/**
 * Whether a request to a secured operation carries no credential at all, or carries header
 * credentials only with the wrong scheme word; undefined when some security alternative is
 * satisfied (or attempted through a cookie or query, which Prism judges).
 */
export function refusedCredential(contract: Contract, op: OperationModel, headers: http.IncomingHttpHeaders): Refusal | undefined {
  if (op.security.length === 0 || op.security.some((alt) => alt.length === 0)) return undefined;
  const problems: string[] = [];
  let attempted = false;
  for (const alternative of op.security) {
    const schemes = alternative.map((name) => contract.securitySchemes[name]).filter((s): s is SecurityScheme => !!s);
    let ok = true;
    for (const scheme of schemes) {
      const present = credentialPresent(scheme, headers);
      if (present === undefined) return undefined; // a query credential: left to Prism
      if (!present) {
        ok = false;
        continue;
      }
      attempted = true;
      if (scheme.in !== 'header') continue;
      const problem = schemeProblem(scheme, String(headers[(scheme.paramName ?? 'authorization').toLowerCase()]));
      if (problem) {
        problems.push(problem);
        ok = false;
      }
    }
    if (ok) return undefined;
  }
  if (!attempted) return { cls: 'missing', reason: 'no credential' };
  return problems.length > 0 ? { cls: 'wrong-scheme', reason: problems[0]! } : undefined;
}

/** true/false for header and cookie credentials; undefined where the gate does not look (query). */
function credentialPresent(scheme: SecurityScheme, headers: http.IncomingHttpHeaders): boolean | undefined {
  if (scheme.in === 'header') {
    const value = headers[(scheme.paramName ?? 'authorization').toLowerCase()];
    return typeof value === 'string' && value !== '';
  }
  if (scheme.in === 'cookie') {
    return (headers.cookie ?? '').split(';').some((c) => c.trim().startsWith(`${scheme.paramName}=`));
  }
  return undefined;
}

function schemeProblem(scheme: SecurityScheme, value: string): string | undefined {
  const prefix = scheme.prefix;
  // Scheme words are case-insensitive (RFC 9110 §11.1).
  if (!value.toLowerCase().startsWith(prefix.toLowerCase())) return `credential must start with '${prefix.trim()}'`;
  const credential = value.slice(prefix.length);
  if (credential === '' || /\s/.test(credential)) {
    return prefix === '' ? 'credential must be the raw token, with no scheme word' : 'credential is empty or malformed';
  }
  return undefined;
}

/**
 * The operation's own 401: the body its `x-auth-contract` states for the class when it states one,
 * else the declared 401's first example.
 */
function sendDeclared401(op: OperationModel, res: http.ServerResponse, refusal: Refusal): void {
  const declared = op.responses.find((r) => r.status === '401');
  const media = declared?.content[0];
  const stated = op.authContract?.classes[refusal.cls];
  const body = stated?.hasBody ? stated.body : (media?.examples[0] ?? { error: refusal.reason });
  res.writeHead(401, { 'content-type': media?.mediaType ?? 'application/json', 'x-mock-reason': refusal.reason });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

function forward(req: http.IncomingMessage, res: http.ServerResponse, upstream: string): void {
  const target = new URL(req.url ?? '/', upstream);
  const proxied = http.request(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (up) => {
    res.writeHead(up.statusCode ?? 502, up.headers);
    up.pipe(res);
  });
  proxied.on('error', (err) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: `mock upstream failed: ${err.message}` }));
  });
  req.pipe(proxied);
}
