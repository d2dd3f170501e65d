import type { SourceLocation } from '../src/core/contract/location.ts';
import type { Contract, CredentialClass, OperationModel, ResponseModel } from '../src/core/contract/model.ts';
import type { ValidatorCache } from '../src/core/validate/cache.ts';
import type { ChosenValues, ValueOrigin } from './values.ts';

/**
 * Why a request is sent; each kind is judged by its own set of checks. `read-back` reads an object
 * the run just created; `gone` reads one the run just deleted.
 */
export type CaseKind = 'positive' | 'negative' | 'no-credentials' | 'auth' | 'read-back' | 'gone';

/** The credential classes a case can send to be refused (the valid credential rides on the positive case). */
export type RefusedClass = Exclude<CredentialClass, 'valid'>;

/** The stable id of every check, as reports, SARIF rules and library users see it. */
export type CheckId =
  | 'status-declared'
  | 'content-type'
  | 'response-schema'
  | 'response-headers'
  | 'pagination-consistent'
  | 'no-server-error'
  | 'positive-input'
  | 'negative-input'
  | 'auth-required'
  | 'auth-valid'
  | 'created-readable'
  | 'deleted-gone'
  | `auth-${RefusedClass}`;

/** Reported for an observed request that no operation of the contract describes; not a check of its own. */
export const OPERATION_UNKNOWN = 'operation-unknown';

/** What a result is reported under: a check, or the observed request that matched no operation. */
export type ReportedCheckId = CheckId | typeof OPERATION_UNKNOWN;

/**
 * Where a request comes from: `planned` — the runner built it and knows what it sent and why (a
 * valid request, one made invalid on purpose, one without credentials); `observed` — an exchange
 * someone else made (recorded traffic, a response handed to library mode), of which only what was
 * recorded is known.
 */
export type CaseOrigin = 'planned' | 'observed';

/** A request as sent on the wire, with the headers that carry secrets named so they can be redacted. */
export interface SentRequest {
  method: string;
  /** Path with parameters filled in and query string appended. */
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Header names whose values are secrets. */
  secretHeaders: string[];
}

/** A request to one operation and why it is sent (planned by the runner, or observed). */
export interface RequestCase extends SentRequest {
  kind: CaseKind;
  operation: OperationModel;
  /** For negative cases: what was made invalid. */
  mutation?: string;
  /** For negative cases: pointer, in the bundled document, of the rule the request breaks. */
  mutationPointer?: string;
  /** For auth cases: the class of credential sent. */
  credentialClass?: CredentialClass;
  /** Set when the case is not sent, with the reason reported under its primary check. */
  skipReason?: string;
  /** The path parameters' values as sent (links read `$request.path.*` from here). */
  pathValues?: Record<string, unknown>;
  /** The body value before serialisation (links read `$request.body#…` from here). */
  bodyValue?: unknown;
  /** For operations with path parameters: where their values came from. */
  values?: ChosenValues;
  /** For the `other-user` sweep: whose object is asked for, by whom, and what an id that does not exist got. */
  otherUser?: OtherUserProbe;
}

/**
 * One object of one user asked for with another user's credential (conformance/other-user.ts).
 * Names are the credentials' names in the credentials file, never their values.
 */
export interface OtherUserProbe {
  /** The credential whose objects were discovered. */
  owner: string;
  /** The credential of another ordinary user that asked for them. */
  other: string;
  /** The path parameter that names the object (or its owner) and the value sent. */
  parameter: string;
  objectId: string;
  /** Where the contract says foreign and missing look alike: the same request for an id that does not exist… */
  missingCase?: RequestCase;
  missingId?: string;
  /** …and its answer, once sent (run.ts sends it just before the case itself). */
  missing?: { objectId: string; url: string; response: ObservedResponse };
}

export interface ObservedResponse {
  status: number;
  headers: Record<string, string>;
  /** Raw body text (binary bodies are decoded as latin1 and only length-checked). */
  text: string;
  durationMs: number;
}

