import type { FastifyInstance } from 'fastify';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { totpCode } from '../mocks/defguard/totp.ts';
import { buildStatefulMockFor } from '../mocks/registry.ts';
import { selectApis } from '../src/core/contract/discover.ts';
import { loadContract } from '../src/core/contract/load.ts';
import { projectPaths } from '../src/core/paths.ts';
import { validators } from '../src/core/validate/cache.ts';

const contract = await loadContract(selectApis(projectPaths(), ['defguard'])[0]!);
const UA = { 'user-agent': 'Mozilla/5.0' };

let app: FastifyInstance;
beforeEach(async () => {
  await app?.close();
  app = await buildStatefulMockFor(contract, { rateLimit: false });
});
afterAll(() => app.close());

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
const cookieOf = (res: { headers: Record<string, unknown> }) => String(res.headers['set-cookie']).split(';')[0]!;
const login = (username: string, password: string) => app.inject({ method: 'POST', url: '/api/v1/auth', headers: UA, payload: { username, password } });
const as = (cookie: string) => (method: Method, url: string, payload?: unknown, headers: Record<string, string> = UA) =>
  app.inject({ method, url, headers: { ...headers, cookie }, ...(payload === undefined ? {} : { payload: payload as object }) });
const alice = async () => as(cookieOf(await login('alice', 'Alice-passw0rd!')));
const bob = async () => as(cookieOf(await login('bob', 'Bob-passw0rd!')));
const admin = async () => as(cookieOf(await login('admin', 'pass123')));

/** The body validates against the operation's declared response for its status. */
function conforms(operationId: string, res: { statusCode: number; body: string }) {
  const op = contract.operations.find((o) => o.id === operationId)!;
  const media = op.responses.find((r) => r.status === String(res.statusCode))?.content[0];
  expect(media, `${operationId} declares ${res.statusCode}`).toBeDefined();
  if (media?.schemaPointer && res.body !== '') expect(validators.validate(contract, media.schemaPointer, JSON.parse(res.body))).toEqual([]);
}

/** A browser credential as navigator.credentials.create/get would give it, answering a challenge. */
function browserCredential(id: string, type: 'webauthn.create' | 'webauthn.get', challenge: string) {
  const clientDataJSON = Buffer.from(JSON.stringify({ type, challenge, origin: 'http://localhost' })).toString('base64url');
  const response = type === 'webauthn.create' ? { clientDataJSON, attestationObject: 'o2NmbXRkbm9uZQ' } : { clientDataJSON, authenticatorData: 'SZYN5YgO', signature: 'MEUCIQ', userHandle: null };
  return { id, rawId: id, type: 'public-key', response };
}

