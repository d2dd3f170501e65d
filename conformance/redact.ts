import type { RedactedRequest, Secret, SentRequest } from './types.ts';

export type { RedactedRequest };

export const REDACTED = '[REDACTED]';


/**
 * The request as reports show it: every known secret value, wherever it appears (headers, URL,
 * body), is replaced, so no reporter ever receives a credential. Scheme words and deliberately
 * invalid credentials (garbage, never-issued tokens) stay visible: they are what the check is about.
 */
export function redactRequest(rc: SentRequest, secrets: Secret[]): RedactedRequest {
  const values = secrets.map((s) => s.value);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(rc.headers)) headers[name] = scrubSecrets(value, values);
  return {
    method: rc.method,
    url: scrubSecrets(rc.url, [...values, ...values.map(encodeURIComponent)]),
    headers,
    body: rc.body === undefined ? undefined : scrubSecrets(rc.body, values),
  };
}

/** Removes every known secret value from a text (also the last line of defence on finished reports). */
export function scrubSecrets(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out;
}
