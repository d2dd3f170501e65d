import { randomBytes } from 'node:crypto';
import type { operations } from '../../generated/defguard.ts';
import type { Handlers } from '../kit/types.ts';
import { now } from './devices.ts';
import type { DefguardState, Gateway } from './model.ts';
import { badRequest, caller, gatewaysOf } from './views.ts';

// Detail, change and delete answer an unknown proxy or gateway detail with a bare JSON `null`
// (handlers/proxy.rs, gateway.rs); gateway changes and deletes answer `{msg}` instead.
const NULL_NOT_FOUND = { status: 404 as const, body: null };

/** The version a simulated gateway reports during adoption (invented: no gateway is contacted). */
export const SIMULATED_GATEWAY_VERSION = '2.0.0';

/** The steps of `perform_gateway_adoption`, in order (handlers/component_setup.rs `SetupStep`). */
const STEPS = ['CheckingConfiguration', 'CheckingAvailability', 'CheckingVersion', 'ObtainingCsr', 'SigningCertificate', 'ConfiguringTls'] as const;

/** `strip_scheme`: the address may be given as a URL; only its host part is kept. */
const stripScheme = (s: string) => s.replace(/^https?:\/\//, '');

/**
 * `validate_host_only`: a bare host name or address, no port, path, query or fragment. The URL
 * parser decides, as the server's `Url::parse` of `http://{host}/` does.
 */
function hostProblem(host: string): string | undefined {
  let url: URL;
  try {
    url = new URL(`http://${host}/`);
  } catch {
    return `'${host}' is not a valid hostname or IP address`;
  }
  if (!url.hostname) return `'${host}' is not a valid hostname or IP address`;
  if (url.port) return `'${host}' must not include a port; provide the port in the grpc_port field`;
  if (url.pathname !== '/') return `'${host}' must not include a path component`;
  if (url.search) return `'${host}' must not include a query string`;
  if (url.hash) return `'${host}' must not include a fragment`;
  return undefined;
}

/** `YYYY-MM-DDTHH:MM:SS` a number of days from now, as the certificates' expiry dates are stored. */
const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 19);

/**
 * Edge proxies and gateways. Both are registered by their setup flows; proxies only by the proxy
 * setup stream (not modelled), so the mock's proxies come from the seed. A gateway is adopted into
 * a location (the REST route or the setup event stream): the mock plays a reachable gateway that
 * sends a certificate request, so adoption succeeds unless the server's own checks refuse it.
 * Gateways go when their location goes (`gateway.location_id` cascades).
 */
