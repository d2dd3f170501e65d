import { joinUrl } from './send.ts';
import type { RequestCase } from './types.ts';

/**
 * A curl command that repeats the request. Secret header values are replaced by a shell variable
 * reference (the scheme prefix stays), so the command can be pasted into a shell that exports it
 * and never carries the credential itself.
 */
export function toCurl(rc: RequestCase, baseUrl: string, secretVariable: string, prefixOf: (header: string) => string): string {
  const parts = [`curl -sS -X ${rc.method} ${quote(joinUrl(baseUrl, rc.url))}`];
  for (const [name, value] of Object.entries(rc.headers)) {
    const shown = rc.secretHeaders.includes(name) ? `${prefixOf(name)}$${secretVariable}` : value;
    // Double quotes so that the variable expands; everything else in the value is escaped.
    parts.push(rc.secretHeaders.includes(name) ? `-H "${name}: ${shown.replace(/(["`\\])/g, '\\$1')}"` : `-H ${quote(`${name}: ${shown}`)}`);
  }
  if (rc.body !== undefined) parts.push(`--data-raw ${quote(rc.body)}`);
  return parts.join(' ');
}

function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
