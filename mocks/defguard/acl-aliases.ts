import type { components, operations } from '../../generated/defguard.ts';
import type { Handlers } from '../kit/types.ts';
import { aclComponentCrud } from './acl-components.ts';
import { normalized } from './acl-syntax.ts';
import type { AclAlias, DefguardState } from './model.ts';

type EditAclAlias = components['schemas']['EditAclAlias'];

/**
 * ACL aliases (kind `Component`): named address, port and protocol sets that rules add to their
 * destination. A new alias is `Applied` (the only other state, `Modified`, marks a pending edit);
 * editing an applied one marks it `Modified` in place, where Defguard stores the edit as a second
 * record with `parent_id` (enterprise/handlers/acl/alias.rs). One in use by a rule cannot go.
 */
export function aclAliasHandlers(state: DefguardState): Handlers<operations> {
  const crud = aclComponentCrud<AclAlias, EditAclAlias>(state, {
    records: state.aclAliases,
    label: 'Alias',
    usedBy: 'aliases',
    create: (id, d) => ({ id, parent_id: null, kind: 'Component', state: 'Applied', rules: [], ...fields(d) }),
    fields,
  });
  return {
    listAclAliases: crud.list,
    getAclAlias: crud.get,
    createAclAlias: crud.create,
    updateAclAlias: crud.update,
    deleteAclAlias: crud.remove,
    countAclAliases: crud.count,
    applyAclAliases: ({ body }) => crud.apply(body.aliases),
  };
}

const fields = (d: EditAclAlias) => ({ name: d.name, addresses: normalized(d.addresses), ports: normalized(d.ports), protocols: [...d.protocols] });