export function gatewayHandlers(state: DefguardState): Handlers<operations> {
  const fullName = (credential: Parameters<typeof caller>[1]) => {
    const u = caller(state, credential).user;
    return u ? `${u.first_name} ${u.last_name}` : '';
  };

  /** `perform_gateway_adoption`: the new gateway, or why not, with the steps reached before. */
  function adopt(locationId: number, name: string, hostRaw: string, port: number, modifiedBy: string): { steps: string[]; gateway?: Gateway; error?: string } {
    const host = stripScheme(hostRaw);
    const problem = hostProblem(host);
    if (problem) return { steps: [], error: problem };
    if (port === 0) return { steps: [], error: 'grpc_port must not be 0' };
    const steps: string[] = [STEPS[0]];
    const taken = [...state.gateways.values()].find((g) => g.address === host && g.port === port);
    if (taken) return { steps, error: `A Gateway with URL ${host}:${port} is already registered with name "${taken.name}".` };
    // The server fails when it saves the gateway (the location is a foreign key); the mock says so
    // at once, with its own wording.
    if (!state.networks.has(locationId)) return { steps, error: `Failed to save Gateway to database: location ${locationId} does not exist` };
    steps.push(...STEPS.slice(1));
    const at = now();
    const gateway: Gateway = {
      id: state.nextComponentIds.gateways++,
      location_id: locationId,
      name,
      address: host,
      port,
      // A freshly adopted gateway restarts with its certificate and has not connected yet.
      connected_at: null,
      disconnected_at: null,
      // The serial is random hex, as a signed certificate's; the validity periods are the mock's own.
      certificate_serial: randomBytes(16).toString('hex'),
      certificate_expiry: daysFromNow(365),
      version: null,
      enabled: true,
      modified_at: at,
      modified_by: modifiedBy,
      core_client_cert_expiry: daysFromNow(365),
    };
    state.gateways.set(gateway.id, gateway);
    return { steps, gateway };
  }

  /** One server-sent event as axum writes it: `SetupResponse` flattened, JSON in `data`. */
  const event = (step: string, extra: { version?: string; message?: string; error?: boolean } = {}) =>
    `data: ${JSON.stringify({ step, version: extra.version ?? null, message: extra.message ?? null, logs: null, error: extra.error ?? false })}\n\n`;

  return {
    proxyList: () => ({ status: 200, body: [...state.proxies.values()].sort((a, b) => a.id - b.id).map(({ core_client_cert_expiry: _e, ...info }) => info) }),
    proxyDetails: ({ params }) => {
      const p = state.proxies.get(Number(params.proxy_id));
      return p ? { status: 200, body: p } : NULL_NOT_FOUND;
    },
    updateProxy: ({ params, body, credential }) => {
      const p = state.proxies.get(Number(params.proxy_id));
      if (!p) return NULL_NOT_FOUND;
      // Unlike gateways, a proxy records who changed it (the admin's full name) and when.
      Object.assign(p, { name: body.name, enabled: body.enabled, modified_by: fullName(credential), modified_at: now() });
      return { status: 200, body: p };
    },
    deleteProxy: ({ params }) => (state.proxies.delete(Number(params.proxy_id)) ? { status: 200, body: null } : NULL_NOT_FOUND),

    gatewayList: () => ({ status: 200, body: gatewaysOf(state) }),
    allGatewaysStatus: () => ({ status: 200, body: gatewaysOf(state) }),
    // An unknown location has no gateways: the server's query answers an empty list.
    gatewayStatus: ({ params }) => ({ status: 200, body: gatewaysOf(state, Number(params.network_id)) }),
    gatewayDetails: ({ params }) => {
      const g = state.gateways.get(Number(params.gateway_id));
      return g ? { status: 200, body: g } : NULL_NOT_FOUND;
    },
    updateGateway: ({ params, body }) => {
      const id = Number(params.gateway_id);
      const g = state.gateways.get(id);
      if (!g) return { status: 404, body: { msg: `Gateway ${id} not found` } };
      // `update_gateway` sets the two fields only: `modified_at`/`modified_by` stay as they were.
      Object.assign(g, { name: body.name, enabled: body.enabled });
      return { status: 200, body: g };
    },
    deleteGateway: ({ params }) => {
      const id = Number(params.gateway_id);
      return state.gateways.delete(id) ? { status: 200, body: null } : { status: 404, body: { msg: `Gateway ${id} not found` } };
    },
    adoptGateway: ({ params, body, credential }) => {
      const result = adopt(Number(params.network_id), body.name, body.ip_or_domain, body.grpc_port, fullName(credential));
      return result.gateway ? { status: 201, body: result.gateway } : badRequest(result.error!);
    },
    // The stream the web UI follows while a gateway is set up: one event per step reached, the
    // gateway's version after the availability check, then `Done`, or an error event at the step
    // that failed. The stream ends there (the server's does too once the adoption task is over).
    setupGatewayTlsStream: ({ params, query, credential }) => {
      const result = adopt(Number(params.network_id), query.common_name, query.ip_or_domain, Number(query.grpc_port), fullName(credential));
      const events = result.steps.map((step) => event(step));
      if (result.steps.includes('CheckingVersion')) events.splice(result.steps.indexOf('CheckingVersion') + 1, 0, event('CheckingVersion', { version: SIMULATED_GATEWAY_VERSION }));
      events.push(result.gateway ? event('Done') : event(result.steps.at(-1) ?? 'CheckingConfiguration', { message: result.error, error: true }));
      return { status: 200, body: events.join('') };
    },
  };
}
