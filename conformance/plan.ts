import type { Contract, CredentialClass, JsonObject, MediaTypeModel, OperationModel, ParameterModel, SecurityScheme } from '../src/core/contract/model.ts';
import { isSecured } from '../src/core/auth/index.ts';
import { CREDENTIAL_CLASSES } from '../src/core/contract/model.ts';
import { buildClassCredentials, type ClassCredential } from './credential-classes.ts';
import { queryPairs } from '../src/core/contract/params.ts';
import { sampleSchema as sampleContractSchema } from '../src/core/contract/sample.ts';
import { isObject, resolveLocal } from '../src/core/contract/pointer.ts';
import type { ValidatorCache } from '../src/core/validate/cache.ts';
import { isJsonMediaType } from '../src/core/contract/responses.ts';
import { isCreation } from '../src/core/contract/links.ts';
import { withRunUniqueNames } from './identify.ts';
import { bodyMutations, parameterMutations, type Mutation } from './mutations.ts';
import type { CaseKind, RequestCase } from './types.ts';
import type { ChosenValues } from './values.ts';

/** Supplies the credential value for a security scheme, or undefined when none is available. */
export type CredentialSource = (scheme: SecurityScheme) => string | undefined;

export interface PlanOptions {
  credentials: CredentialSource;
  validators: ValidatorCache;
  /** Operations to cover (default: all of the contract's). */
  operations?: OperationModel[];
  /** At most this many negative cases per operation (default 12). */
  maxNegativePerOperation?: number;
  /** Credentials of the classes the runner cannot make itself (revoked, deprovisioned, ...), without scheme word. */
  classCredentials?: Partial<Record<CredentialClass, string>>;
  /** Classes the target cannot honour (e.g. a contract-only mock), and why; reported as skipped. */
  unsupportedClasses?: { classes: ReadonlySet<CredentialClass>; reason: string };
  /** Only cases of these kinds (default: every kind). Library mode's auth matrix plans no negative cases. */
  kinds?: readonly CaseKind[];
  /**
   * Path values learned from the target (conformance/values.ts); the contract's examples stand in
   * for the rest. Without it every value is an example.
   */
  values?: (op: OperationModel) => ChosenValues | undefined;
  /**
   * Appended to the names in a creation's body (conformance/identify.ts), so what one run creates
   * never collides with what an earlier one left, and can be told apart from it. None: bodies as written.
   */
  runTag?: string;
}

const SELF_MADE: ReadonlySet<CredentialClass> = new Set(['missing', 'malformed', 'wrong-scheme', 'unknown']);

/**
 * Request cases for every operation: one valid request (with credentials when the operation needs
 * them), requests made invalid on purpose, and, for secured operations, the valid request without
 * any credential. Which checks judge each case is the registry's business (conformance/checks/index.ts).
 */
export function planCases(contract: Contract, options: PlanOptions): RequestCase[] {
  const cases: RequestCase[] = [];
  const maxNegative = options.maxNegativePerOperation ?? 12;
  for (const op of options.operations ?? contract.operations) {
    const chosen = options.values?.(op);
    const values = validValues(contract, op, chosen);
    if (options.runTag && (isCreation(op) || chosen?.origin === 'created') && values.body !== undefined) values.body = withRunUniqueNames(contract, op, values.body, options.runTag, options.validators);
    const base = { ...buildRequest(op, values), ...valueFacts(op, values, chosen) };
    // Without a credential for any of the operation's schemes (a browser session where only an API
    // token was given), a valid request cannot be made: its cases are reported as not sent, never
    // judged on the refusal that a request without the credential gets.
    const unmet = missingCredential(contract, op, options.credentials);
    const withCredentials = applyCredentials(contract, op, base, options.credentials);
    cases.push({ ...withCredentials, kind: 'positive', operation: op, ...(unmet ? { skipReason: unmet } : {}) });
    for (const mutation of negativeMutations(contract, op, values, options.validators).slice(0, maxNegative)) {
      const mutated = applyCredentials(contract, op, { ...buildRequest(op, values, mutation), ...valueFacts(op, values, chosen) }, options.credentials);
      cases.push({ ...mutated, kind: 'negative', mutation: mutation.label, mutationPointer: mutation.pointer, operation: op, ...(unmet ? { skipReason: unmet } : {}) });
    }
    if (!isSecured(op)) continue;
    if (op.authContract) cases.push(...authCases(contract, op, base, options));
    else cases.push({ ...base, kind: 'no-credentials', operation: op });
  }
  return options.kinds ? cases.filter((c) => options.kinds!.includes(c.kind)) : cases;
}

/**
 * A valid request with the valid credential for one of a workflow's steps: reading back an object
 * the run created (`read-back`) or one it deleted (`gone`), or sending a discovery read or a
 * clean-up request (`positive`), with the given path values.
 */
export function valueCase(contract: Contract, op: OperationModel, kind: CaseKind, chosen: ChosenValues, credentials: CredentialSource): RequestCase {
  const values = validValues(contract, op, chosen);
  const request = applyCredentials(contract, op, { ...buildRequest(op, values), ...valueFacts(op, values, chosen) }, credentials);
  return { ...request, kind, operation: op };
}

