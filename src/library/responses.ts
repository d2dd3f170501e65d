/**
 * Responses of the typed clients, remembered so `toMatchContract` can judge them: the request method
 * and URL (a fetch `Response` does not record the method, and one made by a custom `fetch` has no
 * url) and, unless turned off, an unread clone of the body (openapi-fetch reads the body itself).
 * Keyed by the Response the client returned, weakly: nothing is kept once the caller drops it.
 */
export interface RecordedResponse {
  method: string;
  url: string;
  /** Undefined when the client was made with `keepResponseBody: false`. */
  clone?: Response;
}

const recorded = new WeakMap<Response, RecordedResponse>();

export function recordResponse(response: Response, request: Request, keepBody: boolean): void {
  recorded.set(response, { method: request.method, url: request.url, clone: keepBody ? response.clone() : undefined });
}

export function recordedResponse(response: Response): RecordedResponse | undefined {
  return recorded.get(response);
}
