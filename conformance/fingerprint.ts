import { createHash } from 'node:crypto';
import type { Finding } from './types.ts';
import type { ReportedResult } from './reporters/results.ts';

/** The key SARIF's `partialFingerprints` carries the fingerprint under; a new recipe gets a new version. */
export const SARIF_FINGERPRINT_KEY = 'contractsFinding/v1';

/** What identifies a finding across runs and machines. */
export interface FingerprintParts {
  api: string;
  operationId: string;
  check: string;
  /** The case kind, with the mutation for a negative case (`negative: required body property 'name' missing`). */
  case: string;
  credentialClass: string;
  bodyPointer: string;
}

/**
 * The parts of a finding its fingerprint is made of. Not the message (wording changes, and it
 * carries observed values), not the machine or target URL, not the ids in the request: the case is
 * named by its kind and mutation label, which come from the contract. Array indices in the body
 * pointer become `*`, since how many items a list holds varies between runs (`/items/3/id` and
 * `/items/0/id` are the same broken rule).
 */
export function fingerprintParts(api: string, result: Pick<ReportedResult, 'operationId' | 'check' | 'case' | 'mutation' | 'credentialClass'>, finding: Pick<Finding, 'bodyPointer'>): FingerprintParts {
  return {
    api,
    operationId: result.operationId,
    check: result.check,
    case: result.mutation ? `${result.case}: ${result.mutation}` : result.case,
    credentialClass: result.credentialClass ?? '',
    bodyPointer: normalisePointer(finding.bodyPointer),
  };
}

/** The stable fingerprint of one finding: 32 hex digits of SHA-256 over its parts. */
export function findingFingerprint(api: string, result: Parameters<typeof fingerprintParts>[1], finding: Pick<Finding, 'bodyPointer'>): string {
  const p = fingerprintParts(api, result, finding);
  const text = JSON.stringify(['v1', p.api, p.operationId, p.check, p.case, p.credentialClass, p.bodyPointer]);
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

function normalisePointer(pointer: string | undefined): string {
  if (pointer === undefined) return '';
  return pointer.replace(/\/\d+(?=\/|$)/g, '/*');
}
