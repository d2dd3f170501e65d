/**
 * Responses of the typed clients, remembered so `toMatchContract` can judge them: the request method
 * (a fetch `Response` does not record it) and, unless turned off, an unread clone of the body (openapi-fetch
 * reads the body itself). Keyed by the Response the client returned, weakly: nothing is kept once
 * the caller drops the response.
 */
export interface RecordedResponse {
  method: string;
  /** Undefined when the client was made with `keepResponseBody: false`. */
  clone?: Response;
}

const recorded = new WeakMap<Response, RecordedResponse>();

export function recordResponse(response: Response, method: string, keepBody: boolean): void {
  recorded.set(response, { method, clone: keepBody ? response.clone() : undefined });
}

export function recordedResponse(response: Response): RecordedResponse | undefined {
  return recorded.get(response);
}
