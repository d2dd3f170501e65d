import type { components, operations } from '../../generated/defguard.ts';
import type { Handlers } from '../kit/types.ts';
import { destinationProblem, normalized, unprocessable } from './acl-syntax.ts';
import type { AclAlias, DefguardState } from './model.ts';
import { byId } from './state.ts';
import { badRequest, notFound } from './views.ts';

type EditAclAlias = components['schemas']['EditAclAlias'];

/** The rules that use an alias or destination: derived from the rules, as Defguard joins them. */
export const rulesUsing = (state: DefguardState, id: number, field: 'aliases' | 'destinations') =>
  byId(state.aclRules.values())
    .filter((r) => r[field].includes(id))
    .map((r) => r.id);

/**
 * ACL aliases (kind `Component`): named address, port and protocol sets that rules add to their
 * destination. A new alias is `Applied` (the only other state, `Modified`, marks a pending edit);
 * editing an applied one marks it `Modified` in place, where Defguard stores the edit as a second
 * record with `parent_id` (enterprise/handlers/acl/alias.rs). One in use by a rule cannot go.
 */
export function aclAliasHandlers(state: DefguardState): Handlers<operations> {
  const aliases = state.aclAliases;
  const aliasNotFound = (id: number) => notFound(`Alias ${id} not found`);
  const view = (a: AclAlias): AclAlias => ({ ...a, rules: rulesUsing(state, a.id, 'aliases') });
  const fields = (d: EditAclAlias) => ({ name: d.name, addresses: normalized(d.addresses), ports: normalized(d.ports), protocols: [...d.protocols] });
  return {
    listAclAliases: () => ({ status: 200, body: byId(aliases.values()).map(view) }),
    getAclAlias: ({ params }) => {
      const a = aliases.get(Number(params.id));
      return a ? { status: 200, body: view(a) } : aliasNotFound(Number(params.id));
    },
    createAclAlias: ({ body }) => {
      const p = destinationProblem(body);
      if (p) return unprocessable(p);
      const a: AclAlias = { id: state.nextIds.aclAliases++, parent_id: null, kind: 'Component', state: 'Applied', rules: [], ...fields(body) };
      aliases.set(a.id, a);
      return { status: 201, body: view(a) };
    },
    updateAclAlias: ({ params, body }) => {
      const a = aliases.get(Number(params.id));
      if (!a) return aliasNotFound(Number(params.id));
      const p = destinationProblem(body);
      if (p) return unprocessable(p);
      Object.assign(a, fields(body), { state: 'Modified' });
      return { status: 200, body: view(a) };
    },
    deleteAclAlias: ({ params }) => {
      const a = aliases.get(Number(params.id));
      if (!a) return aliasNotFound(Number(params.id));
      if (rulesUsing(state, a.id, 'aliases').length > 0) return badRequest(`Alias ${a.id} is used by some existing ACL rules`);
      aliases.delete(a.id);
      return { status: 200, body: null };
    },
  };
}
