import { getCheck } from '../../../conformance/checks/index.ts';
import { toCurl, type Secret } from '../../../conformance/curl.ts';
import { matchResponse } from '../../core/contract/responses.ts';
import { redactRequest } from '../../../conformance/redact.ts';
import type { RunResult } from '../../../conformance/run.ts';
import type { CheckResult, ObservedResponse, RequestCase } from '../../../conformance/types.ts';
import { refusedCredential } from '../../../mocks/prism/credential-gate.ts';
import { isAnonymousAllowed, type Contract, type CredentialClass, type OperationModel, type SecurityScheme } from '../../core/contract/model.ts';
import { lookupRoute } from '../../core/contract/route.ts';
import { validators as sharedValidators, type ValidatorCache } from '../../core/validate/cache.ts';
import { headerRecord, type HarEntry } from './har.ts';

/** The checks that judge any recorded answer, as the runner judges the answers it provokes. */
export const TRAFFIC_CHECKS = ['status-declared', 'content-type', 'response-schema', 'response-headers'] as const;

/** Reported for a recorded request that no operation of the contract describes. */
export const OPERATION_UNKNOWN = 'operation-unknown';

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
 * base paths and `x-trailing-slash` honoured, src/core/contract/route.ts) and its answer run through the
 * runner's own checks. Auth checks run where the recording shows the credential's class: no
 * credential (auth-missing / auth-required), a wrong scheme word (auth-wrong-scheme) or a token
 * that does not match the scheme's pattern (auth-malformed). A well-formed credential may be valid,
 * unknown or revoked — nothing in a recording tells — so no auth check judges it.
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
    const headers = headerRecord(entry.request.headers);
    const lookup = lookupRoute(contract, entry.request.method, url.pathname);
    const secretHeaders = Object.keys(headers).filter((h) => isSecretHeader(contract, h));
    if (!lookup.match) {
      if (options.ignoreUnknown) continue;
      const rc = requestCase(undefined, entry, url, headers, secretHeaders);
      const known = lookup.otherMethods.length > 0 ? ` (the path is declared for ${lookup.otherMethods.join(', ')} only)` : '';
      const message = `entry ${entry.index}: ${entry.request.method} ${url.pathname} matches no operation of ${contract.api}${known}`;
      results.push({
        check: OPERATION_UNKNOWN,
        case: 'positive',
        api: contract.api,
        operationId: `${entry.request.method} ${url.pathname}`,
        method: entry.request.method,
        path: url.pathname,
        status: 'failed',
        message,
        findings: [{ message, location: { file: contract.rootFile, pointer: '#/paths' } }],
        request: redactRequest(rc, secrets),
        response: { status: entry.response.status, contentType: headerRecord(entry.response.headers)['content-type'] },
        location: { file: contract.rootFile, pointer: '#/paths' },
        curl: toCurl(rc, url.origin, secrets),
      });
      continue;
    }
    const op = lookup.match.operation;
    const rc = requestCase(op, entry, url, headers, secretHeaders);
    const authClass = recordedClass(contract, op, headers);
    if (authClass) rc.credentialClass = authClass;
    rc.kind = authClass === 'missing' ? 'no-credentials' : authClass ? 'auth' : 'positive';
    rc.checks = [...TRAFFIC_CHECKS, ...authChecks(op, authClass)];
    const response: ObservedResponse = {
      status: entry.response.status,
      headers: headerRecord(entry.response.headers),
      text: entry.response.text,
      durationMs: Math.round(entry.time),
    };
    const declared = matchResponse(op, response.status);
    const common = {
      api: contract.api,
      operationId: op.id,
      method: entry.request.method,
      path: op.path,
      case: rc.kind,
      credentialClass: rc.credentialClass,
      request: redactRequest(rc, secrets),
      location: op.source,
      curl: toCurl(rc, url.origin, secrets),
      response: { status: response.status, contentType: response.headers['content-type'] },
    };
    for (const id of rc.checks) {
      const outcome = getCheck(id).run({ contract, operation: op, requestCase: rc, response, declared, validators });
      if ('skip' in outcome) results.push({ ...common, check: id, status: 'skipped', message: outcome.skip, findings: [] });
      else {
        const failed = outcome.findings.length > 0;
        const findings = outcome.findings.map((f) => ({ ...f, message: `entry ${entry.index}: ${f.message}` }));
        results.push({ ...common, check: id, status: failed ? 'failed' : 'passed', message: failed ? findings.map((f) => f.message).join('; ') : undefined, findings });
      }
    }
  }
  return {
    run: { api: contract.api, baseUrl: options.source, contractVersion: contract.version, results, durationMs: Math.round(performance.now() - started) },
    secrets: [...secretValues],
  };
}

function requestCase(op: OperationModel | undefined, entry: HarEntry, url: URL, headers: Record<string, string>, secretHeaders: string[]): RequestCase {
  return {
    kind: 'positive',
    operation: op as OperationModel,
    method: entry.request.method,
    url: url.pathname + url.search,
    headers,
    body: entry.request.body === '' ? undefined : entry.request.body,
    secretHeaders,
    checks: [],
  };
}

/** Which credential class the recorded request shows, when a recording can tell. */
function recordedClass(contract: Contract, op: OperationModel, headers: Record<string, string>): CredentialClass | undefined {
  if (isAnonymousAllowed(op)) return undefined;
  const refusal = refusedCredential(contract, op, headers);
  if (refusal) return refusal.cls;
  const schemeName = op.authContract?.scheme;
  const scheme = schemeName ? contract.securitySchemes[schemeName] : undefined;
  if (scheme?.in === 'header' && scheme.tokenPattern) {
    const value = headers[(scheme.paramName ?? 'authorization').toLowerCase()];
    if (value && value.toLowerCase().startsWith(scheme.prefix.toLowerCase()) && !new RegExp(scheme.tokenPattern).test(value.slice(scheme.prefix.length))) {
      // Only when no other alternative (a session cookie) could have carried the request.
      const others = op.security.some((alt) => alt.some((n) => n !== schemeName && present(contract.securitySchemes[n], headers)));
      if (!others) return 'malformed';
    }
  }
  return undefined;
}

function present(scheme: SecurityScheme | undefined, headers: Record<string, string>): boolean {
  if (!scheme) return false;
  if (scheme.in === 'cookie') return (headers.cookie ?? '').split(';').some((c) => c.trim().startsWith(`${scheme.paramName}=`));
  if (scheme.in === 'header') return !!headers[(scheme.paramName ?? 'authorization').toLowerCase()];
  return false;
}

function authChecks(op: OperationModel, cls: CredentialClass | undefined): string[] {
  if (!cls || cls === 'valid') return [];
  if (op.authContract?.classes[cls]) return [`auth-${cls}`];
  return cls === 'missing' ? ['auth-required'] : [];
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
      for (const c of value.split(';')) {
        const v = c.slice(c.indexOf('=') + 1).trim();
        if (c.includes('=') && v) out.push(v);
      }
      continue;
    }
    out.push(value);
    const word = /^(\S+)\s+(\S.*)$/.exec(value);
    if (word) out.push(word[2]!);
  }
  for (const h of entry.response.headers) {
    if (h.name.toLowerCase() !== 'set-cookie') continue;
    const v = h.value.split(';')[0]!;
    const cookie = v.slice(v.indexOf('=') + 1).trim();
    if (v.includes('=') && cookie) out.push(cookie);
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
