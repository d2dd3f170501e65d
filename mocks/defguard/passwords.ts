import { CredentialStore } from '../kit/credentials.ts';

/** Password digests and login lock-outs: what `POST /api/v1/auth` checks (mocks/defguard/sessions.ts). */
export interface Passwords {
  /** Username → SHA-256 of the password. Users without an entry cannot log in with a password. */
  digests: Map<string, string>;
  /** Failed logins per username (timestamps), for the lock-out. */
  failures: Map<string, number[]>;
  lockedUntil: Map<string, number>;
}

export interface PasswordSeed {
  /** Clear-text passwords by username (the seed file is written by a person). */
  passwords?: Record<string, string>;
  /** Digests by username, as the state gives them back; they win over clear-text ones. */
  passwordSha256?: Record<string, string>;
}

// Passwords are kept as the credential store keeps secrets: SHA-256 digests.
export const digest = CredentialStore.hash;

export function createPasswords(seed: PasswordSeed): Passwords {
  const digests = new Map<string, string>();
  for (const [user, password] of Object.entries(seed.passwords ?? {})) digests.set(user, digest(password));
  for (const [user, sha] of Object.entries(seed.passwordSha256 ?? {})) digests.set(user, sha);
  return { digests, failures: new Map(), lockedUntil: new Map() };
}

export const passwordSnapshot = (p: Passwords) => ({ passwordSha256: Object.fromEntries([...p.digests].sort(([a], [b]) => a.localeCompare(b))) });

export function setPassword(p: Passwords, username: string, password: string | null | undefined): void {
  if (password) p.digests.set(username, digest(password));
}

/**
 * The users a person can log in as: those whose clear-text password the seed gives and no other
 * digest replaces (a state read back from the mock gives digests only), who exist and are active.
 */
export function knownLogins(seed: PasswordSeed & { users?: { username: string; is_active: boolean }[] }): { username: string; password: string }[] {
  const active = new Set((seed.users ?? []).filter((u) => u.is_active).map((u) => u.username));
  return Object.entries(seed.passwords ?? {})
    .filter(([user, password]) => active.has(user) && (seed.passwordSha256?.[user] ?? digest(password)) === digest(password))
    .map(([username, password]) => ({ username, password }));
}