describe('Defguard MFA: TOTP', () => {
  it('sets TOTP up with a real RFC 6238 code, turns MFA on, and then a login waits for the code', async () => {
    const a = await alice();
    const init = await a('POST', '/api/v1/auth/totp/init');
    expect(init.statusCode).toBe(200);
    conforms('totpSecret', init);
    const secret = init.json().secret as string;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect((await a('POST', '/api/v1/auth/totp', { code: '000000' === totpCode(secret) ? '111111' : '000000' })).statusCode).toBe(404);
    const enabled = await a('POST', '/api/v1/auth/totp', { code: totpCode(secret) });
    expect(enabled.statusCode).toBe(200);
    conforms('totpEnable', enabled);
    const codes = enabled.json().codes as string[];
    expect(codes).toHaveLength(8);
    // Confirming a factor does not turn MFA on; the details show the factor and the method.
    let me = (await a('GET', '/api/v1/me')).json();
    expect(me).toMatchObject({ totp_enabled: true, mfa_method: 'OneTimePassword', mfa_enabled: false });
    // Turning MFA on ends every session of the user, this one too.
    expect((await a('PUT', '/api/v1/auth/mfa')).statusCode).toBe(200);
    expect((await a('GET', '/api/v1/me')).statusCode).toBe(401);

    const pending = await login('alice', 'Alice-passw0rd!');
    expect(pending.statusCode).toBe(201);
    conforms('authenticate', pending);
    expect(pending.json()).toEqual({ mfa_method: 'OneTimePassword', totp_available: true, webauthn_available: false, email_available: false });
    const s = as(cookieOf(pending));
    // Not authorised until a second factor verifies; the raw-session routes work meanwhile.
    const refused = await s('GET', '/api/v1/me');
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toEqual({ msg: 'MFA not verified' });
    expect((await s('GET', '/api/v1/session-info')).json()).toMatchObject({ authorized: true, username: 'alice' });
    const wrong = await s('POST', '/api/v1/auth/totp/verify', { code: '12345' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual({ msg: 'Invalid TOTP code' });
    const ok = await s('POST', '/api/v1/auth/totp/verify', { code: totpCode(secret) });
    expect(ok.statusCode).toBe(200);
    conforms('totpCode', ok);
    me = (await s('GET', '/api/v1/me')).json();
    expect(me).toMatchObject({ username: 'alice', mfa_enabled: true });

    // A recovery code works once.
    const second = as(cookieOf(await login('alice', 'Alice-passw0rd!')));
    expect((await second('POST', '/api/v1/auth/recovery', { code: codes[0] })).statusCode).toBe(200);
    expect((await second('GET', '/api/v1/me')).statusCode).toBe(200);
    const third = as(cookieOf(await login('alice', 'Alice-passw0rd!')));
    expect((await third('POST', '/api/v1/auth/recovery', { code: codes[0] })).statusCode).toBe(401);
    expect((await third('POST', '/api/v1/auth/recovery', { code: codes[1] })).statusCode).toBe(200);
  });

  it('locks the username out after five wrong codes, as for passwords (429)', async () => {
    const a = await alice();
    const secret = (await a('POST', '/api/v1/auth/totp/init')).json().secret;
    await a('POST', '/api/v1/auth/totp', { code: totpCode(secret) });
    await a('PUT', '/api/v1/auth/mfa');
    const s = as(cookieOf(await login('alice', 'Alice-passw0rd!')));
    for (let i = 0; i < 5; i++) expect((await s('POST', '/api/v1/auth/totp/verify', { code: 'nope' })).statusCode).toBe(401);
    expect((await s('POST', '/api/v1/auth/totp/verify', { code: totpCode(secret) })).statusCode).toBe(429);
  });

  it('answers 304 to turning MFA on without a factor; disabling the last factor turns MFA off', async () => {
    const a = await alice();
    expect((await a('PUT', '/api/v1/auth/mfa')).statusCode).toBe(304);
    const secret = (await a('POST', '/api/v1/auth/totp/init')).json().secret;
    await a('POST', '/api/v1/auth/totp', { code: totpCode(secret) });
    expect((await login('alice', 'Alice-passw0rd!')).statusCode).toBe(201); // login turns MFA on with a factor present
    const root = await admin();
    expect((await root('DELETE', '/api/v1/user/alice/totp')).statusCode).toBe(200);
    const details = (await root('GET', '/api/v1/user/alice')).json().user;
    expect(details).toMatchObject({ totp_enabled: false, mfa_enabled: false, mfa_method: 'None' });
    expect((await login('alice', 'Alice-passw0rd!')).statusCode).toBe(200);
  });
});

describe('Defguard MFA: e-mail codes (read back through the control API)', () => {
  it('sets e-mail MFA up and logs in with an e-mailed code', async () => {
    const a = await alice();
    expect((await app.inject({ method: 'GET', url: '/__control/mfa/email-code/alice' })).statusCode).toBe(404);
    expect((await a('POST', '/api/v1/auth/email/init')).statusCode).toBe(200);
    const setup = (await app.inject({ method: 'GET', url: '/__control/mfa/email-code/alice' })).json();
    expect(setup).toMatchObject({ username: 'alice', purpose: 'setup' });
    expect(setup.code).toMatch(/^\d{6}$/);
    expect((await a('POST', '/api/v1/auth/email', { code: 'abcdef' })).statusCode).toBe(404);
    const enabled = await a('POST', '/api/v1/auth/email', { code: setup.code });
    expect(enabled.statusCode).toBe(200);
    expect(enabled.json().codes).toHaveLength(8);
    expect((await a('PUT', '/api/v1/auth/mfa')).statusCode).toBe(200);

    const pending = await login('alice', 'Alice-passw0rd!');
    expect(pending.json()).toMatchObject({ mfa_method: 'Email', email_available: true });
    const s = as(cookieOf(pending));
    expect((await s('GET', '/api/v1/auth/email')).statusCode).toBe(200);
    const sent = (await app.inject({ method: 'GET', url: '/__control/mfa/email-code/alice' })).json();
    expect(sent.purpose).toBe('login');
    expect((await s('POST', '/api/v1/auth/email/verify', { code: 'zzzzzz' })).json()).toEqual({ msg: 'Invalid email MFA code' });
    const ok = await s('POST', '/api/v1/auth/email/verify', { code: sent.code });
    expect(ok.statusCode).toBe(200);
    conforms('emailMfaCode', ok);
    expect((await s('GET', '/api/v1/me')).statusCode).toBe(200);
  });

  it('refuses to send a login code to a user without e-mail MFA (401)', async () => {
    const b = await bob();
    const res = await b('GET', '/api/v1/auth/email');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ msg: 'Email MFA not enabled' });
  });
});

