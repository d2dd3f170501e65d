import type { operations } from '../../generated/defguard.ts';
import type { CredentialStore } from '../kit/credentials.ts';
import type { Handlers } from '../kit/types.ts';
import type { DefguardState, GroupInfo } from './model.ts';
import { membershipChanged } from './state.ts';
import { syncAllowedDevices } from './sync.ts';
import { userNotFound } from './users.ts';
import { notFound, page } from './views.ts';

// An empty object answer, typed so that it is not widened to its neighbours' shapes.
const EMPTY: Record<string, never> = {};

/**
 * Groups and their members. Every change re-derives the members' `groups` and `is_admin` and their
 * devices' addresses; leaving the admin group keeps a user's tokens, which then become insufficient.
 */
export function groupHandlers(state: DefguardState, store: CredentialStore): Handlers<operations> {
  const groupNotFound = (id: number) => notFound(`group id ${id} not found`);
  const changed = (username: string) => membershipChanged(state, store, username);
  return {
    listGroups: ({ query }) => ({ status: 200, body: page([...state.groups.values()].sort((a, b) => a.id - b.id).map((g) => g.name), query) }),
    listGroupsInfo: () => ({ status: 200, body: [...state.groups.values()].sort((a, b) => a.id - b.id) }),
    getGroup: ({ params }) => {
      const g = state.groups.get(Number(params.id));
      return g ? { status: 200, body: g } : groupNotFound(Number(params.id));
    },
    createGroup: ({ body }) => {
      if ([...state.groups.values()].some((g) => g.name === body.name)) return { status: 400, body: { msg: 'group name is taken' } };
      const unknown = body.members.find((m) => !state.users.has(m));
      if (unknown) return userNotFound(unknown);
      const g: GroupInfo = { id: state.nextGroupId++, name: body.name, members: [...body.members], vpn_locations: [], is_admin: body.is_admin };
      state.groups.set(g.id, g);
      g.members.forEach(changed);
      return { status: 201, body: { name: g.name, members: g.members, is_admin: g.is_admin } };
    },
    deleteGroup: ({ params }) => {
      const g = state.groups.get(Number(params.id));
      if (!g) return groupNotFound(Number(params.id));
      state.groups.delete(g.id);
      g.members.forEach(changed);
      // Locations that allowed only this group lose it (and its members' devices).
      syncAllowedDevices(state);
      return { status: 200, body: null };
    },
    // `modify_group`: rename, admin flag, members replaced by the list (unknown usernames skipped).
    modifyGroup: ({ params, body }) => {
      const g = state.groups.get(Number(params.id));
      if (!g) return notFound(`Group ${Number(params.id)} not found`);
      // The group name is unique in the database; the server would fail with a database error (500),
      // the mock refuses the rename as createGroup does.
      if (body.name !== g.name && [...state.groups.values()].some((x) => x.name === body.name)) return { status: 400, body: { msg: 'group name is taken' } };
      // The last admin group keeps its flag: a bare 400 (the server checks before any change).
      const adminGroups = [...state.groups.values()].filter((x) => x.is_admin).length;
      if (g.is_admin && !body.is_admin && adminGroups === 1) return { status: 400, body: EMPTY };
      const before = [...g.members];
      // Locations allow groups by name: a rename carries over.
      if (body.name !== g.name) for (const n of state.networks.values()) n.allowed_groups = n.allowed_groups.map((x) => (x === g.name ? body.name : x));
      g.name = body.name;
      g.is_admin = body.is_admin;
      g.members = [...new Set(body.members.filter((m) => state.users.has(m)))];
      // Everyone who was or is a member: their group names and admin flags follow.
      [...new Set([...before, ...g.members])].forEach((m) => membershipChanged(state, store, m, { sync: false }));
      syncAllowedDevices(state);
      return { status: 200, body: null };
    },
    // `bulk_assign_to_groups`: every listed user joins every listed group; all must exist.
    bulkAssignToGroups: ({ body }) => {
      const users = [...state.users.values()].filter((u) => body.users.includes(u.id));
      // Counted against the request as the server does: a repeated id is refused too.
      if (users.length !== body.users.length) return { status: 400, body: { msg: "Request contained users that doesn't exists in db." } };
      const groups = [...state.groups.values()].filter((g) => body.groups.includes(g.name));
      if (groups.length !== body.groups.length) return { status: 400, body: { msg: "Request contained groups that doesn't exists in db." } };
      for (const g of groups) for (const u of users) if (!g.members.includes(u.username)) g.members.push(u.username);
      users.forEach((u) => changed(u.username));
      return { status: 200, body: EMPTY };
    },
    addGroupMember: ({ params, body }) => {
      const g = state.groups.get(Number(params.id));
      if (!g) return groupNotFound(Number(params.id));
      if (!state.users.has(body.username)) return userNotFound(body.username);
      if (!g.members.includes(body.username)) g.members.push(body.username);
      changed(body.username);
      return { status: 200, body: null };
    },
    removeGroupMember: ({ params }) => {
      const g = state.groups.get(Number(params.id));
      if (!g) return groupNotFound(Number(params.id));
      if (!state.users.has(params.username)) return userNotFound(params.username);
      g.members = g.members.filter((m) => m !== params.username);
      changed(params.username);
      return { status: 200, body: EMPTY };
    },
  };
}
