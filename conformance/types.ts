import type { SourceLocation } from '../src/core/contract/location.ts';
import type { Contract, CredentialClass, OperationModel, ResponseModel } from '../src/core/contract/model.ts';
import type { ValidatorCache } from '../src/core/validate/cache.ts';

/** Why a request is sent; each kind is judged by its own set of checks. */
export type CaseKind = 'positive' | 'negative' | 'no-credentials' | 'auth';

/** A request the runner sends, fully built, with the credential kept apart so it can be redacted. */
export interface RequestCase {
  kind: CaseKind;
  operation: OperationModel;
  method: string;
  /** Path with parameters filled in and query string appended. */
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Header names whose values are secrets. */
  secretHeaders: string[];
  /** For negative cases: what was made invalid. */
  mutation?: string;
  /** For auth cases: the class of credential sent. */
  credentialClass?: CredentialClass;
  /** Set when the case is not sent, with the reason reported for each of its checks. */
  skipReason?: string;
  /** Ids of the checks that judge this case. */
  checks: string[];
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
}

/** A check passes with no findings; `skip` says why it could not judge this response. */
export type CheckOutcome = { findings: Finding[] } | { skip: string };

/** Every check has the same shape and a stable id used in every report. */
export interface Check {
  id: string;
  title: string;
  run(ctx: CheckContext): CheckOutcome;
}

export interface CheckResult {
  check: string;
  /** What the case was: a valid request, an invalid one (and how), or one without credentials. */
  case: CaseKind;
  mutation?: string;
  credentialClass?: CredentialClass;
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
