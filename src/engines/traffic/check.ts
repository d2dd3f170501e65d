import { computeCoverage } from '../../../conformance/coverage.ts';
import { toCurl, type Secret } from '../../../conformance/curl.ts';
import { judge, judgeUnmatched } from '../../../conformance/judge.ts';
import { redactRequest } from '../../../conformance/redact.ts';
import type { RunResult } from '../../../conformance/run.ts';
import { OPERATION_UNKNOWN, type CaseKind, type CheckResult, type ObservedResponse, type RequestCase, type SentRequest } from '../../../conformance/types.ts';
import { classifyCredential, isSecured, parseCookies, presentedCredential, type CredentialCarrier } from '../../core/auth/index.ts';
import type { Contract, CredentialClass, OperationModel } from '../../core/contract/model.ts';
import { lookupRoute } from '../../core/contract/route.ts';
import { validators as sharedValidators, type ValidatorCache } from '../../core/validate/cache.ts';
import { headerRecord, type HarEntry } from './har.ts';

/** Reported for a recorded request that no operation of the contract describes. */
export { OPERATION_UNKNOWN };

export interface TrafficOptions {
  /** Name shown as the run's target (e.g. `har:session.har`). */
  source: string;
  /** Leave requests that match no operation out of the results instead of reporting them. */
  ignoreUnknown?: boolean;
  /** Variable curl reproducers use in place of a credential. */
  secretVariable: string;
  validators?: ValidatorCache;
}

export interface TrafficResult {
  run: RunResult;
  /** Every credential value found in the HAR: scrubbed from every output. */
  secrets: string[];
}

/**
 * Judges recorded traffic against a contract: each HAR entry is matched to its operation (server
 * base paths and `x-trailing-slash` honoured, src/core/contract/route.ts) and its answer judged as
 * the runner judges the answers it provokes, by the checks that judge observed exchanges
 * (conformance/checks/index.ts `checksFor`). Auth checks run where the recording shows the
 * credential's class: no credential (auth-missing / auth-required), a wrong scheme word
 * (auth-wrong-scheme) or a token that does not fit the scheme's pattern (auth-malformed). A
 * well-formed credential may be valid, unknown or revoked — nothing in a recording tells — so no
 * auth check judges it.
 */
export function checkTraffic(contract: Contract, entries: HarEntry[], options: TrafficOptions): TrafficResult {
  const started = performance.now();
  const validators = options.validators ?? sharedValidators;
  const secretValues = new Set<string>();
  for (const entry of entries) for (const v of credentialValues(contract, entry)) secretValues.add(v);
  const secrets: Secret[] = [...secretValues].map((value) => ({ value, variable: options.secretVariable }));
  const results: CheckResult[] = [];
  for (const entry of entries) {
    const url = new URL(entry.request.url);
    const request = sentRequest(contract, entry, url);
    const shown = { request: redactRequest(request, secrets), curl: toCurl(request, url.origin, secrets) };
    const response: ObservedResponse = {
      status: entry.response.status,
      headers: headerRecord(entry.response.headers),
      text: entry.response.text,
      durationMs: Math.round(entry.time),
    };
    const observed = { status: response.status, contentType: response.headers['content-type'] };
    const prefix = `entry ${entry.index}: `;
    const lookup = lookupRoute(contract, entry.request.method, url.pathname);
    if (!lookup.match) {
      if (options.ignoreUnknown) continue;
      const verdict = judgeUnmatched(contract, { method: entry.request.method, path: url.pathname, otherMethods: lookup.otherMethods }, prefix);
      const location = verdict.findings[0]!.location;
      results.push({ ...verdict, ...shown, case: 'positive', api: contract.api, operationId: `${entry.request.method} ${url.pathname}`, method: entry.request.method, path: url.pathname, response: observed, location });
      continue;
    }
    const op = lookup.match.operation;
    const rc: RequestCase = { ...request, operation: op, ...recordedCase(contract, op, { headers: request.headers, query: url.searchParams }) };
    const common = {
      api: contract.api,
      operationId: op.id,
      method: entry.request.method,
      path: op.path,
      case: rc.kind,
      credentialClass: rc.credentialClass,
      location: op.source,
      ...shown,
    };
    for (const verdict of judge(contract, rc, response, { validators, origin: 'observed', messagePrefix: prefix })) results.push({ ...common, ...verdict });
  }
  return {
    run: {
      api: contract.api,
      baseUrl: options.source,
      contractVersion: contract.version,
      results,
      durationMs: Math.round(performance.now() - started),
      // Which operations the recording exercised with a success answer that could be judged.
      coverage: computeCoverage(contract.operations, results, 'observed'),
    },
    secrets: [...secretValues],
  };
}

