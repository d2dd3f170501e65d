import { createHash, randomBytes } from 'node:crypto';
import type { CredentialClass } from '../../src/core/contract/model.ts';

export type CredentialState = 'active' | 'revoked' | 'expired';
export type OwnerState = 'active' | 'disabled' | 'deleted';

export interface StoredCredential {
  id: number;
  name: string;
  /**
   * `token`: sent in the Authorization header; `session`: a browser session, valid only as the
   * session cookie (a service keeps the two in different tables, so neither works as the other).
   */
  kind: 'token' | 'session';
  /** SHA-256 of the secret: the secret itself is never stored. */
  hash: string;
  owner: string;
  role: string;
  tenant: string;
  state: CredentialState;
  createdAt: string;
}

export interface Owner {
  name: string;
  role: string;
  state: OwnerState;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Credentials and their owners, as a real service keeps them: secrets hashed, tokens revocable,
 * owners that can be disabled, deleted or demoted. Each API decides what its tokens look like.
 */
export class CredentialStore {
  private readonly byHash = new Map<string, StoredCredential>();
  readonly owners = new Map<string, Owner>();
  private nextId = 1;

  constructor(
    private readonly makeSecret: () => string,
    readonly tenant: string,
  ) {}

  static hash(secret: string): string {
    return createHash('sha256').update(secret).digest('hex');
  }

  /** Issues a credential for an owner (created on the fly) and returns the secret, shown once. */
  issue(opts: { owner: string; role: string; name?: string; tenant?: string; state?: CredentialState; kind?: StoredCredential['kind']; makeSecret?: () => string }): { secret: string; credential: StoredCredential } {
    if (!this.owners.has(opts.owner)) this.owners.set(opts.owner, { name: opts.owner, role: opts.role, state: 'active' });
    const secret = (opts.makeSecret ?? this.makeSecret)();
    const credential: StoredCredential = {
      id: this.nextId++,
      name: opts.name ?? `token-${this.nextId}`,
      kind: opts.kind ?? 'token',
      hash: CredentialStore.hash(secret),
      owner: opts.owner,
      role: opts.role,
      tenant: opts.tenant ?? this.tenant,
      state: opts.state ?? 'active',
      createdAt: new Date(Date.UTC(2025, 0, 1) + this.nextId * 60_000).toISOString().replace('Z', ''),
    };
    this.byHash.set(credential.hash, credential);
    return { secret, credential };
  }

  find(secret: string): StoredCredential | undefined {
    return this.byHash.get(CredentialStore.hash(secret));
  }

  list(owner?: string, kind?: StoredCredential['kind']): StoredCredential[] {
    return [...this.byHash.values()].filter((c) => (owner === undefined || c.owner === owner) && (kind === undefined || c.kind === kind)).sort((a, b) => a.id - b.id);
  }

  byId(id: number): StoredCredential | undefined {
    return [...this.byHash.values()].find((c) => c.id === id);
  }

  remove(id: number): boolean {
    const c = this.byId(id);
    return c ? this.byHash.delete(c.hash) : false;
  }

  /** The owner's current role (demotion changes the owner, not the token). */
  roleOf(c: StoredCredential): string {
    return this.owners.get(c.owner)?.role ?? c.role;
  }

  clear(): void {
    this.byHash.clear();
    this.owners.clear();
    this.nextId = 1;
  }
}

/** `dg-` + 32 letters and digits, like Defguard's tokens. */
export function alphanumericToken(prefix: string, length: number): () => string {
  return () => {
    const bytes = randomBytes(length);
    let out = prefix;
    for (const b of bytes) out += ALPHANUMERIC[b % ALPHANUMERIC.length];
    return out;
  };
}

export function hexToken(length: number): () => string {
  return () => randomBytes(Math.ceil(length / 2)).toString('hex').slice(0, length);
}

export type { CredentialClass };