/** What a case records about its values: the path values sent, the body, and where they came from. */
function valueFacts(op: OperationModel, values: ValidValues, chosen: ChosenValues | undefined): Pick<RequestCase, 'pathValues' | 'bodyValue' | 'values'> {
  const pathValues: Record<string, unknown> = {};
  for (const [p, v] of values.params) if (p.in === 'path') pathValues[p.name] = v;
  const hasPath = op.parameters.some((p) => p.in === 'path');
  return {
    pathValues,
    bodyValue: values.body,
    values: hasPath ? (chosen ?? { values: {}, origin: 'example', written: false }) : undefined,
  };
}

/**
 * One case per credential class of the operation's auth contract. A class that does not apply, or
 * whose credential is not available, becomes a case that is not sent and is reported as skipped
 * with the reason or a hint on how to provide the credential — never silently passed.
 */
function authCases(contract: Contract, op: OperationModel, base: BuiltRequest, options: PlanOptions): RequestCase[] {
  const auth = op.authContract!;
  const schemeName = auth.scheme ?? op.security.find((alt) => alt.length > 0)?.[0];
  const scheme = schemeName ? contract.securitySchemes[schemeName] : undefined;
  const available = scheme
    ? buildClassCredentials(scheme, options.credentials(scheme), options.classCredentials ?? {})
    : ({} as Partial<Record<CredentialClass, ClassCredential>>);
  const out: RequestCase[] = [];
  for (const cls of CREDENTIAL_CLASSES) {
    if (cls === 'valid') continue; // the positive case carries the valid credential
    // Another user's credential means something only for that user's objects: the sweep
    // (conformance/other-user.ts) plans those cases with objects it discovered for the owner.
    if (cls === 'other-user') continue;
    const expectation = auth.classes[cls];
    const credential = available[cls];
    let skipReason: string | undefined;
    if (!expectation) skipReason = 'the operation states no outcome for this class';
    else if (!expectation.applies) skipReason = expectation.reason ?? 'does not apply to this API';
    else if (!scheme) skipReason = `security scheme '${schemeName}' is not defined`;
    else if (options.unsupportedClasses?.classes.has(cls)) skipReason = options.unsupportedClasses.reason;
    else if (!credential) {
      skipReason = SELF_MADE.has(cls)
        ? `cannot build a ${cls} credential without a valid one`
        : `no ${cls} credential: add one to the --credentials file with \`class: ${cls}\``;
    }
    const request = scheme && credential?.kind === 'value' ? placeCredential(base, scheme, credential.value) : base;
    out.push({ ...request, kind: 'auth', credentialClass: cls, operation: op, skipReason });
  }
  return out;
}

/** Puts a full credential value (scheme word included) where the scheme carries it. */
function placeCredential(request: BuiltRequest, scheme: SecurityScheme, value: string): BuiltRequest {
  const headers = { ...request.headers };
  const secretHeaders = [...request.secretHeaders];
  let url = request.url;
  if (scheme.in === 'query') {
    url += `${url.includes('?') ? '&' : '?'}${encodeURIComponent(scheme.paramName ?? 'token')}=${encodeURIComponent(value)}`;
  } else if (scheme.in === 'cookie') {
    headers.cookie = `${scheme.paramName}=${value}`;
    secretHeaders.push('cookie');
  } else {
    const key = (scheme.paramName ?? 'Authorization').toLowerCase();
    headers[key] = value;
    secretHeaders.push(key);
  }
  return { ...request, url, headers, secretHeaders };
}

interface ValidValues {
  /** A valid value for every parameter we send (required ones, and optional ones with an example). */
  params: Map<ParameterModel, unknown>;
  media?: MediaTypeModel;
  body?: unknown;
}

function validValues(contract: Contract, op: OperationModel, chosen?: ChosenValues): ValidValues {
  const params = new Map<ParameterModel, unknown>();
  for (const p of op.parameters) {
    if (p.in === 'path' && chosen && p.name in chosen.values) params.set(p, chosen.values[p.name]);
    else if (p.required) params.set(p, p.examples.length > 0 ? p.examples[0] : (sampleSchema(contract, p.schema) ?? 'x'));
  }
  const media = pickRequestMedia(op.requestBody?.content ?? []);
  const body = media ? (media.examples.length > 0 ? media.examples[0] : sampleSchema(contract, media.schema)) : undefined;
  return { params, media, body };
}

type BuiltRequest = Pick<RequestCase, 'method' | 'url' | 'headers' | 'body' | 'secretHeaders'>;

