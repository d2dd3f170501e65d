import type { operations } from '../../generated/defguard.ts';
import type { Handlers } from '../kit/types.ts';
import { addressesIn, assignProblem } from './addresses.ts';
import { canonicalIp } from './ip.ts';
import type { DefguardState } from './model.ts';
import { badRequest } from './views.ts';

/** The plain-text 422 axum answers when an address in the body does not deserialise into an `IpAddr`. */
const badAddress = { status: 422 as const, body: 'Failed to deserialize the JSON body into the target type: invalid IP address syntax' };

/**
 * Static addresses (handlers/static_ips.rs, crates/defguard_static_ip): an admin pins a device's
 * addresses in a location, checked as any chosen address is (`can_assign_ips`, addresses.ts). The
 * username in the path is not read by the server: the device and location in the body decide.
 * Assignments are all or nothing (one transaction).
 */
export function staticIpHandlers(state: DefguardState): Handlers<operations> {
  return {
    assignStaticIps: ({ body }) => {
      // Applied in order, each checked against what the earlier ones changed; a refusal puts back
      // every address the request had changed (the transaction is rolled back).
      const undo: { row: { wireguard_ips: string[] }; ips: string[] }[] = [];
      const refuse = <R>(reply: R) => {
        for (const u of undo.reverse()) u.row.wireguard_ips = u.ips;
        return reply;
      };
      for (const a of body) {
        const ips = a.ips.map((ip) => canonicalIp(ip));
        if (ips.some((ip) => ip === undefined)) return refuse(badAddress);
        const n = state.networks.get(a.location_id);
        if (!n) return refuse(badRequest(`Network (location) with ID ${a.location_id} not found`));
        const d = state.devices.get(a.device_id);
        const row = d && addressesIn(d, n.id);
        if (!d || !row) return refuse(badRequest(`Device ${a.device_id} is not assigned to network ${a.location_id}`));
        const problem = ips.map((ip) => assignProblem(state, n, ip!, d.id)).find(Boolean);
        if (problem) return refuse(badRequest(problem.msg));
        undo.push({ row, ips: row.wireguard_ips });
        row.wireguard_ips = ips as string[];
      }
      return { status: 200, body: { message: 'Static IPs assigned successfully' } };
    },
    // Unlike an assignment, validation does not ask whether the device is in the location.
    validateIpAssignment: ({ body }) => {
      const ip = canonicalIp(body.ip);
      if (!ip) return badAddress;
      const n = state.networks.get(body.location);
      if (!n) return badRequest(`Network (location) with ID ${body.location} not found`);
      const problem = assignProblem(state, n, ip, body.device_id);
      return problem ? badRequest(problem.msg) : { status: 200, body: { message: 'IP assignment is valid' } };
    },
  };
}
