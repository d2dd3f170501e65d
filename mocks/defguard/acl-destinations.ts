import type { components, operations } from '../../generated/defguard.ts';
import type { Handlers } from '../kit/types.ts';
import { rulesUsing } from './acl-aliases.ts';
import { destinationProblem, normalized, unprocessable } from './acl-syntax.ts';
import type { AclDestination, DefguardState } from './model.ts';
import { byId } from './state.ts';
import { badRequest, notFound } from './views.ts';

type EditAclDestination = components['schemas']['EditAclDestination'];

/**
 * ACL destinations (aliases of kind `Destination`): a whole destination, addresses, ports and
 * protocols or "any" of each, that rules pick. States and in-use checks as for aliases
 * (mocks/defguard/acl-aliases.ts); they share the alias table's ids.
 */
export function aclDestinationHandlers(state: DefguardState): Handlers<operations> {
  const destinations = state.aclDestinations;
  const destinationNotFound = (id: number) => notFound(`Destination ${id} not found`);
  const view = (d: AclDestination): AclDestination => ({ ...d, rules: rulesUsing(state, d.id, 'destinations') });
  const fields = (d: EditAclDestination) => ({
    name: d.name,
    addresses: normalized(d.addresses),
    ports: normalized(d.ports),
    protocols: [...d.protocols],
    any_address: d.any_address,
    any_port: d.any_port,
    any_protocol: d.any_protocol,
  });
  return {
    listAclDestinations: () => ({ status: 200, body: byId(destinations.values()).map(view) }),
    getAclDestination: ({ params }) => {
      const d = destinations.get(Number(params.id));
      return d ? { status: 200, body: view(d) } : destinationNotFound(Number(params.id));
    },
    createAclDestination: ({ body }) => {
      const p = destinationProblem(body);
      if (p) return unprocessable(p);
      const d: AclDestination = { id: state.nextIds.aclAliases++, parent_id: null, kind: 'Destination', state: 'Applied', rules: [], ...fields(body) };
      destinations.set(d.id, d);
      return { status: 201, body: view(d) };
    },
    updateAclDestination: ({ params, body }) => {
      const d = destinations.get(Number(params.id));
      if (!d) return destinationNotFound(Number(params.id));
      const p = destinationProblem(body);
      if (p) return unprocessable(p);
      Object.assign(d, fields(body), { state: 'Modified' });
      return { status: 200, body: view(d) };
    },
    deleteAclDestination: ({ params }) => {
      const d = destinations.get(Number(params.id));
      if (!d) return destinationNotFound(Number(params.id));
      if (rulesUsing(state, d.id, 'destinations').length > 0) return badRequest(`Destination ${d.id} is used by some existing ACL rules`);
      destinations.delete(d.id);
      return { status: 200, body: null };
    },
  };
}
