import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { isSecured, presentedCredential } from '../../src/core/auth/index.ts';
import type { Contract, OperationModel } from '../../src/core/contract/model.ts';
import { matchRoute } from '../../src/core/contract/route.ts';
import { MockError } from '../../src/core/errors.ts';
import { parsePrefer } from '../../src/core/prefer.ts';

/**
 * Prism checks only that a credential is present. Real services also reject a credential sent with
 * the wrong scheme word — `Bearer <key>` or a bare key where Cloud Apps wants `Token <key>`, or
 * `Bearer <token>` where the Defender for IoT appliances want the raw token. This gate sits in
 * front of Prism, applies each scheme's `x-scheme-prefix`, answers a misformatted credential with
 * the operation's own declared 401, and forwards everything else to Prism untouched.
 *
 * Prism honours `Prefer: code=`, `example=` and `dynamic=` itself; it has no `delay=` and would
 * answer at once, so a frontend would believe it had seen its slow path. The gate refuses that
 * preference with a 400 that points to the stateful mock, which honours it.
 */
export interface CredentialGate {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startCredentialGate(contract: Contract, upstream: string, port: number): Promise<CredentialGate> {
  const server = http.createServer((req, res) => {
    // One route table (src/core/contract/route.ts): server base paths and tolerated trailing slashes
    // are mapped onto the contract's own spelling, which is the only one Prism routes.
    const match = matchRoute(contract, req.method ?? 'GET', req.url ?? '/');
    const op = match?.operation;
    if (match) {
      const q = (req.url ?? '').indexOf('?');
      req.url = match.canonicalPath + (q >= 0 ? req.url!.slice(q) : '');
    }
    const rejection = op ? refusedCredential(contract, op, req.headers) : undefined;
    if (op && rejection) return sendDeclared401(op, res, rejection);
    if (op && req.headers.prefer !== undefined && parsePrefer(req.headers.prefer).has('delay')) return refuseDelay(res);
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
 * The classes the gate can tell without a credential store: nothing presented, or a header
 * credential with the wrong scheme word (the core auth module decides, as for every other engine).
 * Undefined when a credential is presented in the right form (Prism then answers).
 */
export function refusedCredential(contract: Contract, op: OperationModel, headers: http.IncomingHttpHeaders): Refusal | undefined {
  if (!isSecured(op)) return undefined;
  const presented = presentedCredential(contract, op, { headers });
  if (presented.cls === 'missing') return { cls: 'missing', reason: 'no credential' };
  if (presented.cls === 'wrong-scheme') return { cls: 'wrong-scheme', reason: presented.reason };
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

/** What `Prefer: delay=` gets here: a clear 400 instead of an answer that was not delayed. */
export const PRISM_DELAY_REFUSAL =
  "Prefer: delay is not honoured by the contract-only Prism mock (it honours code, example and dynamic); the stateful mock (contracts mock --stateful) honours delay=<ms>, and its control API sets latency per route";

function refuseDelay(res: http.ServerResponse): void {
  res.writeHead(400, { 'content-type': 'application/json', 'x-mock-reason': 'unsupported Prefer: delay' });
  res.end(JSON.stringify({ error: PRISM_DELAY_REFUSAL }));
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