function buildRequest(op: OperationModel, values: ValidValues, mutation?: Mutation): BuiltRequest {
  let url = op.path;
  const query = new URLSearchParams();
  const headers: Record<string, string> = {};
  const params = new Map(values.params);
  if (mutation?.target.kind === 'parameter') {
    if (mutation.value === undefined) params.delete(mutation.target.parameter);
    else params.set(mutation.target.parameter, mutation.value);
  }
  for (const [p, value] of params) {
    const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
    if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeURIComponent(text));
    else if (p.in === 'query') for (const [name, v] of queryPairs(p, value)) query.append(name, v);
    else if (p.in === 'header') headers[p.name.toLowerCase()] = text;
  }
  let body: string | undefined;
  if (values.media) {
    const value = mutation?.target.kind === 'body' ? mutation.value : values.body;
    headers['content-type'] = values.media.mediaType;
    body = encodeBody(values.media.mediaType, value);
  }
  const qs = query.toString();
  return { method: op.method.toUpperCase(), url: qs ? `${url}?${qs}` : url, headers, body, secretHeaders: [] };
}

/** Serialises a body for its media type: forms as `a=1&b=2`, text as is, everything else as JSON. */
function encodeBody(mediaType: string, value: unknown): string {
  if (/^application\/x-www-form-urlencoded\b/i.test(mediaType) && value && typeof value === 'object' && !Array.isArray(value)) {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || v === null) continue;
      for (const item of Array.isArray(v) ? v : [v]) form.append(k, typeof item === 'object' ? JSON.stringify(item) : String(item));
    }
    return form.toString();
  }
  if (typeof value === 'string' && !isJsonMediaType(mediaType)) return value;
  return JSON.stringify(value);
}

function negativeMutations(contract: Contract, op: OperationModel, values: ValidValues, validators: ValidatorCache): Mutation[] {
  const resolve = (schema: JsonObject): JsonObject => {
    const { node } = resolveLocal(contract.document, schema, '');
    return isObject(node) ? node : {};
  };
  const out = parameterMutations(contract, op.parameters, validators, resolve);
  const media = values.media;
  if (media?.schema && media.schemaPointer && isJsonMediaType(media.mediaType)) {
    out.push(...bodyMutations(contract, media.schemaPointer, media.schema, values.body, validators, resolve));
  }
  // Missing-required and wrong-type mutations first: they are the ones servers most often get wrong.
  return out.sort((a, b) => rank(a) - rank(b));
}

function rank(m: Mutation): number {
  if (m.label.includes('missing')) return 0;
  if (m.label.includes('wrong type')) return 1;
  return 2;
}

function pickRequestMedia(content: MediaTypeModel[]): MediaTypeModel | undefined {
  return content.find((c) => isJsonMediaType(c.mediaType)) ?? content[0];
}

function sampleSchema(contract: Contract, schema: JsonObject | undefined): unknown {
  return schema ? sampleContractSchema(contract, schema) : {};
}

/**
 * Puts the credential where its scheme says, on the security alternative that uses the scheme the
 * auth contract is about (the credential the run was given), else on the first satisfiable one: a
 * route that takes a browser session or an API token gets the token, not a token posing as a session.
 */
/**
 * Why no valid request can be made to a secured operation: every security alternative needs a
 * scheme the run holds no credential for. Undefined when one alternative is fully held (or none is needed).
 */
function missingCredential(contract: Contract, op: OperationModel, credentials: CredentialSource): string | undefined {
  const alternatives = op.security.filter((alt) => alt.length > 0);
  if (alternatives.length === 0 || op.security.some((alt) => alt.length === 0)) return undefined;
  const lacking = alternatives.map((alt) => alt.filter((name) => !contract.securitySchemes[name] || credentials(contract.securitySchemes[name]!) === undefined));
  if (lacking.some((l) => l.length === 0)) return undefined;
  const names = [...new Set(lacking.flat())].map((name) => {
    const scheme = contract.securitySchemes[name];
    return scheme?.in === 'cookie' ? `'${name}' (the ${scheme.name} cookie of a browser session)` : `'${name}'`;
  });
  return `no credential for security scheme ${names.join(' or ')}: the run holds none, so no valid request can be sent`;
}

function applyCredentials(
  contract: Contract,
  op: OperationModel,
  request: BuiltRequest,
  credentials: CredentialSource,
): BuiltRequest {
  const defined = op.security.filter((alt) => alt.length > 0 && alt.every((name) => contract.securitySchemes[name]));
  // Alternatives the source has every credential for come first: a session-cookie alternative is not
  // taken when only an API token was given, and a source that holds only a session cookie (the
  // other-user sweep's) sends it on the cookie alternative.
  const held = defined.filter((alt) => alt.every((name) => credentials(contract.securitySchemes[name]!) !== undefined));
  const satisfiable = held.length > 0 ? held : defined;
  const preferred = op.authContract?.scheme;
  const alternative = satisfiable.find((alt) => preferred !== undefined && alt.includes(preferred)) ?? satisfiable[0];
  if (!alternative) return request;
  let out = request;
  for (const name of alternative) {
    const scheme = contract.securitySchemes[name]!;
    const token = credentials(scheme);
    if (token !== undefined) out = placeCredential(out, scheme, `${scheme.prefix}${token}`);
  }
  return out;
}
