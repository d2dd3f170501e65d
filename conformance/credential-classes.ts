import RandExpModule from 'randexp';
import type { CredentialClass, SecurityScheme } from '../src/core/contract/model.ts';

// randexp is CommonJS whose module.exports is the class itself; its typings describe an ES default.
interface RandExpLike {
  max: number;
  randInt(a: number, b: number): number;
  gen(): string;
}
const RandExp = RandExpModule as unknown as new (pattern: RegExp) => RandExpLike;

/** How a credential of one class is sent: the full header value, or no credential at all. */
export type ClassCredential = { kind: 'value'; value: string } | { kind: 'none' };

/**
 * Credentials for each class the runner can make by itself, from the scheme and the valid token:
 * missing (nothing sent), malformed (the right scheme word and garbage), wrong-scheme (the valid
 * token behind another scheme word, or behind one where the raw token is required), unknown (a
 * token of the right shape that was never issued). The other classes need real credentials
 * (revoked, deprovisioned, ... tokens), which come from the credentials file.
 */
export function buildClassCredentials(
  scheme: SecurityScheme,
  validToken: string | undefined,
  provided: Partial<Record<CredentialClass, string>>,
): Partial<Record<CredentialClass, ClassCredential>> {
  const out: Partial<Record<CredentialClass, ClassCredential>> = { missing: { kind: 'none' } };
  out.malformed = { kind: 'value', value: `${scheme.prefix}%%not-a-credential%%` };
  if (validToken) out['wrong-scheme'] = { kind: 'value', value: `${otherSchemeWord(scheme.prefix)}${validToken}` };
  const unknown = neverIssuedToken(scheme, validToken);
  if (unknown) out.unknown = { kind: 'value', value: `${scheme.prefix}${unknown}` };
  for (const [cls, token] of Object.entries(provided) as Array<[CredentialClass, string]>) {
    out[cls] = { kind: 'value', value: `${scheme.prefix}${token}` };
  }
  return out;
}

/** A scheme word that is not the one the scheme uses: `Bearer ` for raw and `Token ` schemes, else `Token `. */
function otherSchemeWord(prefix: string): string {
  return prefix.trim().toLowerCase() === 'bearer' ? 'Token ' : 'Bearer ';
}

/**
 * A token that has the shape of a real one but was never issued: generated from `x-token-pattern`
 * when the scheme has one, else the valid token with every letter and digit replaced by another of
 * its kind (same length and alphabet, different value).
 */
export function neverIssuedToken(scheme: SecurityScheme, validToken: string | undefined): string | undefined {
  if (scheme.tokenPattern) {
    const re = new RegExp(scheme.tokenPattern);
    const gen = new RandExp(re);
    gen.max = 64;
    // Deterministic output keeps reports comparable between runs.
    let seed = 42;
    gen.randInt = (a: number, b: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return a + ((seed >>> 8) % (b - a + 1));
    };
    for (let i = 0; i < 5; i++) {
      const candidate = gen.gen();
      if (candidate !== validToken && re.test(candidate) && !/\s/.test(candidate)) return candidate;
    }
  }
  if (!validToken) return undefined;
  return validToken.replace(/[0-9a-zA-Z]/g, (ch) => {
    if (/[0-9]/.test(ch)) return String((Number(ch) + 7) % 10);
    if (/[a-z]/.test(ch)) return String.fromCharCode(((ch.charCodeAt(0) - 97 + 11) % 26) + 97);
    return String.fromCharCode(((ch.charCodeAt(0) - 65 + 11) % 26) + 65);
  });
}
