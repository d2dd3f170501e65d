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
