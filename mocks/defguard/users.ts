import type { operations } from '../../generated/defguard.ts';
import type { CredentialStore, StoredCredential } from '../kit/credentials.ts';
import { mayReach, type Ownership } from '../kit/ownership.ts';
import type { Handlers } from '../kit/types.ts';
import type { DefguardState, UserInfo } from './model.ts';
import { securityKeysOf } from './accounts.ts';
import { setPassword } from './passwords.ts';
import { membershipChanged, removeUser } from './state.ts';
import { caller, notFound, page, userView } from './views.ts';

/**
 * Users. Disabling a user through the API deletes their tokens (re-enabling does not revive them);
 * deleting one removes their tokens, devices and memberships. Group membership decides `groups`
 * and `is_admin` (mocks/defguard/state.ts).
 */

export const userNotFound = (name: string) => notFound(`user ${name} not found`);

/**
 * Defguard's `user_for_admin_or_self`: the caller must be that user or an admin, else 403 before the
 * username is looked up (so a foreign user and one that does not exist answer alike); by the kit's
 * one ownership rule. Undefined when the caller may go on.
 */
export function notSelfOrAdmin(state: DefguardState, req: { credential?: StoredCredential; ownership?: Ownership }, username: string) {
  const who = caller(state, req.credential);
  return mayReach(req, { self: who.user?.username === username, privileged: who.isAdmin }) ? undefined : { status: 403 as const, body: { msg: 'requires privileged access' } };
}

/** A new user's record as the server creates it: no groups, no MFA, enrolled, active. */
export function newUser(id: number, body: { username: string; first_name: string; last_name: string; email: string; phone?: string | null }): UserInfo {
  return {
    id,
    username: body.username,
    first_name: body.first_name,
    last_name: body.last_name,
    name: `${body.first_name} ${body.last_name}`,
    email: body.email,
    phone: body.phone ?? null,
    mfa_enabled: false,
    totp_enabled: false,
    email_mfa_enabled: false,
    groups: [],
    mfa_method: 'None',
    authorized_apps: [],
    is_active: true,
    enrolled: true,
    is_admin: false,
    ldap_pass_requires_change: false,
    devices: [],
  };
}

export function userHandlers(state: DefguardState, store: CredentialStore): Handlers<operations> {
  const dropTokens = (username: string) => store.list(username).forEach((t) => store.remove(t.id));
  return {
    me: ({ credential }) => {
      const u = credential ? state.users.get(credential.owner) : undefined;
      return u ? { status: 200, body: userView(state, u) } : { status: 401, body: { msg: 'Session is required' } };
    },
    listUsers: ({ query }) => ({ status: 200, body: page([...state.users.values()].sort((a, b) => a.id - b.id).map((u) => userView(state, u)), query) }),
    getUser: (req) => {
      const { params } = req;
      const refused = notSelfOrAdmin(state, req, params.username);
      if (refused) return refused;
      const u = state.users.get(params.username);
      if (!u) return userNotFound(params.username);
      const security_keys = securityKeysOf(state, u).map((k) => ({ id: k.id, name: k.name }));
      return { status: 200, body: { user: userView(state, u), biometric_enabled_devices: [], security_keys } };
    },
    addUser: ({ body }) => {
      if (state.users.has(body.username)) return { status: 400, body: { msg: 'username is taken' } };
      const u = newUser(state.nextUserId++, body);
      // Without a password the account waits for enrollment (`enrolled` is "has a password" for local accounts).
      u.enrolled = Boolean(body.password);
      setPassword(state.passwords, u.username, body.password);
      state.users.set(u.username, u);
      membershipChanged(state, store, u.username);
      return { status: 201, body: userView(state, u) };
    },
    modifyUser: (req) => {
      const { params, body } = req;
      const refused = notSelfOrAdmin(state, req, params.username);
      if (refused) return refused;
      const u = state.users.get(params.username);
      if (!u) return userNotFound(params.username);
      const wasActive = u.is_active;
      Object.assign(u, { first_name: body.first_name, last_name: body.last_name, email: body.email, phone: body.phone ?? null, is_active: body.is_active });
      u.name = `${u.first_name} ${u.last_name}`;
      // The body's group list sets membership (groups that do not exist are ignored).
      for (const g of state.groups.values()) {
        const wanted = body.groups.includes(g.name);
        if (wanted && !g.members.includes(u.username)) g.members.push(u.username);
        if (!wanted) g.members = g.members.filter((m) => m !== u.username);
      }
      membershipChanged(state, store, u.username);
      if (wasActive && !u.is_active) dropTokens(u.username);
      return { status: 200, body: null };
    },
    deleteUser: ({ params }) => {
      const gone = state.users.get(params.username);
      if (!gone) return userNotFound(params.username);
      removeUser(state, gone);
      dropTokens(params.username);
      store.owners.get(params.username)!.state = 'deleted';
      return { status: 200, body: null };
    },
  };
}
