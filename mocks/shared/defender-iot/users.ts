import { CredentialStore } from '../../kit/credentials.ts';

/**
 * The local users of a Defender for IoT sensor or management console (the accounts of its web
 * console), as far as the password routes reveal them: a user name, a role and a password. These
 * routes take no access token; the credentials in the body authenticate the call, and only the
 * Admin role may replace another user's password.
 */
export type LocalRole = 'Admin' | 'Security Analyst' | 'Read Only';

export interface LocalUser {
  username: string;
  role: LocalRole;
  /** SHA-256 of the password: the mock, like the appliance, never keeps it in clear. */
  passwordSha256: string;
}

/** A seed entry may give the password in clear; snapshots carry only its digest. */
export type LocalUserSeed = Omit<LocalUser, 'passwordSha256'> & { password?: string; passwordSha256?: string };

// Passwords are kept as the credential store keeps secrets: SHA-256 digests.
const digest = CredentialStore.hash;

/** The users a seed lists (each appliance's seed.yaml has the docs' example users). */
export function localUsers(seed: LocalUserSeed[] = []): Map<string, LocalUser> {
  return new Map(
    seed.map((u) => [u.username, { username: u.username, role: u.role, passwordSha256: u.passwordSha256 ?? digest(u.password ?? '') }]),
  );
}

/**
 * The appliance's password policy is not documented; its failure text is. The mock asks for at least
 * eight characters mixing letters, digits and a symbol — the docs' example new passwords
 * (`Test54321!`, `abcd@1234`) pass it, and trivially weak ones are refused.
 */
export function meetsPolicy(password: string): boolean {
  return password.length >= 8 && /[A-Za-z]/.test(password) && /\d/.test(password) && /[^A-Za-z0-9]/.test(password);
}

const detail = (message: string) => ({ error: { userDisplayErrorMessage: message } });
const AUTH_FAILURE = { status: 401 as const, body: detail('User authentication failure') };
const POLICY = { status: 400 as const, body: detail('Password does not match security policy') };
const CHANGED = { status: 200 as const, body: { msg: 'Password has been replaced' } };

/**
 * The three password routes both appliances serve, over one user store. The two contracts infer
 * different bodies for refused credential checks (the sensor's flat `{error: text}`, the console's
 * nested error object); `rejected` is the appliance's own.
 */
export function passwordHandlers<Rejected>(users: Map<string, LocalUser>, rejected: Rejected) {
  const check = (username: string, password: string) => {
    const u = users.get(username);
    return u && u.passwordSha256 === digest(password) ? u : undefined;
  };
  return {
    validateCredentials: ({ body }: { body: { username: string; password: string } }) =>
      check(body.username, body.password)
        ? { status: 200 as const, body: { msg: 'Authentication succeeded.' } }
        : { status: 401 as const, body: rejected },
    setPassword: ({ body }: { body: { username: string; password: string; new_password: string } }) => {
      const u = check(body.username, body.password);
      if (!u) return AUTH_FAILURE;
      if (!meetsPolicy(body.new_password)) return POLICY;
      u.passwordSha256 = digest(body.new_password);
      return CHANGED;
    },
    setPasswordByAdmin: ({ body }: { body: { admin_username: string; admin_password: string; username: string; new_password: string } }) => {
      const admin = check(body.admin_username, body.admin_password);
      if (!admin) return AUTH_FAILURE;
      if (admin.role !== 'Admin') return { status: 403 as const, body: detail('User does not have the permissions to change password') };
      const target = users.get(body.username);
      if (!target) {
        const message = `The user '${body.username}' doesn't exist`;
        return { status: 404 as const, body: { error: { userDisplayErrorMessage: message, internalSystemErrorMessage: message } } };
      }
      if (!meetsPolicy(body.new_password)) return POLICY;
      target.passwordSha256 = digest(body.new_password);
      return CHANGED;
    },
  };
}
