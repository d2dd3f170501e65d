import type { components, operations } from '../../generated/defguard.ts';
import type { Handlers } from '../kit/types.ts';
import { destinationProblem, naiveNow, normalized, unprocessable } from './acl-syntax.ts';
import type { AclRule, DefguardState } from './model.ts';
import { byId } from './state.ts';
import { badRequest, caller, notFound, page } from './views.ts';

type EditAclRule = components['schemas']['EditAclRule'];

/** The fields a request sets (Defguard's `EditAclRule`), with the destination text as the server writes it back. */
const fields = (d: EditAclRule): Omit<AclRule, 'id' | 'parent_id' | 'state' | 'modified_at' | 'modified_by'> => ({
  name: d.name,
  all_locations: d.all_locations,
  locations: [...d.locations],
  expires: d.expires ?? null,
  enabled: d.enabled,
  allow_all_users: d.allow_all_users,
  deny_all_users: d.deny_all_users,
  allow_all_groups: d.allow_all_groups,
  deny_all_groups: d.deny_all_groups,
  allow_all_network_devices: d.allow_all_network_devices,
  deny_all_network_devices: d.deny_all_network_devices,
  allowed_users: [...d.allowed_users],
  denied_users: [...d.denied_users],
  allowed_groups: [...d.allowed_groups],
  denied_groups: [...d.denied_groups],
  allowed_network_devices: [...d.allowed_network_devices],
  denied_network_devices: [...d.denied_network_devices],
  use_manual_destination_settings: d.use_manual_destination_settings,
  addresses: normalized(d.addresses),
  ports: normalized(d.ports),
  protocols: [...d.protocols],
  any_address: d.any_address,
  any_port: d.any_port,
  any_protocol: d.any_protocol,
  aliases: [...d.aliases],
  destinations: [...d.destinations],
});

/**
 * ACL rules. A new rule is `New` until applied; editing an applied rule marks it `Modified`.
 * Defguard keeps such a pending edit as a second record pointing at the applied one (`parent_id`)
 * and deletes an applied rule only once the deletion is applied; the mock keeps one record per id
 * and changes or removes it at once, so a rule reads back as last written. Applying rules to
 * gateways is not modelled.
 */
export function aclRuleHandlers(state: DefguardState): Handlers<operations> {
  const rules = state.aclRules;
  const ruleNotFound = (id: number) => notFound(`Rule ${id} not found`);

  /**
   * What the server refuses: no allowed source at all (`EditAclRule::validate`, 400); destination
   * text it cannot read, or aliases and destinations that do not exist (`InvalidRelationError`), 422.
   */
  function problem(d: EditAclRule) {
    if (!(d.allow_all_users || d.allow_all_groups || d.allow_all_network_devices || d.allowed_users.length || d.allowed_groups.length || d.allowed_network_devices.length)) {
      return badRequest('Must provide some allowed users, groups or devices');
    }
    const related = d.aliases.every((id) => state.aclAliases.has(id)) && d.destinations.every((id) => state.aclDestinations.has(id));
    if (!related) return unprocessable('Unprocessable entity');
    const text = destinationProblem(d);
    return text ? unprocessable(text) : undefined;
  }

  return {
    listAclRules: ({ query }) => ({ status: 200, body: page(byId(rules.values()), query) }),
    getAclRule: ({ params }) => {
      const r = rules.get(Number(params.id));
      return r ? { status: 200, body: r } : ruleNotFound(Number(params.id));
    },
    createAclRule: ({ body, credential }) => {
      const p = problem(body);
      if (p) return p;
      const r: AclRule = { id: state.nextIds.aclRules++, parent_id: null, state: 'New', modified_at: naiveNow(), modified_by: caller(state, credential).user?.username ?? '', ...fields(body) };
      rules.set(r.id, r);
      return { status: 201, body: r };
    },
    updateAclRule: ({ params, body, credential }) => {
      const r = rules.get(Number(params.id));
      if (!r) return ruleNotFound(Number(params.id));
      const p = problem(body);
      if (p) return p;
      Object.assign(r, fields(body), { state: r.state === 'New' ? 'New' : 'Modified', modified_at: naiveNow(), modified_by: caller(state, credential).user?.username ?? '' });
      return { status: 200, body: r };
    },
    // Pending: new, modified or marked for deletion; expired rules count as neither.
    countAclRules: () => {
      const all = [...rules.values()];
      return { status: 200, body: { applied: all.filter((r) => r.state === 'Applied').length, pending: all.filter((r) => ['New', 'Modified', 'Deleted'].includes(r.state)).length } };
    },
    // `AclRule::apply_rules`, one transaction: new and modified rules become applied (stamped with
    // the admin), rules marked for deletion go; an unknown rule (404) or one already applied or
    // expired (400, a repeated id included) applies none. Firewall updates to gateways are not modelled.
    applyAclRules: ({ body, credential }) => {
      const seen = new Set<number>();
      for (const id of body.rules) {
        const r = rules.get(id);
        if (!r) return ruleNotFound(id);
        if (r.state === 'Applied' || r.state === 'Expired' || seen.has(id)) return badRequest(`Rule ${id} already applied`);
        seen.add(id);
      }
      const actor = caller(state, credential).user?.username ?? '';
      for (const id of seen) {
        const r = rules.get(id)!;
        if (r.state === 'Deleted') rules.delete(id);
        else Object.assign(r, { state: 'Applied', parent_id: null, modified_at: naiveNow(), modified_by: actor });
      }
      return { status: 200, body: null };
    },
    deleteAclRule: ({ params }) => (rules.delete(Number(params.id)) ? { status: 200, body: null } : ruleNotFound(Number(params.id))),
  };
}
