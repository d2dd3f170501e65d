import type { Contract } from '../src/contract/model.ts';
import type { RequestCase } from './types.ts';

export const REDACTED = '[REDACTED]';

export interface RedactedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * The request as reports show it: secret header values and query credentials replaced, so no
 * reporter ever receives a credential. The scheme word (`Token `, `Bearer `) is kept: it is part of
 * what the check is about and not secret.
 */
export function redactRequest(contract: Contract, rc: RequestCase, prefixOf: (header: string) => string): RedactedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(rc.headers)) {
    headers[name] = rc.secretHeaders.includes(name) ? `${prefixOf(name)}${REDACTED}` : value;
  }
  let url = rc.url;
  for (const scheme of Object.values(contract.securitySchemes)) {
    if (scheme.in !== 'query' || !scheme.paramName) continue;
    const re = new RegExp(`([?&]${escapeRegExp(encodeURIComponent(scheme.paramName))}=)[^&]*`, 'g');
    url = url.replace(re, `$1${encodeURIComponent(REDACTED)}`);
  }
  return { method: rc.method, url, headers, body: rc.body };
}

/** Last line of defence: removes every known secret value from a finished report's text. */
export function scrubSecrets(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
