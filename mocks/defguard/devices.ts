import type { components, operations } from '../../generated/defguard.ts';
import type { StoredCredential } from '../kit/credentials.ts';
import { mayReach, type Ownership } from '../kit/ownership.ts';
import type { Handlers } from '../kit/types.ts';
import { addressesIn, splitIps } from './addresses.ts';
import type { DefguardState, DeviceAddresses, StoredDevice } from './model.ts';
import { deviceManagementRefusal } from './settings.ts';
import { placeUserDevice } from './sync.ts';
import { badRequest, caller, configText, deviceConfig, deviceView, notFound, wireGuardConfig } from './views.ts';

// With no location at all the server answers device changes with a bare 400.
const EMPTY: Record<string, never> = {};
const NO_LOCATIONS = { status: 400 as const, body: EMPTY };
export const now = () => new Date().toISOString().replace('Z', '');

export const deviceNotFound = (id: number) => notFound(`device id ${id} not found`);

/**
 * Defguard's `device_for_admin_or_self`: admins see every device, others only their own — another
 * user's device is not found, as one that does not exist. Ownership is the kit's one rule.
 */
export function deviceFor(state: DefguardState, id: number, req: { credential?: StoredCredential; ownership?: Ownership }): StoredDevice | undefined {
  const d = state.devices.get(id);
  const who = caller(state, req.credential);
  return d && mayReach(req, { self: d.user_id === who.user?.id, privileged: who.isAdmin }) ? d : undefined;
}

/**
 * Why a new device may not use the key: another device or a location already has it. A key that
 * is not 32 bytes of base64 never gets here: the contract's pattern refuses it with 400.
 */
export function pubkeyProblem(state: DefguardState, name: string, key: string): string | undefined {
  if ([...state.devices.values()].some((d) => d.wireguard_pubkey === key)) return `Failed to add device ${name}, identical pubkey (${key}) already exists`;
  if (isServerKey(state, key)) return `Device pubkey ${key} is the same as gateway pubkey`;
  return undefined;
}

const isServerKey = (state: DefguardState, key: string) => [...state.networks.values()].some((n) => n.pubkey === key);

/**
 * User devices: each gets an address in every location its owner may use (mocks/defguard/sync.ts),
 * and a wg-quick config per location; the address routes list them by location.
 */
