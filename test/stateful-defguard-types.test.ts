/**
 * Defguard's handler modules are typed by generated/defguard.ts: `tsc --noEmit -p .` (the first step
 * of `npm test`) fails when a `@ts-expect-error` below no longer finds an error, that is when a
 * handler could give a reply its operation does not declare or read a parameter it does not have.
 * The tests run the same handler module directly, with requests of the types the kit hands it.
 */
import { describe, expect, it } from 'vitest';
import type { operations } from '../generated/defguard.ts';
import { CredentialStore } from '../mocks/kit/credentials.ts';
import type { Handlers, HandlerRequest, Reply } from '../mocks/kit/types.ts';
import { groupHandlers } from '../mocks/defguard/groups.ts';
import { createState } from '../mocks/defguard/state.ts';
import { userHandlers } from '../mocks/defguard/users.ts';

type GetUser = operations['getUser'];

// A reply body of the wrong shape for its status does not type-check.
const wrongBody: Handlers<operations> = {
  // @ts-expect-error getUser's 200 body is a UserDetails (`user`, `security_keys`, ...), not a bare name
  getUser: () => ({ status: 200, body: { name: 'alice' } }),
};
// A status the operation does not declare does not type-check.
const wrongStatus: Handlers<operations> = {
  // @ts-expect-error getUser declares no 418
  getUser: () => ({ status: 418, body: { msg: 'teapot' } }),
};
// Path parameters are the operation's: getUser has `username`, not `id`.
const wrongParam: Handlers<operations> = {
  // @ts-expect-error `id` is not a path parameter of getUser
  getUser: ({ params }) => ({ status: 404, body: { msg: String(params.id) } }),
};
// A JSON body is typed: addUser's `username` is a string.
const wrongBodyField: Handlers<operations> = {
  // @ts-expect-error addUser's body has no `login`
  addUser: ({ body }) => ({ status: 400, body: { msg: body.login } }),
};
// A text/plain answer takes a string (downloadConfig), a JSON one does not.
const textReply: Reply<operations['downloadConfig']> = { status: 200, body: '[Interface]\n' };
// @ts-expect-error countNetworks answers JSON `{ count }`, not text
const notText: Reply<operations['countNetworks']> = { status: 200, body: 'two' };

describe('Defguard handler modules', () => {
  const store = new CredentialStore(() => 'secret', 'defguard');
  const state = createState(store, {
    users: [
      {
        id: 1,
        username: 'alice',
        first_name: 'Alice',
        last_name: 'Smith',
        name: 'Alice Smith',
        email: 'alice@example.org',
        phone: null,
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
      },
    ],
    groups: [{ id: 1, name: 'admin', members: [], vpn_locations: [], is_admin: true }],
  });
  const users = userHandlers(state, store);
  const groups = groupHandlers(state, store);
  // Alice asks, with her own session: the handlers decide what she may see (user_for_admin_or_self).
  const alice = store.issue({ owner: 'alice', role: 'user', kind: 'session' }).credential;
  const request: HandlerRequest<GetUser> = { params: { username: 'alice' }, query: {}, body: undefined, headers: {}, credential: alice };

  it('answer with the records of the state they were given', async () => {
    const found = await users.getUser!(request);
    expect(found.status).toBe(200);
    expect(found.status === 200 && found.body.user.email).toBe('alice@example.org');
    // Another user, existing or not, is refused before any lookup.
    expect((await users.getUser!({ ...request, params: { username: 'nobody' } })).body).toEqual({ msg: 'requires privileged access' });
  });

  it('keep membership as the source of truth: joining the admin group makes an admin', async () => {
    const added = await groups.addGroupMember!({ params: { id: 1 }, query: {}, body: { username: 'alice' }, headers: {} });
    expect(added.status).toBe(200);
    expect(state.users.get('alice')).toMatchObject({ groups: ['admin'], is_admin: true });
    expect(store.owners.get('alice')?.role).toBe('admin');
  });

  it('the handlers the type tests declare are real handlers (the file is not only types)', () => {
    for (const handlers of [wrongBody, wrongStatus, wrongParam, wrongBodyField]) expect(Object.values(handlers).every((h) => typeof h === 'function')).toBe(true);
    expect([textReply.status, notText.status]).toEqual([200, 200]);
  });
});