describe('Defguard MFA: security keys (structure checked, signatures not)', () => {
  it('registers a key, lists it in the user details, logs in with it and deletes it', async () => {
    const a = await alice();
    const init = await a('POST', '/api/v1/auth/webauthn/init');
    expect(init.statusCode).toBe(200);
    const { challenge, excludeCredentials } = init.json().publicKey;
    expect(excludeCredentials).toEqual([]);
    // A clientDataJSON for another challenge is refused as the server refuses a failed registration.
    expect((await a('POST', '/api/v1/auth/webauthn/finish', { name: 'bad', rpkc: browserCredential('k1', 'webauthn.create', 'other') })).statusCode).toBe(500);
    const finish = await a('POST', '/api/v1/auth/webauthn/finish', { name: 'YubiKey 5C', rpkc: browserCredential('k1', 'webauthn.create', challenge) });
    expect(finish.statusCode).toBe(200);
    expect(finish.json().codes).toHaveLength(8);
    // Without the credential's fields the request is malformed.
    expect((await a('POST', '/api/v1/auth/webauthn/finish', { name: 'x', rpkc: {} })).statusCode).toBeGreaterThanOrEqual(400);
    const root = await admin();
    const details = await root('GET', '/api/v1/user/alice');
    conforms('getUser', details);
    expect(details.json().security_keys).toEqual([{ id: 1, name: 'YubiKey 5C' }]);
    expect(details.json().user.mfa_method).toBe('Webauthn');

    const pending = await login('alice', 'Alice-passw0rd!');
    expect(pending.json()).toMatchObject({ webauthn_available: true, mfa_method: 'Webauthn' });
    const s = as(cookieOf(pending));
    const start = (await s('POST', '/api/v1/auth/webauthn/start')).json().publicKey;
    expect(start.allowCredentials).toEqual([{ type: 'public-key', id: 'k1' }]);
    expect((await s('POST', '/api/v1/auth/webauthn', browserCredential('unknown', 'webauthn.get', start.challenge))).statusCode).toBe(400);
    const end = await s('POST', '/api/v1/auth/webauthn', browserCredential('k1', 'webauthn.get', start.challenge));
    expect(end.statusCode).toBe(200);
    conforms('webauthnEnd', end);
    expect((await s('GET', '/api/v1/me')).statusCode).toBe(200);

    // Another user may not delete it; an unknown id is 404; deleting the last factor turns MFA off.
    expect((await (await bob())('DELETE', '/api/v1/user/alice/security_key/1')).statusCode).toBe(403);
    expect((await root('DELETE', '/api/v1/user/alice/security_key/99')).json()).toEqual({ msg: 'security key not found' });
    expect((await root('DELETE', '/api/v1/user/bob/security_key/1')).json()).toEqual({ msg: 'wrong security key' });
    expect((await root('DELETE', '/api/v1/user/alice/security_key/1')).statusCode).toBe(200);
    const after = (await root('GET', '/api/v1/user/alice')).json();
    expect(after.security_keys).toEqual([]);
    expect(after.user).toMatchObject({ mfa_enabled: false, mfa_method: 'None' });
  });

  it('an admin turns off all of a user\'s MFA; a normal user may not touch another user\'s, and an unknown user is 404', async () => {
    const a = await alice();
    const secret = (await a('POST', '/api/v1/auth/totp/init')).json().secret;
    await a('POST', '/api/v1/auth/totp', { code: totpCode(secret) });
    const b = await bob();
    for (const url of ['/api/v1/user/alice/mfa', '/api/v1/user/alice/totp', '/api/v1/user/alice/email']) {
      const res = await b('DELETE', url);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual({ msg: 'requires privileged access' });
    }
    const root = await admin();
    expect((await root('DELETE', '/api/v1/user/nobody/mfa')).statusCode).toBe(404);
    expect((await root('DELETE', '/api/v1/user/alice/mfa', undefined, { 'user-agent': '' })).json()).toEqual({ msg: 'Missing UserAgent header' });
    expect((await root('DELETE', '/api/v1/user/alice/mfa')).statusCode).toBe(200);
    expect((await root('GET', '/api/v1/user/alice')).json().user).toMatchObject({ totp_enabled: false, mfa_method: 'None' });
    // Recovery codes went too: enabling a factor again issues new ones.
    const again = (await a('POST', '/api/v1/auth/totp/init')).json().secret;
    expect((await a('POST', '/api/v1/auth/totp', { code: totpCode(again) })).json().codes).toHaveLength(8);
  });
});

