import { createHmac, randomBytes } from 'node:crypto';

/**
 * RFC 6238 time-based one-time codes, as Defguard computes them (`totp_custom::<Sha1>` in
 * crates/defguard_common/src/db/models/user.rs): HMAC-SHA1, six digits, 30-second steps for TOTP;
 * e-mail codes use the same function over their own secret with the `mfa_code_timeout_seconds`
 * step. Exported so a frontend or test can work out the code an authenticator app would show.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export const TOTP_STEP_SECONDS = 30;
export const CODE_DIGITS = 6;

/** RFC 4648 base32 without padding, as Defguard hands TOTP secrets out. */
export function base32Encode(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

export function base32Decode(text: string): Buffer {
  const clean = text.toUpperCase().replace(/=+$/, '');
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of clean) {
    const i = ALPHABET.indexOf(ch);
    if (i < 0) throw new Error(`not base32: ${ch}`);
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** A fresh secret: 20 random bytes (the HMAC-SHA1 key size Defguard's `gen_totp_secret` uses), base32. */
export const newSecret = (): string => base32Encode(randomBytes(20));

/** The code for a base32 secret at a time (ms since the epoch) with a step in seconds. */
export function totpCode(secret: string, at = Date.now(), stepSeconds = TOTP_STEP_SECONDS): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / stepSeconds)));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** CODE_DIGITS;
  return String(binary).padStart(CODE_DIGITS, '0');
}
