import { joinUrl } from './send.ts';
import type { Secret, SentRequest } from './types.ts';

export type { Secret };


/**
 * A curl command that repeats the request. Every known secret inside a header value is replaced
 * by a reference to its variable (the scheme word stays, so `Bearer $TOKEN` repeats a wrong-scheme
 * request exactly); the command never carries a credential itself.
 */
export function toCurl(rc: SentRequest, baseUrl: string, secrets: Secret[]): string {
  const parts = [`curl -sS -X ${rc.method} ${quote(joinUrl(baseUrl, rc.url))}`];
  for (const [name, value] of Object.entries(rc.headers)) {
    const holder = rc.secretHeaders.includes(name) ? secrets.find((s) => s.value && value.includes(s.value)) : undefined;
    if (holder) {
      // Double quotes so that the variable expands; everything else in the value is escaped.
      const shown = value.split(holder.value).map(escapeDouble).join(`$${holder.variable}`);
      parts.push(`-H "${name}: ${shown}"`);
    } else {
      parts.push(`-H ${quote(`${name}: ${value}`)}`);
    }
  }
  if (rc.body !== undefined) parts.push(`--data-raw ${quote(rc.body)}`);
  return parts.join(' ');
}

function escapeDouble(text: string): string {
  return text.replace(/(["`\\$])/g, '\\$1');
}

function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