describe('Defguard SSH/GPG keys and YubiKeys', () => {
  const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE9sQ1ZrRmp3dFh6YkRnQ1d5ZkpkS2VqS0V0R2h3c2Z3 alice@desktop';

  it('adds, lists, renames and deletes a key; the authorized_keys export follows', async () => {
    const a = await alice();
    const list = await a('GET', '/api/v1/user/alice/auth_key');
    conforms('fetchAuthenticationKeys', list);
    expect(list.json().map((k: { name: string }) => k.name)).toEqual(['alice laptop']);
    expect((await a('POST', '/api/v1/user/alice/auth_key', { key: `${KEY}\n`, name: 'desktop', key_type: 'ssh' })).statusCode).toBe(201);
    expect((await a('POST', '/api/v1/user/alice/auth_key', { key: KEY, name: 'again', key_type: 'ssh' })).json()).toEqual({ msg: 'Key already exists.' });
    expect((await a('POST', '/api/v1/user/alice/auth_key', { key: 'ssh-ed25519 bm90IGEga2V5', name: 'bad', key_type: 'ssh' })).json()).toEqual({ msg: 'SSH key failed verification.' });
    expect((await a('POST', '/api/v1/user/alice/auth_key', { key: '-----BEGIN PGP PUBLIC KEY BLOCK-----', name: 'gpg', key_type: 'gpg' })).statusCode).toBe(201);
    const keys = (await a('GET', '/api/v1/user/alice/auth_key')).json() as { id: number; name: string; key: string }[];
    expect(keys.map((k) => k.name)).toEqual(['alice laptop', 'desktop', 'gpg']);
    const desktop = keys.find((k) => k.name === 'desktop')!;
    expect(desktop.key).toBe(KEY);
    expect((await a('POST', `/api/v1/user/alice/auth_key/${desktop.id}/rename`, { name: 'workstation' })).statusCode).toBe(200);
    expect((await a('POST', '/api/v1/user/alice/auth_key/999/rename', { name: 'x' })).statusCode).toBe(404);

    // Only SSH keys are exported; by user, by group, or a user only within the group.
    const exported = await app.inject({ method: 'GET', url: '/api/v1/ssh_authorized_keys?username=alice' });
    expect(exported.body.split('\n')).toHaveLength(2);
    expect(exported.body).toContain(KEY);
    expect((await app.inject({ method: 'GET', url: '/api/v1/ssh_authorized_keys?group=developers' })).body.split('\n')).toHaveLength(3);
    expect((await app.inject({ method: 'GET', url: '/api/v1/ssh_authorized_keys?group=admin&username=alice' })).body).toBe('');
    expect((await app.inject({ method: 'GET', url: '/api/v1/ssh_authorized_keys' })).body).toBe('');

    expect((await a('DELETE', `/api/v1/user/alice/auth_key/${desktop.id}`)).statusCode).toBe(200);
    const gone = await a('DELETE', `/api/v1/user/alice/auth_key/${desktop.id}`);
    expect(gone.statusCode).toBe(400);
    expect(gone.json()).toEqual({ msg: 'Key not found' });
  });

  it('refuses a body the contract does not accept with its declared answer', async () => {
    const a = await alice();
    const res = await a('POST', '/api/v1/user/alice/auth_key', { key: KEY, name: 'x', key_type: 'pgp' });
    // The kit's request validation answers with the bad-request answer the operation declares.
    expect([400, 422]).toContain(res.statusCode);
    conforms('addAuthenticationKey', res);
    const noCode = await a('POST', '/api/v1/auth/totp', {});
    expect([400, 422]).toContain(noCode.statusCode);
    conforms('totpEnable', noCode);
    expect((await app.inject({ method: 'POST', url: '/__control/openid/code', payload: { given_name: 'No' } })).statusCode).toBe(400);
  });

  it("keeps users to their own keys: another user's list or key is 403, an admin may", async () => {
    const a = await alice();
    expect((await a('GET', '/api/v1/user/bob/auth_key')).statusCode).toBe(403);
    // bob's key (id 2) under alice's own name: found by id, but not hers.
    expect((await a('DELETE', '/api/v1/user/alice/auth_key/2')).statusCode).toBe(403);
    const root = await admin();
    expect((await root('GET', '/api/v1/user/bob/auth_key')).statusCode).toBe(200);
    expect((await root('GET', '/api/v1/user/nobody/auth_key')).statusCode).toBe(404);
  });

  it('shows a YubiKey among its keys; renames it, refuses to rename its key, and deleting it removes its keys', async () => {
    const b = await bob();
    const [key] = (await b('GET', '/api/v1/user/bob/auth_key')).json();
    expect(key).toMatchObject({ yubikey_id: 1, yubikey_name: "bob's YubiKey", yubikey_serial: '23456781' });
    expect((await b('POST', `/api/v1/user/bob/auth_key/${key.id}/rename`, { name: 'x' })).json()).toEqual({ msg: 'Rename yubikey instead.' });
    const renamed = await b('POST', '/api/v1/user/bob/yubikey/1/rename', { name: 'Blue key' });
    conforms('renameYubikey', renamed);
    expect(renamed.json()).toEqual({ id: 1, name: 'Blue key', serial: '23456781', user_id: 3 });
    expect((await b('GET', '/api/v1/user/bob/auth_key')).json()[0].yubikey_name).toBe('Blue key');
    expect((await (await alice())('DELETE', '/api/v1/user/alice/yubikey/1')).statusCode).toBe(403);
    expect((await b('DELETE', '/api/v1/user/bob/yubikey/9')).statusCode).toBe(404);
    expect((await b('DELETE', '/api/v1/user/bob/yubikey/1')).statusCode).toBe(200);
    expect((await b('GET', '/api/v1/user/bob/auth_key')).json()).toEqual([]);
    expect((await b('POST', '/api/v1/user/bob/yubikey/1/rename', { name: 'y' })).statusCode).toBe(404);
  });

  it("a deleted user's keys and YubiKeys go with them (state snapshot)", async () => {
    const root = await admin();
    expect((await root('DELETE', '/api/v1/user/bob')).statusCode).toBe(200);
    const state = (await app.inject({ method: 'GET', url: '/__control/state' })).json();
    expect(state.yubikeys).toEqual([]);
    expect(state.authenticationKeys.map((k: { user_id: number }) => k.user_id)).toEqual([2]);
  });
});