export interface CheckContext {
  contract: Contract;
  operation: OperationModel;
  requestCase: RequestCase;
  response: ObservedResponse;
  /** The declared response matching the status (exact, then range such as 4XX, then default). */
  declared?: ResponseModel;
  validators: ValidatorCache;
}

export interface Finding {
  message: string;
  /** JSON pointer into the response body the finding is about (`''` for the body itself), when it is about one place in it. */
  bodyPointer?: string;
  /** Where the expectation is written in the spec. */
  location: SourceLocation;
  /** Set when the run was judged against a baseline (conformance/baseline.ts). */
  baseline?: FindingBaseline;
}

/** A check passes with no findings; `skip` says why it could not judge this response. */
export type CheckOutcome = { findings: Finding[] } | { skip: string };

/**
 * Which cases a check judges (conformance/checks/index.ts `checksFor` reads nothing else). A case is
 * judged by a check when its kind is listed and every further condition holds.
 */
export interface Applicability {
  kinds: readonly CaseKind[];
  /** Only cases that send this credential class (the `auth-<class>` checks). */
  credentialClass?: RefusedClass;
  /** Only operations with an effective `x-auth-contract`. */
  needsAuthContract?: boolean;
  /**
   * `planned`: the check needs a request the runner built itself, because its verdict rests on what
   * the request was (valid by the contract, invalid on purpose, the page asked for). `any`: it judges
   * the answer of any exchange, recorded traffic and library mode included.
   */
  request: 'planned' | 'any';
}

/** Every check has the same shape and a stable id used in every report. */
export interface Check<Id extends CheckId = CheckId> {
  id: Id;
  title: string;
  appliesTo: Applicability;
  run(ctx: CheckContext): CheckOutcome;
}

export interface CheckResult {
  check: ReportedCheckId;
  /** What the case was: a valid request, an invalid one (and how), or one without credentials. */
  case: CaseKind;
  mutation?: string;
  credentialClass?: CredentialClass;
  /** For operations with path parameters: whether their values were discovered, created by the run, or examples. */
  valueOrigin?: ValueOrigin;
  api: string;
  operationId: string;
  method: string;
  path: string;
  status: 'passed' | 'failed' | 'skipped';
  message?: string;
  findings: Finding[];
  /** The request as sent, with every credential replaced by [REDACTED]. */
  request: RedactedRequest;
  response?: { status: number; contentType?: string };
  /** Where the operation is written in the spec (SARIF and editors point here). */
  location: SourceLocation;
  /**
   * curl command that repeats the request, with the credential replaced by an environment variable;
   * absent for results no request produced (a contract diff reports through the same reporters).
   */
  curl?: string;
}

/** The request as reports show it (conformance/redact.ts): every known secret replaced. */
export interface RedactedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** A secret value the run sends, and the shell variable curl reproducers use in its place. */
export interface Secret {
  value: string;
  variable: string;
}

// Baselines: the data of conformance/baseline.ts, which reads, applies and writes them.

/** One accepted finding of a baseline file. */
export interface BaselineEntry {
  fingerprint: string;
  api?: string;
  operation?: string;
  check?: string;
  /** The finding's message when it was recorded: for the reader, never matched. */
  message?: string;
  /** Why it is accepted. */
  reason?: string;
  /** `YYYY-MM-DD`: after this day the entry no longer excuses the finding. */
  expires?: string;
}

/** How a baseline judged one finding: `new` (not listed), `known` (listed), `expired` (listed, past its date). */
export type BaselineState = 'new' | 'known' | 'expired';

export interface FindingBaseline {
  state: BaselineState;
  reason?: string;
  expires?: string;
}

/** What a run reports about the baseline it was judged against. */
export interface RunBaseline {
  file: string;
  /** Entries of this run's operations that matched no finding: fixed, or no longer produced. */
  fixed: BaselineEntry[];
}
