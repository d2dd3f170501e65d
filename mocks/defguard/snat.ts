import type { operations } from '../../generated/defguard.ts';
import type { Handlers } from '../kit/types.ts';
import { canonicalIp } from './ip.ts';
import type { DefguardState, UserSnatBinding } from './model.ts';
import { notFound } from './views.ts';

/** The plain-text 422 axum answers when `public_ip` does not deserialise into an `IpAddr`. */
const badAddress = (field: string) => ({ status: 422 as const, body: `Failed to deserialize the JSON body into the target type: ${field}: invalid IP address syntax` });

/**
 * SNAT bindings (enterprise/snat/handlers.rs): a user's fixed public source address in a location,
 * one per user and location, addressed by the pair. The location and then the user are looked up
 * first (404 each), then the binding. They go with their location or user (both cascade).
 * Sending the firewall update to the location's gateways is not modelled.
 */
export function snatHandlers(state: DefguardState): Handlers<operations> {
  const userById = (id: number) => [...state.users.values()].find((u) => u.id === id);
  /** The location and user a request names, or the 404 for the first that does not exist. */
  const lookup = (locationId: number, userId: number) => {
    if (!state.networks.has(locationId)) return notFound(`Location ${locationId} not found`);
    if (!userById(userId)) return notFound(`User ${userId} not found`);
    return undefined;
  };
  const find = (locationId: number, userId: number) => [...state.snatBindings.values()].find((b) => b.location_id === locationId && b.user_id === userId);
  const BINDING_NOT_FOUND = notFound('Binding not found');

  return {
    listSnatBindings: ({ params }) => {
      const id = Number(params.location_id);
      if (!state.networks.has(id)) return notFound(`Location ${id} not found`);
      return { status: 200, body: [...state.snatBindings.values()].filter((b) => b.location_id === id).sort((a, b) => a.id - b.id) };
    },
    createSnatBinding: ({ params, body }) => {
      const locationId = Number(params.location_id);
      const ip = canonicalIp(body.public_ip);
      if (!ip) return badAddress('public_ip');
      const missing = lookup(locationId, body.user_id);
      if (missing) return missing;
      // The `user_location` unique constraint.
      if (find(locationId, body.user_id)) return { status: 409, body: { msg: 'Binding already exists' } };
      const b: UserSnatBinding = { id: state.nextComponentIds.snatBindings++, user_id: body.user_id, location_id: locationId, public_ip: ip };
      state.snatBindings.set(b.id, b);
      return { status: 201, body: b };
    },
    modifySnatBinding: ({ params, body }) => {
      const ip = canonicalIp(body.public_ip);
      if (!ip) return badAddress('public_ip');
      const missing = lookup(Number(params.location_id), Number(params.user_id));
      if (missing) return missing;
      const b = find(Number(params.location_id), Number(params.user_id));
      if (!b) return BINDING_NOT_FOUND;
      b.public_ip = ip;
      return { status: 200, body: b };
    },
    deleteSnatBinding: ({ params }) => {
      const missing = lookup(Number(params.location_id), Number(params.user_id));
      if (missing) return missing;
      const b = find(Number(params.location_id), Number(params.user_id));
      if (!b) return BINDING_NOT_FOUND;
      state.snatBindings.delete(b.id);
      return { status: 200, body: null };
    },
  };
}