describe('Defguard account routes', () => {
  it('checks usernames: free 200 {}, taken or invalid 400 {}', async () => {
    const root = await admin();
    expect((await root('POST', '/api/v1/user/available', { username: 'jane.doe' })).statusCode).toBe(200);
    for (const username of ['alice', '.hidden', 'with space']) expect((await root('POST', '/api/v1/user/available', { username })).statusCode).toBe(400);
    expect((await (await alice())('POST', '/api/v1/user/available', { username: 'x' })).statusCode).toBe(403);
  });

  it('changes the own password after the old one, and an admin sets another user\'s', async () => {
    const a = await alice();
    expect((await a('PUT', '/api/v1/user/change_password', { old_password: 'wrong', new_password: 'N3w-passw0rd!' })).statusCode).toBe(400);
    expect((await a('PUT', '/api/v1/user/change_password', { old_password: 'Alice-passw0rd!', new_password: 'weak' })).statusCode).toBe(400);
    expect((await a('PUT', '/api/v1/user/change_password', { old_password: 'Alice-passw0rd!', new_password: 'N3w-passw0rd!' })).statusCode).toBe(200);
    expect((await login('alice', 'N3w-passw0rd!')).statusCode).toBe(200);
    const root = await admin();
    expect((await root('PUT', '/api/v1/user/admin/password', { new_password: 'Adm1n-passw0rd!' })).statusCode).toBe(400); // not for oneself
    expect((await root('PUT', '/api/v1/user/nobody/password', { new_password: 'Adm1n-passw0rd!' })).statusCode).toBe(404);
    expect((await root('PUT', '/api/v1/user/bob/password', { new_password: 'short' })).statusCode).toBe(400);
    expect((await root('PUT', '/api/v1/user/bob/password', { new_password: 'B0b-new-passw0rd!' })).statusCode).toBe(200);
    expect((await login('bob', 'B0b-new-passw0rd!')).statusCode).toBe(200);
    expect((await a('PUT', '/api/v1/user/bob/password', { new_password: 'B0b-new-passw0rd!' })).statusCode).toBe(403);
    expect((await root('POST', '/api/v1/user/bob/reset_password')).statusCode).toBe(200);
    expect((await root('POST', '/api/v1/user/nobody/reset_password')).statusCode).toBe(404);
    expect((await root('POST', '/api/v1/user/admin/reset_password')).statusCode).toBe(400);
  });

  it('starts enrollment only for users who are not enrolled, and desktop configuration for oneself or as admin', async () => {
    const root = await admin();
    expect((await root('POST', '/api/v1/user/alice/start_enrollment', {})).json()).toEqual({ msg: 'User account is already activated' });
    const created = await root('POST', '/api/v1/user', { username: 'jane', first_name: 'Jane', last_name: 'Doe', email: 'jane@example.org', password: null });
    expect(created.json().enrolled).toBe(false);
    expect((await root('POST', '/api/v1/user/jane/start_enrollment', { send_enrollment_notification: true })).statusCode).toBe(400);
    expect((await root('POST', '/api/v1/user/jane/start_enrollment', { token_expiration_time: 'soon' })).json()).toEqual({ msg: 'Failed to parse token expiration time' });
    const token = await root('POST', '/api/v1/user/jane/start_enrollment', { token_expiration_time: '3d', email: 'jane@example.org' });
    expect(token.statusCode).toBe(201);
    conforms('startEnrollment', token);
    expect(token.json().enrollment_token).toMatch(/^[A-Za-z0-9]{32}$/);
    expect((await root('POST', '/api/v1/user/nobody/start_enrollment', {})).statusCode).toBe(404);
    const a = await alice();
    expect((await a('POST', '/api/v1/user/alice/start_desktop', {})).statusCode).toBe(201);
    expect((await a('POST', '/api/v1/user/bob/start_desktop', {})).statusCode).toBe(403);
    expect((await root('POST', '/api/v1/user/bob/start_desktop', {})).statusCode).toBe(201);
  });

  it('revokes an authorised app as the user details list it', async () => {
    const a = await alice();
    expect((await a('GET', '/api/v1/me')).json().authorized_apps).toEqual([{ oauth2client_id: 1, oauth2client_name: 'Grafana' }]);
    expect((await (await bob())('DELETE', '/api/v1/user/alice/oauth_app/1')).statusCode).toBe(403);
    expect((await a('DELETE', '/api/v1/user/alice/oauth_app/1')).statusCode).toBe(200);
    expect((await a('GET', '/api/v1/me')).json().authorized_apps).toEqual([]);
    expect((await a('DELETE', '/api/v1/user/alice/oauth_app/1')).json()).toEqual({ msg: 'Authorized app not found' });
  });

  it('describes the session, and lets a reverse proxy through only with a session', async () => {
    const anonymous = await app.inject({ method: 'GET', url: '/api/v1/session-info' });
    expect(anonymous.json()).toEqual({ authorized: false, is_admin: false, active_wizard: null, username: null });
    const root = await admin();
    expect((await root('GET', '/api/v1/session-info')).json()).toMatchObject({ authorized: true, is_admin: true, username: 'admin' });
    expect((await root('GET', '/api/v1/forward_auth')).statusCode).toBe(200);
    const away = await app.inject({ method: 'GET', url: '/api/v1/forward_auth', headers: { 'x-forwarded-host': 'grafana.example.org', 'x-forwarded-proto': 'https', 'x-forwarded-uri': '/d/home' } });
    expect(away.statusCode).toBe(307);
    expect(away.headers.location).toBe('https://defguard.example.org/auth/login?r=https://grafana.example.org/d/home');
  });
});

