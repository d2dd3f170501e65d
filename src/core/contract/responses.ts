import type { OperationModel, ResponseModel } from './model.ts';

/** The declared response for a status: exact code first, then its range (`4XX`), then `default`. */
export function matchResponse(op: OperationModel, status: number): ResponseModel | undefined {
  const exact = op.responses.find((r) => r.status === String(status));
  if (exact) return exact;
  const range = `${Math.floor(status / 100)}XX`;
  return (
    op.responses.find((r) => r.status.toUpperCase() === range) ?? op.responses.find((r) => r.status === 'default')
  );
}

/**
 * Whether an answer says "no such object". 404 and 410 always do. Some services answer an unknown
 * id with another status (Defguard's 400 "location not found", the IoT console's documented 500 for
 * an unknown alert); the declared response's description says so. Auth refusals (401, 403) and rate limiting (429) never count, even when their
 * description mentions something not found.
 */
export function isNotFoundAnswer(status: number, declared: ResponseModel | undefined): boolean {
  if (status === 404 || status === 410) return true;
  if (status < 400 || status > 599 || status === 401 || status === 403 || status === 429 || !declared) return false;
  return /\bnot found\b|\bunknown\b|\bdoes not exist\b|\bno such\b/i.test(declared.description);
}

/** `application/json; charset=utf-8` → `application/json`. */
export function essence(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

export function isJsonMediaType(mediaType: string): boolean {
  const m = essence(mediaType);
  return m === 'application/json' || m.endsWith('+json');
}

/** Declared media types may use wildcards (`application/*`, `*\/*`). */
export function mediaTypeMatches(declared: string, actual: string): boolean {
  const [dType, dSub] = essence(declared).split('/');
  const [aType, aSub] = essence(actual).split('/');
  return (dType === '*' || dType === aType) && (dSub === '*' || dSub === aSub);
}
