import type { operations } from '../../generated/defguard.ts';
import type { Handlers } from '../kit/types.ts';
import { isRefusal, missingUserAgent, userForAdminOrSelf } from './accounts.ts';
import type { AuthenticationKeyInfo, DefguardState, UserInfo } from './model.ts';
import { byId } from './state.ts';

/**
 * SSH and GPG keys and the YubiKeys that carry some of them
 * (crates/defguard_core/src/handlers/ssh_authorized_keys.rs, yubikey.rs), and the
 * `authorized_keys` export an SSH server reads. A user manages their own keys, an admin anyone's;
 * a key is found by its id alone (as the server does), so an admin may remove another user's key
 * under any username. A YubiKey's keys go with it.
 */

const EMPTY: Record<string, never> = {};
const KEY_TYPES = /^(ssh-(rsa|dss|ed25519)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com)$/;

/**
 * Whether an OpenSSH public key line parses (`ssh_key::PublicKey::from_str`): a known algorithm,
 * base64 data whose first field names that same algorithm, and an optional comment. The key's
 * numbers are not checked.
 */
export function parsesAsSshKey(text: string): boolean {
  const [algorithm, data, ...rest] = text.trim().split(/\s+/);
  if (!algorithm || !data || !KEY_TYPES.test(algorithm) || !/^[A-Za-z0-9+/]+={0,2}$/.test(data)) return false;
  const blob = Buffer.from(data, 'base64');
  if (blob.length < 4) return false;
  const nameLength = blob.readUInt32BE(0);
  void rest;
  return blob.length >= 4 + nameLength && blob.subarray(4, 4 + nameLength).toString('latin1') === algorithm;
}

export function authKeyHandlers(state: DefguardState): Handlers<operations> {
  /** A key as listed: the YubiKey's name and serial filled in from the YubiKey it came from. */
  const keyView = (k: AuthenticationKeyInfo): AuthenticationKeyInfo => {
    const y = k.yubikey_id === null ? undefined : state.yubikeys.get(k.yubikey_id);
    return { ...k, yubikey_name: y?.name ?? null, yubikey_serial: y?.serial ?? null };
  };
  const keysOf = (u: UserInfo) => byId(state.authKeys.values()).filter((k) => k.user_id === u.id);
  const sshKeysOf = (u: UserInfo) => keysOf(u).filter((k) => k.key_type === 'ssh').map((k) => k.key);

  return {
    getSshAuthorizedKeys: ({ query }) => {
      const user = query.username === undefined ? undefined : state.users.get(query.username);
      let keys: string[] = [];
      if (query.group !== undefined) {
        const group = [...state.groups.values()].find((g) => g.name === query.group);
        if (group && query.username === undefined) keys = group.members.flatMap((m) => (state.users.has(m) ? sshKeysOf(state.users.get(m)!) : []));
        else if (group && user && group.members.includes(user.username)) keys = sshKeysOf(user);
      } else if (user) keys = sshKeysOf(user);
      return { status: 200, body: keys.join('\n') };
    },
    fetchAuthenticationKeys: ({ credential, params, ownership }) => {
      const t = userForAdminOrSelf(state, { credential, ownership }, params.username);
      if (isRefusal(t)) return t;
      return { status: 200, body: keysOf(t.user).map(keyView) };
    },
    addAuthenticationKey: ({ credential, params, body, headers, ownership }) => {
      const noAgent = missingUserAgent(headers);
      if (noAgent) return noAgent;
      const t = userForAdminOrSelf(state, { credential, ownership }, params.username);
      if (isRefusal(t)) return t;
      const key = body.key.replace(/[\r\n]+$/, '');
      // GPG keys are not checked (Defguard has a FIXME there either).
      if (body.key_type === 'ssh' && !parsesAsSshKey(key)) return { status: 400, body: { msg: 'SSH key failed verification.' } };
      if (keysOf(t.user).some((k) => k.key === key)) return { status: 400, body: { msg: 'Key already exists.' } };
      const id = state.nextAccountIds.authKeys++;
      state.authKeys.set(id, { id, name: body.name, key_type: body.key_type, key, user_id: t.user.id, yubikey_id: null, yubikey_name: null, yubikey_serial: null });
      return { status: 201, body: EMPTY };
    },
    deleteAuthenticationKey: ({ credential, params, headers, ownership }) => {
      const noAgent = missingUserAgent(headers);
      if (noAgent) return noAgent;
      const t = userForAdminOrSelf(state, { credential, ownership }, params.username);
      if (isRefusal(t)) return t;
      const key = state.authKeys.get(Number(params.key_id));
      // An unknown key is a bad request in Defguard, not a 404.
      if (!key) return { status: 400, body: { msg: 'Key not found' } };
      if (!t.isAdmin && key.user_id !== t.user.id) return { status: 403, body: { msg: '' } };
      state.authKeys.delete(key.id);
      return { status: 200, body: EMPTY };
    },
    renameAuthenticationKey: ({ credential, params, body, headers, ownership }) => {
      const noAgent = missingUserAgent(headers);
      if (noAgent) return noAgent;
      const t = userForAdminOrSelf(state, { credential, ownership }, params.username);
      if (isRefusal(t)) return t;
      const key = state.authKeys.get(Number(params.key_id));
      if (!key) return { status: 404, body: { msg: '' } };
      if (key.yubikey_id !== null) return { status: 400, body: { msg: 'Rename yubikey instead.' } };
      if (!t.isAdmin && key.user_id !== t.user.id) return { status: 403, body: { msg: '' } };
      key.name = body.name;
      return { status: 200, body: EMPTY };
    },
    deleteYubikey: ({ credential, params, ownership }) => {
      const t = userForAdminOrSelf(state, { credential, ownership }, params.username);
      if (isRefusal(t)) return t;
      const y = state.yubikeys.get(Number(params.key_id));
      if (!y) return { status: 404, body: { msg: 'YubiKey not found' } };
      if (!t.isAdmin && y.user_id !== t.user.id) return { status: 403, body: { msg: 'Not allowed to delete YubiKey' } };
      state.yubikeys.delete(y.id);
      // The keys it carried reference it and go with it.
      for (const k of [...state.authKeys.values()]) if (k.yubikey_id === y.id) state.authKeys.delete(k.id);
      return { status: 200, body: EMPTY };
    },
    renameYubikey: ({ credential, params, body, ownership }) => {
      const t = userForAdminOrSelf(state, { credential, ownership }, params.username);
      if (isRefusal(t)) return t;
      const y = state.yubikeys.get(Number(params.key_id));
      if (!y) return { status: 404, body: { msg: 'YubiKey not found' } };
      if (!t.isAdmin && y.user_id !== t.user.id) return { status: 403, body: { msg: '' } };
      y.name = body.name;
      return { status: 200, body: { ...y } };
    },
  };
}
