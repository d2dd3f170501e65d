import type { Contract, CredentialClass, OperationModel, SecurityScheme } from '../contract/model.ts';
import { cookieValue } from './cookies.ts';
import { authScheme } from './schemes.ts';

/** A request as far as its credential goes: header names in lower case; the query as sent. */
export interface CredentialCarrier {
  headers: Record<string, string | string[] | undefined>;
  query?: URLSearchParams | Record<string, unknown>;
}

/**
 * What a request presents to an operation, judged from the request alone (no credential store):
 * - `missing`: none of the operation's schemes carries anything;
 * - `wrong-scheme`: a header credential without the scheme's word (`Bearer <key>` where `Token <key>`
 *   is required, a scheme word where the raw token is), or with an empty or broken credential;
 * - `presented`: a credential in the right place and form; whether it fits the scheme's
 *   `x-token-pattern` is told, but a service only calls it malformed once it does not know it.
 */
export type PresentedCredential =
  | { cls: 'missing' }
  | { cls: 'wrong-scheme'; scheme: SecurityScheme; reason: string }
  | { cls: 'presented'; scheme: SecurityScheme; token: string; via: 'header' | 'cookie' | 'query'; fitsPattern: boolean };

/**
 * The one reader of a presented credential, for the stateful mocks, the gate in front of Prism and the
 * traffic check. Every scheme of the operation's security is looked at, the auth contract's scheme
 * first (so a request carrying an API token and a session cookie is judged by its token, as the
 * services read the Authorization header before the session), then the others in declaration order.
 */
export function presentedCredential(contract: Pick<Contract, 'securitySchemes'>, op: Pick<OperationModel, 'security' | 'authContract'>, request: CredentialCarrier): PresentedCredential {
  let wrong: { scheme: SecurityScheme; reason: string } | undefined;
  for (const scheme of schemesInOrder(contract, op)) {
    const raw = rawValue(scheme, request);
    if (raw === undefined || raw === '') continue;
    if (scheme.in === 'header') {
      const reason = prefixProblem(scheme, raw);
      if (reason) {
        wrong ??= { scheme, reason };
        continue;
      }
      const token = raw.slice(scheme.prefix.length);
      return { cls: 'presented', scheme, token, via: 'header', fitsPattern: fitsPattern(scheme, token) };
    }
    return { cls: 'presented', scheme, token: raw, via: scheme.in === 'query' ? 'query' : 'cookie', fitsPattern: fitsPattern(scheme, raw) };
  }
  return wrong ? { cls: 'wrong-scheme', ...wrong } : { cls: 'missing' };
}

/** What a credential store knows of a presented credential it recognised. */
export interface KnownCredential {
  state: 'active' | 'revoked' | 'expired';
  /** False when the owner was disabled or deleted in the directory (deprovisioned). */
  ownerActive: boolean;
  /** False when the credential belongs to another tenant than the one the request addresses. */
  tenantMatches: boolean;
  /** True when the owner's role is below what the operation requires. */
  lacksRole: boolean;
}

/**
 * The credential class of a request, the way a service decides it: form first (missing, wrong
 * scheme), then whether it knows the credential at all (a credential it never issued is malformed
 * when it does not even fit the scheme's pattern, else unknown), then the state of what it knows,
 * in the order services check it: revoked, expired, owner deprovisioned, other tenant, role.
 * Without `known` (a recording, a gate with no store) a well-formed credential reads as `unknown`:
 * callers that cannot look it up treat that as "cannot tell".
 */
export function classifyCredential(presented: PresentedCredential, known?: KnownCredential): CredentialClass {
  if (presented.cls !== 'presented') return presented.cls;
  if (!known) return presented.fitsPattern ? 'unknown' : 'malformed';
  if (known.state === 'revoked') return 'revoked';
  if (known.state === 'expired') return 'expired';
  if (!known.ownerActive) return 'deprovisioned';
  if (!known.tenantMatches) return 'other-tenant';
  if (known.lacksRole) return 'insufficient';
  return 'valid';
}

function schemesInOrder(contract: Pick<Contract, 'securitySchemes'>, op: Pick<OperationModel, 'security' | 'authContract'>): SecurityScheme[] {
  const first = authScheme(contract, op);
  const names = new Set<string>(first ? [first.name] : []);
  for (const alt of op.security) for (const name of alt) names.add(name);
  return [...names].map((n) => contract.securitySchemes[n]).filter((s): s is SecurityScheme => s !== undefined);
}

function rawValue(scheme: SecurityScheme, request: CredentialCarrier): string | undefined {
  const name = scheme.paramName ?? 'Authorization';
  if (scheme.in === 'cookie') return cookieValue(request.headers.cookie, name);
  if (scheme.in === 'query') {
    const q = request.query;
    const v = q instanceof URLSearchParams ? q.get(name) : q?.[name];
    return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;
  }
  const v = request.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** Why a header value is not `<prefix><credential>`; undefined when it is. Scheme words are case-insensitive (RFC 9110 §11.1). */
function prefixProblem(scheme: SecurityScheme, value: string): string | undefined {
  const prefix = scheme.prefix;
  if (!value.toLowerCase().startsWith(prefix.toLowerCase())) return `credential must start with '${prefix.trim()}'`;
  const credential = value.slice(prefix.length);
  if (credential === '' || /\s/.test(credential)) {
    return prefix === '' ? 'credential must be the raw token, with no scheme word' : 'credential is empty or malformed';
  }
  return undefined;
}

const patterns = new Map<string, RegExp>();

function fitsPattern(scheme: SecurityScheme, token: string): boolean {
  if (!scheme.tokenPattern) return true;
  let re = patterns.get(scheme.tokenPattern);
  if (!re) patterns.set(scheme.tokenPattern, (re = new RegExp(scheme.tokenPattern)));
  return re.test(token);
}