describe('Defguard login through the external OpenID provider', () => {
  const code = async (identity: object) => (await app.inject({ method: 'POST', url: '/__control/openid/code', payload: identity })).json().code as string;
  async function start() {
    const info = await app.inject({ method: 'GET', url: '/api/v1/openid/auth_info' });
    expect(info.statusCode).toBe(200);
    conforms('openidAuthInfo', info);
    const url = new URL(info.json().url);
    return { state: url.searchParams.get('state')!, cookie: cookieOf(info), url, button: info.json().button_display_name };
  }
  const callback = (cookie: string | undefined, payload: object) =>
    app.inject({ method: 'POST', url: '/api/v1/openid/callback', headers: { ...UA, ...(cookie ? { cookie } : {}) }, payload });

  it('logs an existing user in by e-mail, and creates an account for a new one', async () => {
    const first = await start();
    expect(first.url.origin + first.url.pathname).toBe('https://sso.example.org/realms/staff/authorize');
    expect(first.button).toBe('Company SSO');
    const existing = await callback(first.cookie, { code: await code({ email: 'Alice@example.org' }), state: first.state });
    expect(existing.statusCode).toBe(200);
    conforms('openidAuthCallback', existing);
    expect(existing.json().user.username).toBe('alice');
    expect((await as(cookieOf(existing))('GET', '/api/v1/me')).json().username).toBe('alice');

    const second = await start();
    const created = await callback(second.cookie, { code: await code({ email: 'carol.white@example.org', given_name: 'Carol', family_name: 'White' }), state: second.state });
    expect(created.statusCode).toBe(200);
    expect(created.json().user).toMatchObject({ username: 'carol.white', enrolled: true, first_name: 'Carol' });
  });

  it('refuses a missing cookie, a state that does not match, an unknown code and a disabled account', async () => {
    const s = await start();
    expect((await callback(undefined, { code: 'x', state: s.state })).json()).toEqual({ msg: 'CSRF cookie not found' });
    expect((await callback(s.cookie, { code: 'x', state: 'other' })).json()).toEqual({ msg: 'CSRF token mismatch' });
    const t = await start();
    expect((await callback(t.cookie, { code: 'never-issued', state: t.state })).statusCode).toBe(401);
    const root = await admin();
    const bob = (await root('GET', '/api/v1/user/bob')).json().user;
    await root('PUT', '/api/v1/user/bob', { ...bob, is_active: false });
    const u = await start();
    expect((await callback(u.cookie, { code: await code({ email: 'bob@example.org' }), state: u.state })).json()).toEqual({ msg: 'User is disabled' });
  });

  it('sends a user with MFA to the second factor (201), and answers 404 without a provider', async () => {
    const a = await alice();
    const secret = (await a('POST', '/api/v1/auth/totp/init')).json().secret;
    await a('POST', '/api/v1/auth/totp', { code: totpCode(secret) });
    const s = await start();
    const res = await callback(s.cookie, { code: await code({ email: 'alice@example.org' }), state: s.state });
    expect(res.statusCode).toBe(201);
    expect(res.json().totp_available).toBe(true);
    const root = await admin();
    expect((await root('DELETE', '/api/v1/openid/provider/Keycloak')).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/v1/openid/auth_info' })).json()).toEqual({ msg: 'OpenID provider not set' });
  });
});