export function deviceHandlers(state: DefguardState): Handlers<operations> {
  const deleteDevice: NonNullable<Handlers<operations>['deleteDevice' | 'deleteNetworkDevice']> = (req) => {
    const { params } = req;
    const d = deviceFor(state, Number(params.device_id), req);
    if (!d) return deviceNotFound(Number(params.device_id));
    const refused = deviceManagementRefusal(state, caller(state, req.credential).isAdmin, false);
    if (refused) return refused;
    state.devices.delete(d.id);
    return { status: 200, body: null };
  };
  const networkNotFound = (id: number) => notFound(`Network ${id} not found`);

  /** A list of addresses with their locations, ordered by location name as the server's query does. */
  const byName = (addresses: DeviceAddresses[]) =>
    addresses
      .map((a) => ({ a, n: state.networks.get(a.network_id)! }))
      .filter(({ n }) => n)
      .sort((x, y) => x.n.name.localeCompare(y.n.name));

  /** Every device of the user, grouped by location (name order), devices by name. */
  const userLocations = (username: string): components['schemas']['LocationDevicesResponse']['locations'] => {
    const owner = state.users.get(username);
    if (!owner) return [];
    const devices = [...state.devices.values()].filter((d) => d.user_id === owner.id).sort((a, b) => a.name.localeCompare(b.name));
    return [...state.networks.values()]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((n) => ({
        location_id: n.id,
        location_name: n.name,
        devices: devices.flatMap((d) => {
          const a = addressesIn(d, n.id);
          return a ? [{ device_id: d.id, device_name: d.name, wireguard_ips: splitIps(n, a.wireguard_ips) }] : [];
        }),
      }))
      .filter((l) => l.devices.length > 0);
  };

  return {
    listDevices: () => ({ status: 200, body: [...state.devices.values()].sort((a, b) => a.id - b.id).map(deviceView) }),
    listUserDevices: (req) => {
      const { params } = req;
      const who = caller(state, req.credential);
      if (!mayReach(req, { self: who.user?.username === params.username, privileged: who.isAdmin })) return { status: 403, body: { msg: 'Admin access required' } };
      const owner = state.users.get(params.username);
      const mine = [...state.devices.values()].filter((d) => owner && d.user_id === owner.id);
      return { status: 200, body: mine.sort((a, b) => a.id - b.id).map(deviceView) };
    },
    getDevice: (req) => {
      const { params } = req;
      const d = deviceFor(state, Number(params.device_id), req);
      return d ? { status: 200, body: deviceView(d) } : deviceNotFound(Number(params.device_id));
    },
    addDevice: (req) => {
      const { params, body } = req;
      const who = caller(state, req.credential);
      // The contract names the path segment `device_id`; the server reads it as the username.
      const username = params.device_id;
      if (!mayReach(req, { self: who.user?.username === username, privileged: who.isAdmin })) return { status: 403, body: { msg: 'requires privileged access' } };
      const owner = state.users.get(username);
      if (!owner) return { status: 404, body: { msg: `user ${username} not found` } };
      if (!owner.is_active && !who.isAdmin) return { status: 403, body: { msg: 'User is disabled' } };
      const refused = deviceManagementRefusal(state, who.isAdmin, true);
      if (refused) return refused;
      if (state.networks.size === 0) return NO_LOCATIONS;
      const keyProblem = pubkeyProblem(state, body.name, body.wireguard_pubkey);
      if (keyProblem) return badRequest(keyProblem);
      const d: StoredDevice = { id: state.nextDeviceId, name: body.name, wireguard_pubkey: body.wireguard_pubkey, user_id: owner.id, created: now(), device_type: 'user', description: null, configured: true, addresses: [] };
      const full = placeUserDevice(state, d);
      if (full) return { status: 400, body: { msg: `Network ${full} is full, no IP addresses available`, code: 'network_full' as const } };
      state.devices.set(state.nextDeviceId++, d);
      const configs = d.addresses.map((a) => deviceConfig(state.networks.get(a.network_id)!, a.wireguard_ips));
      return { status: 201, body: { configs, device: deviceView(d) } };
    },
    modifyDevice: (req) => {
      const { params, body } = req;
      const d = deviceFor(state, Number(params.device_id), req);
      if (!d) return deviceNotFound(Number(params.device_id));
      const refused = deviceManagementRefusal(state, caller(state, req.credential).isAdmin, false);
      if (refused) return refused;
      if (state.networks.size === 0) return NO_LOCATIONS;
      if (isServerKey(state, body.wireguard_pubkey)) return badRequest("device's pubkey must be different from server's pubkey");
      Object.assign(d, { name: body.name, wireguard_pubkey: body.wireguard_pubkey, description: body.description ?? null });
      return { status: 200, body: deviceView(d) };
    },
    deleteDevice,
    // The server routes both deletes to one handler.
    deleteNetworkDevice: deleteDevice,
    downloadConfig: (req) => {
      const { params } = req;
      const n = state.networks.get(Number(params.network_id));
      if (!n) return networkNotFound(Number(params.network_id));
      const d = deviceFor(state, Number(params.device_id), req);
      if (!d) return deviceNotFound(Number(params.device_id));
      const a = addressesIn(d, n.id);
      if (!a) return notFound(`No IP address found for device: ${d.name}(${d.id})`);
      // The contract declares this answer text/plain; the kit sends a string body as it is.
      return { status: 200, body: configText(n, a.wireguard_ips) };
    },
    // `user_device_configs`: a file per location the device has an address in, MFA locations left
    // out (the Defguard client sets those connections up, a static file cannot). Another user's
    // device is a 404, as an unknown one; the server does not check the device type.
    userDeviceConfigs: (req) => {
      const { params } = req;
      const d = deviceFor(state, Number(params.device_id), req);
      if (!d) return deviceNotFound(Number(params.device_id));
      const configs = d.addresses
        .flatMap((a) => {
          const n = state.networks.get(a.network_id);
          return n && n.location_mfa_mode === 'disabled' ? [wireGuardConfig(n, a.wireguard_ips)] : [];
        })
        .sort((x, y) => x.network_id - y.network_id);
      return { status: 200, body: configs };
    },
    // An unknown user is the declared 404, as the server's user lookup answers it.
    getAllUserDeviceIps: ({ params }) =>
      state.users.has(params.username) ? { status: 200, body: { locations: userLocations(params.username) } } : notFound(`user ${params.username} not found`),
    getDeviceIps: ({ params }) => {
      const owner = state.users.get(params.username);
      if (!owner) return notFound(`user ${params.username} not found`);
      const d = state.devices.get(Number(params.device_id));
      // Like the server, a device that is not the user's has no addresses rather than a 404.
      if (!d || d.user_id !== owner.id) return { status: 200, body: { locations: [] } };
      const rows = byName(d.addresses).map(({ n, a }) => ({ location_id: n.id, location_name: n.name, wireguard_ips: splitIps(n, a.wireguard_ips) }));
      return { status: 200, body: { locations: rows } };
    },
  };
}
