import type { components, operations } from '../../generated/defguard.ts';
import type { Handlers } from '../kit/types.ts';
import { aclComponentCrud } from './acl-components.ts';
import { normalized } from './acl-syntax.ts';
import type { AclDestination, DefguardState } from './model.ts';

type EditAclDestination = components['schemas']['EditAclDestination'];

/**
 * ACL destinations (aliases of kind `Destination`): a whole destination, addresses, ports and
 * protocols or "any" of each, that rules pick. States and in-use checks as for aliases
 * (mocks/defguard/acl-aliases.ts); they share the alias table's ids.
 */
export function aclDestinationHandlers(state: DefguardState): Handlers<operations> {
  const crud = aclComponentCrud<AclDestination, EditAclDestination>(state, {
    records: state.aclDestinations,
    label: 'Destination',
    usedBy: 'destinations',
    create: (id, d) => ({ id, parent_id: null, kind: 'Destination', state: 'Applied', rules: [], ...fields(d) }),
    fields,
  });
  return {
    listAclDestinations: crud.list,
    getAclDestination: crud.get,
    createAclDestination: crud.create,
    updateAclDestination: crud.update,
    deleteAclDestination: crud.remove,
    countAclDestinations: crud.count,
    applyAclDestinations: ({ body }) => crud.apply(body.destinations),
  };
}

const fields = (d: EditAclDestination) => ({
  name: d.name,
  addresses: normalized(d.addresses),
  ports: normalized(d.ports),
  protocols: [...d.protocols],
  any_address: d.any_address,
  any_port: d.any_port,
  any_protocol: d.any_protocol,
});
