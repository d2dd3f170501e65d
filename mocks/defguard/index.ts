import type { components, operations } from '../../generated/defguard.ts';
import { alphanumericToken, type CredentialStore } from '../kit/credentials.ts';
import { createVpnState, removeUserDevices, syncAllowedDevices, userDevices, vpnHandlers, vpnSnapshot, type SeedDevice, type StoredNetwork, type VpnState } from './network.ts';
import { createPasswords, passwordSnapshot, sessionHandlers, setPassword, type PasswordSeed, type Passwords } from './sessions.ts';
import type { ApiModule } from '../kit/server.ts';
import type { Handlers } from '../kit/types.ts';

type UserInfo = components['schemas']['UserInfo'];
type GroupInfo = components['schemas']['GroupInfo'];

interface DefguardState {
  users: Map<string, UserInfo>;
  /** Groups are the source of truth for membership; a user's `groups` and `is_admin` derive from them. */
  groups: Map<number, GroupInfo>;
  nextUserId: number;
  nextGroupId: number;
  /** Locations and devices (mocks/defguard/network.ts). */
  vpn: VpnState;
  /** Password digests and login lock-outs (mocks/defguard/sessions.ts). */
  passwords: Passwords;
}

interface Seed extends PasswordSeed {
  users?: UserInfo[];
  groups?: GroupInfo[];
  networks?: StoredNetwork[];
  devices?: SeedDevice[];
}

const DEFAULT_GROUPS: GroupInfo[] = [
  { id: 1, name: 'admin', members: ['admin', 'runner'], vpn_locations: [], is_admin: true },
  { id: 2, name: 'developers', members: ['alice', 'bob'], vpn_locations: [], is_admin: false },
];

function user(id: number, username: string, first: string, last: string, isAdmin: boolean): UserInfo {
  return {
    id,
    username,
    first_name: first,
    last_name: last,
    name: `${first} ${last}`,
    email: `${username}@example.org`,
    phone: null,
    mfa_enabled: false,
    totp_enabled: false,
    email_mfa_enabled: false,
    groups: isAdmin ? ['admin'] : [],
    mfa_method: 'None',
    authorized_apps: [],
    is_active: true,
    enrolled: true,
    is_admin: isAdmin,
    ldap_pass_requires_change: false,
    devices: [],
  } as UserInfo;
}

// `runner` is the admin the control API issues credentials to (see ApiModule.principal).
const DEFAULT_USERS = [
  user(1, 'admin', 'Default', 'Admin', true),
  user(2, 'alice', 'Alice', 'Smith', false),
  user(3, 'bob', 'Bob', 'Jones', false),
  user(4, 'runner', 'Contract', 'Runner', true),
];

const EMPTY: Record<string, never> = {};
const notFound = (name: string) => ({ status: 404 as const, body: { msg: `user ${name} not found` } });

/**
 * Defguard: users, groups, the users' API tokens, locations and devices. Tokens (`dg-` + 32 letters
 * and digits) are created through the API, shown once, stored as SHA-256 digests, listed without
 * the secret, renamed and deleted.
 * Disabling or deleting a user removes their tokens; removing a user from the admin group keeps
 * them but makes them insufficient, as the real server does. A user's devices get addresses in the
 * locations their groups allow, follow changes to groups and users, and go when the user goes.
 */
