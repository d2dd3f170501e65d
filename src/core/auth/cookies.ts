/**
 * Cookie headers as RFC 6265 §4.2 writes them (`a=1; b=2`): the one reader of cookies for the mocks,
 * the credential classifier and the traffic check.
 */
export function parseCookies(header: string | string[] | undefined): Map<string, string> {
  const out = new Map<string, string>();
  const text = Array.isArray(header) ? header.join('; ') : header;
  if (!text) return out;
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    // The first cookie of a name wins, as browsers send the most specific path first.
    if (!out.has(name)) out.set(name, part.slice(eq + 1).trim());
  }
  return out;
}

/** The value of one cookie, or undefined when it is absent or empty. */
export function cookieValue(header: string | string[] | undefined, name: string): string | undefined {
  const value = parseCookies(header).get(name);
  return value ? value : undefined;
}