function sentRequest(contract: Contract, entry: HarEntry, url: URL): SentRequest {
  const headers = headerRecord(entry.request.headers);
  return {
    method: entry.request.method,
    url: url.pathname + url.search,
    headers,
    body: entry.request.body === '' ? undefined : entry.request.body,
    secretHeaders: Object.keys(headers).filter((h) => isSecretHeader(contract, h)),
  };
}

/**
 * What kind of case the recorded request is: a credential class the recording shows becomes an
 * auth case when the operation states outcomes per class, a missing credential on an operation
 * without an auth contract the no-credentials case; anything else is judged as a positive case.
 */
function recordedCase(contract: Contract, op: OperationModel, request: CredentialCarrier): { kind: CaseKind; credentialClass?: CredentialClass } {
  const cls = recordedClass(contract, op, request);
  if (!cls) return { kind: 'positive' };
  if (op.authContract) return { kind: 'auth', credentialClass: cls };
  return { kind: cls === 'missing' ? 'no-credentials' : 'positive', credentialClass: cls };
}

/**
 * Which credential class the recorded request shows, when a recording can tell: no credential, a
 * wrong scheme word, or a token that does not fit the scheme's pattern (malformed) — read by the
 * core auth module, as the stateful mocks read it. A credential that fits the pattern may be valid,
 * unknown or revoked; only the service's credential store could tell, so it has no class here.
 */
function recordedClass(contract: Contract, op: OperationModel, request: CredentialCarrier): CredentialClass | undefined {
  if (!isSecured(op)) return undefined;
  const presented = presentedCredential(contract, op, request);
  if (presented.cls === 'presented' && presented.fitsPattern) return undefined;
  return classifyCredential(presented);
}

function isSecretHeader(contract: Contract, name: string): boolean {
  if (name === 'authorization' || name === 'cookie' || name === 'proxy-authorization') return true;
  return Object.values(contract.securitySchemes).some((s) => s.in === 'header' && s.paramName?.toLowerCase() === name);
}

/**
 * Every credential the entry carries or hands out: header credentials (scheme word removed), every
 * cookie value, `Set-Cookie` values, query credentials, and `token` fields of JSON answers (one-time
 * tokens such as Defender for IoT's PCAP hand-off).
 */
function credentialValues(contract: Contract, entry: HarEntry): string[] {
  const out: string[] = [];
  const req = headerRecord(entry.request.headers);
  for (const [name, value] of Object.entries(req)) {
    if (!isSecretHeader(contract, name)) continue;
    if (name === 'cookie') {
      for (const v of parseCookies(value).values()) if (v) out.push(v);
      continue;
    }
    out.push(value);
    const word = /^(\S+)\s+(\S.*)$/.exec(value);
    if (word) out.push(word[2]!);
  }
  for (const h of entry.response.headers) {
    // A Set-Cookie value starts with the one cookie it sets (`sid=…; Path=/; HttpOnly`).
    if (h.name.toLowerCase() !== 'set-cookie') continue;
    for (const v of parseCookies(h.value.split(';')[0]).values()) if (v) out.push(v);
  }
  const url = new URL(entry.request.url);
  for (const s of Object.values(contract.securitySchemes)) {
    if (s.in === 'query' && s.paramName) {
      const v = url.searchParams.get(s.paramName);
      if (v) out.push(v);
    }
  }
  if (/"token"\s*:/.test(entry.response.text)) {
    for (const m of entry.response.text.matchAll(/"token"\s*:\s*"([^"]{4,})"/g)) out.push(m[1]!);
  }
  return out.filter((v) => v.length >= 4);
}
