/**
 * Responses of the typed clients, remembered so `toMatchContract` can judge them after openapi-fetch
 * has read their body: the request method and an unread clone, keyed by the Response the client
 * returned (weakly: nothing is kept once the caller drops the response).
 */
export interface RecordedResponse {
  method: string;
  clone: Response;
}

const recorded = new WeakMap<Response, RecordedResponse>();

export function recordResponse(response: Response, method: string): void {
  recorded.set(response, { method, clone: response.clone() });
}

export function recordedResponse(response: Response): RecordedResponse | undefined {
  return recorded.get(response);
}
