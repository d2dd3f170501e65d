/**
 * The `Prefer` request header (RFC 7240): `Prefer: code=404, example=notFound` or several headers.
 * Each preference is a name, an optional value (a token or a quoted string) and optional `;`
 * parameters, which no mock here uses and which are dropped. Names are case-insensitive; when a
 * name appears twice the first one counts, as the RFC asks. Mocks read the preferences they honour
 * and ignore the others, as servers must.
 */
export function parsePrefer(header: string | string[] | undefined): Map<string, string> {
  const prefs = new Map<string, string>();
  if (header === undefined) return prefs;
  for (const line of Array.isArray(header) ? header : [header]) {
    for (const item of splitOutsideQuotes(line, ',')) {
      const [first = ''] = splitOutsideQuotes(item, ';');
      const eq = first.indexOf('=');
      const name = (eq < 0 ? first : first.slice(0, eq)).trim().toLowerCase();
      if (!name || prefs.has(name)) continue;
      prefs.set(name, eq < 0 ? '' : unquote(first.slice(eq + 1).trim()));
    }
  }
  return prefs;
}

/** A `Preference-Applied` header value for preferences that were honoured (values quoted where they must be). */
export function formatPreferences(applied: ReadonlyArray<readonly [string, string]>): string {
  return applied.map(([name, value]) => (value === '' ? name : `${name}=${/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(value) ? value : JSON.stringify(value)}`)).join(', ');
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted && ch === '\\' && i + 1 < text.length) {
      current += ch + text[++i];
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (ch === separator && !quoted) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) return value.slice(1, -1).replace(/\\(.)/g, '$1');
  return value;
}