export const defguard: ApiModule<DefguardState> = {
  api: 'defguard',
  roles: ['user', 'admin'],
  tokensRequireRole: 'admin',
  tenant: 'defguard',
  principal: 'runner',
  makeSecret: alphanumericToken('dg-', 32),
  createState(store: CredentialStore, seed?: unknown): DefguardState {
    const given = (seed ?? {}) as Seed;
    const users = (given.users ?? DEFAULT_USERS).map((u) => structuredClone(u));
    const groups = (given.groups ?? DEFAULT_GROUPS).map((g) => structuredClone(g));
    for (const u of users) store.owners.set(u.username, { name: u.username, role: u.is_admin ? 'admin' : 'user', state: u.is_active ? 'active' : 'disabled' });
    // One existing token (id 1) so that token routes have something to list, rename and delete.
    const admin = users.find((u) => u.is_admin && u.is_active);
    if (admin) store.issue({ owner: admin.username, role: 'admin', name: 'automation' });
    const directory = { users: new Map(users.map((u) => [u.username, u])), groups: new Map(groups.map((g) => [g.id, g])) };
    return {
      ...directory,
      nextUserId: Math.max(0, ...users.map((u) => u.id)) + 1,
      nextGroupId: Math.max(0, ...groups.map((g) => g.id)) + 1,
      vpn: createVpnState(directory, { networks: given.networks, devices: given.devices }),
      passwords: createPasswords(given),
    };
  },
  snapshot: (state) => ({ users: [...state.users.values()], groups: [...state.groups.values()], ...vpnSnapshot(state.vpn), ...passwordSnapshot(state.passwords) }),
  // The directory (LDAP/OpenID sync) disabled or removed the account: the user's record follows, so
  // their devices lose their addresses as when an admin disables them.
  ownerDeprovisioned(state, owner, how) {
    const u = state.users.get(owner);
    if (!u) return;
    if (how === 'deleted') {
      state.users.delete(owner);
      removeUserDevices(state.vpn, u.id);
      for (const g of state.groups.values()) g.members = g.members.filter((m) => m !== owner);
    } else u.is_active = false;
    syncAllowedDevices(state.vpn, state);
  },
  handlers(state, store) {
    const syncOwner = (u: UserInfo) => {
      const owner = store.owners.get(u.username) ?? { name: u.username, role: 'user', state: 'active' as const };
      owner.role = u.is_admin ? 'admin' : 'user';
      owner.state = u.is_active ? 'active' : 'disabled';
      store.owners.set(u.username, owner);
    };
    const dropTokens = (username: string) => store.list(username).forEach((t) => store.remove(t.id));
    /** Re-derives a user's groups and admin flag from group membership, and the token owner's role. */
    const recompute = (username: string) => {
      const u = state.users.get(username);
      if (!u) return;
      const mine = [...state.groups.values()].filter((g) => g.members.includes(username));
      u.groups = mine.map((g) => g.name);
      u.is_admin = mine.some((g) => g.is_admin);
      syncOwner(u);
      // Group membership decides which locations the user's devices have addresses in.
      syncAllowedDevices(state.vpn, state);
    };
    // A user record shows the user's devices as they are now, not as they were when it was stored.
    const view = (u: UserInfo): UserInfo => ({ ...u, devices: userDevices(state.vpn, u.id) });
    const groupNotFound = (id: number) => ({ status: 404 as const, body: { msg: `group id ${id} not found` } });
    const page = <T,>(all: T[], query: { page?: number; per_page?: number }) => {
      const perPage = Math.min(Math.max(Number(query.per_page ?? 50), 1), 100);
      const current = Math.max(Number(query.page ?? 1), 1);
      const totalPages = Math.max(1, Math.ceil(all.length / perPage));
      return {
        data: all.slice((current - 1) * perPage, current * perPage),
        pagination: { current_page: current, page_size: perPage, total_items: all.length, total_pages: totalPages, next_page: current < totalPages ? current + 1 : null },
      };
    };
    const handlers: Handlers<operations> = {
      // The consent form (POST /api/v1/oauth/authorize): always a redirect back to the client.
      submitOauthConsent: ({ query, body }) => {
        let target: URL;
        try {
          target = new URL(query.redirect_uri);
        } catch {
          return { status: 400, body: { msg: 'invalid redirect_uri' } };
        }
        if (body?.allow === 'true') target.searchParams.set('code', alphanumericToken('', 14)());
        else target.searchParams.set('error', 'access_denied');
        if (query.state) target.searchParams.set('state', query.state);
        return { status: 302, body: undefined, headers: { location: target.toString() } };
      },
      me: ({ credential }) => {
        const u = credential ? state.users.get(credential.owner) : undefined;
        return u ? { status: 200, body: view(u) } : { status: 401, body: { msg: 'Session is required' } };
      },
      listUsers: ({ query }) => ({ status: 200, body: page([...state.users.values()].sort((a, b) => a.id - b.id).map(view), query) }),
      listGroups: ({ query }) => ({ status: 200, body: page([...state.groups.values()].sort((a, b) => a.id - b.id).map((g) => g.name), query) }),
      getGroup: ({ params }) => {
        const g = state.groups.get(Number(params.id));
        return g ? { status: 200, body: g } : groupNotFound(Number(params.id));
      },
      createGroup: ({ body }) => {
        if ([...state.groups.values()].some((g) => g.name === body.name)) return { status: 400, body: { msg: 'group name is taken' } };
        const unknown = body.members.find((m) => !state.users.has(m));
        if (unknown) return notFound(unknown);
        const g: GroupInfo = { id: state.nextGroupId++, name: body.name, members: [...body.members], vpn_locations: [], is_admin: body.is_admin };
        state.groups.set(g.id, g);
        g.members.forEach(recompute);
        return { status: 201, body: { name: g.name, members: g.members, is_admin: g.is_admin } };
      },
      deleteGroup: ({ params }) => {
        const g = state.groups.get(Number(params.id));
        if (!g) return groupNotFound(Number(params.id));
        state.groups.delete(g.id);
        g.members.forEach(recompute);
        // Locations that allowed only this group lose it (and its members' devices).
        syncAllowedDevices(state.vpn, state);
        return { status: 200, body: null };
      },
      addGroupMember: ({ params, body }) => {
        const g = state.groups.get(Number(params.id));
        if (!g) return groupNotFound(Number(params.id));
        if (!state.users.has(body.username)) return notFound(body.username);
        if (!g.members.includes(body.username)) g.members.push(body.username);
        recompute(body.username);
        return { status: 200, body: null };
      },
      removeGroupMember: ({ params }) => {
        const g = state.groups.get(Number(params.id));
        if (!g) return groupNotFound(Number(params.id));
        if (!state.users.has(params.username)) return notFound(params.username);
        g.members = g.members.filter((m) => m !== params.username);
        // Leaving the admin group keeps the user's tokens, which then become insufficient.
        recompute(params.username);
        return { status: 200, body: EMPTY };
      },
      getUser: ({ params }) => {
        const u = state.users.get(params.username);
        return u ? { status: 200, body: { user: view(u), biometric_enabled_devices: [], security_keys: [] } } : notFound(params.username);
      },
      addUser: ({ body }) => {
        if (state.users.has(body.username)) return { status: 400, body: { msg: 'username is taken' } };
        const u = user(state.nextUserId++, body.username, body.first_name, body.last_name, false);
        u.email = body.email;
        u.phone = body.phone ?? null;
        setPassword(state.passwords, u.username, body.password);
        state.users.set(u.username, u);
        recompute(u.username);
        return { status: 201, body: view(u) };
      },
      modifyUser: ({ params, body }) => {
        const u = state.users.get(params.username);
        if (!u) return notFound(params.username);
        const wasActive = u.is_active;
        Object.assign(u, { first_name: body.first_name, last_name: body.last_name, email: body.email, phone: body.phone ?? null, is_active: body.is_active });
        u.name = `${u.first_name} ${u.last_name}`;
        // The body's group list sets membership (groups that do not exist are ignored).
        for (const g of state.groups.values()) {
          const wanted = body.groups.includes(g.name);
          if (wanted && !g.members.includes(u.username)) g.members.push(u.username);
          if (!wanted) g.members = g.members.filter((m) => m !== u.username);
        }
        recompute(u.username);
        // Disabling a user through the API deletes their tokens; re-enabling does not revive them.
        if (wasActive && !u.is_active) dropTokens(u.username);
        return { status: 200, body: null };
      },
      deleteUser: ({ params }) => {
        const gone = state.users.get(params.username);
        if (!gone) return notFound(params.username);
        state.users.delete(gone.username);
        // The user's devices (and network devices they added) go with them, as the database cascades.
        removeUserDevices(state.vpn, gone.id);
        for (const g of state.groups.values()) g.members = g.members.filter((m) => m !== params.username);
        dropTokens(params.username);
        store.owners.get(params.username)!.state = 'deleted';
        return { status: 200, body: null };
      },
      fetchApiTokens: ({ params }) => {
        if (!state.users.has(params.username)) return notFound(params.username);
        return { status: 200, body: store.list(params.username, 'token').map((t) => ({ id: t.id, name: t.name, created_at: t.createdAt })) };
      },
      addApiToken: ({ params, body }) => {
        const u = state.users.get(params.username);
        if (!u) return notFound(params.username);
        if (!u.is_admin) return { status: 403, body: { msg: 'Cannot create API token for non-admin user' } };
        if (!u.is_active) return { status: 403, body: { msg: 'Cannot create API token for inactive user' } };
        if (!/^[\p{L}\p{N} \-_.():/]+$/u.test(body.name)) return { status: 400, body: { msg: 'Name contains forbidden characters' } };
        const { secret } = store.issue({ owner: u.username, role: 'admin', name: body.name });
        return { status: 201, body: { token: secret } };
      },
      renameApiToken: ({ params, body }) => {
        const t = store.byId(Number(params.token_id));
        if (!t || t.owner !== params.username) return { status: 404, body: { msg: '' } };
        t.name = body.name;
        return { status: 200, body: EMPTY };
      },
      deleteApiToken: ({ params }) => {
        const t = store.byId(Number(params.token_id));
        if (!t || t.owner !== params.username) return { status: 400, body: { msg: 'Key not found' } };
        store.remove(t.id);
        return { status: 200, body: EMPTY };
      },
    };
    return { ...handlers, ...vpnHandlers(state.vpn, state, page), ...sessionHandlers(state.passwords, state.users, store, view) } as never;
  },
};

export default defguard;
