import type { operations } from '../../generated/defguard.ts';
import { alphanumericToken } from '../kit/credentials.ts';
import type { Handlers } from '../kit/types.ts';
import { assignProblem } from './addresses.ts';
import { deviceFor, deviceNotFound, now, pubkeyProblem } from './devices.ts';
import { canonicalIp } from './ip.ts';
import type { DefguardState, StoredDevice, WireguardNetwork } from './model.ts';
import { badRequest, caller, deviceConfig, networkDeviceInfo, notFound, page, wireGuardConfig } from './views.ts';

/**
 * The public URL of the enrollment proxy where the CLI redeems its token (Defguard's
 * `proxy_public_url` setting; the mock's own value, the contract's example host).
 */
export const ENROLLMENT_URL = 'https://enrollment.example.com/';
/** A CLI configuration token: 32 letters and digits, as Defguard's enrollment tokens. */
const cliToken = alphanumericToken('', 32);

/**
 * Network devices (a printer, a server): an admin adds one to one location with addresses of
 * their choosing, checked as `add_network_device` checks them. They live in that location only.
 */
export function networkDeviceHandlers(state: DefguardState): Handlers<operations> {
  const networkDeviceNotFound = (id: number) => notFound(`Network device with ID ${id} not found`);

  /** Addresses an admin chose for a network device, checked as `add_network_device` does. */
  const checkedIps = (n: WireguardNetwork, texts: string[], name: string): { ips: string[] } | { error: string } => {
    const ips: string[] = [];
    for (const text of texts) {
      const canonical = canonicalIp(text);
      if (!canonical) return { error: `Failed to add network device ${name}, invalid IP address: invalid IP address syntax` };
      const problem = assignProblem(state, n, canonical);
      if (problem) return { error: problem.msg };
      ips.push(canonical);
    }
    return { ips };
  };

  return {
    listNetworkDevices: ({ query }) => {
      const all = [...state.devices.values()].filter((d) => d.device_type === 'network').sort((a, b) => a.name.localeCompare(b.name));
      const p = page(all, query);
      // Like the server, a device whose location is gone is left out of the page but still counted.
      return { status: 200, body: { data: p.data.flatMap((d) => networkDeviceInfo(state, d) ?? []), pagination: p.pagination } };
    },
    getNetworkDevice: ({ params }) => {
      const d = state.devices.get(Number(params.device_id));
      const info = d?.device_type === 'network' ? networkDeviceInfo(state, d) : undefined;
      return info ? { status: 200, body: info } : networkDeviceNotFound(Number(params.device_id));
    },
    addNetworkDevice: ({ body, credential }) => {
      const who = caller(state, credential);
      if (!who.user) return { status: 401, body: { msg: 'Session is required' } };
      const n = state.networks.get(body.location_id);
      if (!n) return badRequest('Failed to add device, network not found');
      const keyProblem = pubkeyProblem(state, body.name, body.wireguard_pubkey);
      if (keyProblem) return badRequest(keyProblem);
      const ips = checkedIps(n, body.assigned_ips, body.name);
      if ('error' in ips) return badRequest(ips.error);
      const d: StoredDevice = {
        id: state.nextDeviceId++,
        name: body.name,
        wireguard_pubkey: body.wireguard_pubkey,
        user_id: who.user.id,
        created: now(),
        device_type: 'network',
        description: body.description ?? null,
        configured: true,
        addresses: [{ network_id: n.id, wireguard_ips: ips.ips }],
      };
      state.devices.set(d.id, d);
      return { status: 201, body: { config: deviceConfig(n, ips.ips), device: networkDeviceInfo(state, d)! } };
    },
    // `start_network_device_setup`: the device is reserved unconfigured (no key yet: the CLI sends it
    // when it redeems the token), with the admin's chosen addresses, and the answer is a token for
    // the Defguard CLI. Until the CLI finishes it has no key and takes no part in statistics.
    startNetworkDeviceSetup: ({ body, credential }) => {
      const who = caller(state, credential);
      if (!who.user) return { status: 401, body: { msg: 'Session is required' } };
      const n = state.networks.get(body.location_id);
      if (!n) return badRequest('Failed to add device, network not found');
      const ips = checkedIps(n, body.assigned_ips, body.name);
      if ('error' in ips) return badRequest(ips.error);
      const d: StoredDevice = {
        id: state.nextDeviceId++,
        name: body.name,
        wireguard_pubkey: 'NOT_CONFIGURED',
        user_id: who.user.id,
        created: now(),
        device_type: 'network',
        description: body.description ?? null,
        configured: false,
        addresses: [{ network_id: n.id, wireguard_ips: ips.ips }],
      };
      state.devices.set(d.id, d);
      return { status: 201, body: { enrollment_token: cliToken(), enrollment_url: ENROLLMENT_URL } };
    },
    // A new token for a network device already added (its setup not finished, or to be redone).
    // An unknown device or a user device is a 400, as the server answers.
    startNetworkDeviceSetupForDevice: ({ params }) => {
      const id = Number(params.device_id);
      const d = state.devices.get(id);
      if (!d) return badRequest(`Failed to start network device setup for device with ID ${id}, device not found`);
      if (d.device_type !== 'network') return badRequest(`Failed to start network device setup for a choosen device ${d.name}, device is not a network device, device type: User`);
      return { status: 201, body: { enrollment_token: cliToken(), enrollment_url: ENROLLMENT_URL } };
    },
    // `network_device_configs`: unlike the other network-device routes any user may call it, for a
    // device they added (admins: any device), and it answers the device's one location, MFA or
    // not — the same location its details show. The server does not check the device type.
    networkDeviceConfigs: (req) => {
      const { params } = req;
      const d = deviceFor(state, Number(params.device_id), req);
      if (!d) return deviceNotFound(Number(params.device_id));
      const a = d.addresses[0];
      const n = a && state.networks.get(a.network_id);
      return { status: 200, body: a && n ? [wireGuardConfig(n, a.wireguard_ips)] : [] };
    },
    modifyNetworkDevice: ({ params, body }) => {
      const id = Number(params.device_id);
      const d = state.devices.get(id);
      if (!d) return notFound(`Device ${id} not found`);
      const a = d.addresses[0];
      const n = a && state.networks.get(a.network_id);
      if (!a || !n) return notFound(`Device ${id} not found in any network`);
      const wanted = body.assigned_ips.flatMap((ip) => canonicalIp(ip) ?? []);
      // The server reads `assigned_ips` as addresses while deserialising the body: a plain-text 422.
      if (wanted.length < body.assigned_ips.length) return { status: 422, body: 'Failed to deserialize the JSON body into the target type: assigned_ips: invalid IP address syntax' };
      if (wanted.join() !== a.wireguard_ips.join()) {
        const problem = wanted.map((ip) => assignProblem(state, n, ip, d.id)).find(Boolean);
        if (problem) return badRequest(problem.msg);
        a.wireguard_ips = wanted;
      }
      Object.assign(d, { name: body.name, description: body.description ?? null });
      return { status: 200, body: networkDeviceInfo(state, d)! };
    },
  };
}
