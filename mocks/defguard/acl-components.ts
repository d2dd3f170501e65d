import type { DefguardState } from './model.ts';
import { destinationProblem, unprocessable } from './acl-syntax.ts';
import { byId } from './state.ts';
import { badRequest, notFound } from './views.ts';

/** What aliases and destinations have in common: an id from the one alias table, a state, the rules using them. */
interface ComponentRecord {
  id: number;
  state: string;
  rules: number[];
}

/** The rules that use an alias or destination: derived from the rules, as Defguard joins them. */
export const rulesUsing = (state: DefguardState, id: number, field: 'aliases' | 'destinations') =>
  byId(state.aclRules.values())
    .filter((r) => r[field].includes(id))
    .map((r) => r.id);

/**
 * List, read, create, update and delete for one kind of ACL component (aliases, destinations):
 * the two live in Defguard's one alias table and behave alike. A new record is `Applied`; editing
 * marks it `Modified` in place, where Defguard stores the edit as a second record with `parent_id`
 * (enterprise/handlers/acl/alias.rs); one a rule still uses cannot be deleted.
 */
export function aclComponentCrud<R extends ComponentRecord, E extends { addresses: string; ports: string }>(
  state: DefguardState,
  spec: {
    records: Map<number, R>;
    /** `Alias`, `Destination`: as the server's messages name them. */
    label: string;
    usedBy: 'aliases' | 'destinations';
    /** The record a creation makes, with the new id. */
    create: (id: number, edit: E) => R;
    /** The fields an edit sets. */
    fields: (edit: E) => Partial<R>;
  },
) {
  const { records, label, usedBy } = spec;
  const missing = (id: number) => notFound(`${label} ${id} not found`);
  const view = (r: R): R => ({ ...r, rules: rulesUsing(state, r.id, usedBy) });
  return {
    list: () => ({ status: 200 as const, body: byId(records.values()).map(view) }),
    get: ({ params }: { params: { id: number } }) => {
      const r = records.get(Number(params.id));
      return r ? { status: 200 as const, body: view(r) } : missing(Number(params.id));
    },
    create: ({ body }: { body: E }) => {
      const p = destinationProblem(body);
      if (p) return unprocessable(p);
      const r = spec.create(state.nextIds.aclAliases++, body);
      records.set(r.id, r);
      return { status: 201 as const, body: view(r) };
    },
    update: ({ params, body }: { params: { id: number }; body: E }) => {
      const r = records.get(Number(params.id));
      if (!r) return missing(Number(params.id));
      const p = destinationProblem(body);
      if (p) return unprocessable(p);
      Object.assign(r, spec.fields(body), { state: 'Modified' });
      return { status: 200 as const, body: view(r) };
    },
    /** `count_acl_aliases` / `count_acl_destinations`: applied ones, and pending edits (`Modified`). */
    count: () => {
      const all = [...records.values()];
      return { status: 200 as const, body: { applied: all.filter((r) => r.state === 'Applied').length, pending: all.filter((r) => r.state === 'Modified').length } };
    },
    /**
     * `apply_by_kind`: each listed record's pending edit becomes the applied one. One transaction:
     * an unknown id (404) or one already applied (400, a repeated id included) applies none.
     */
    apply: (ids: number[]) => {
      const seen = new Set<number>();
      for (const id of ids) {
        const r = records.get(id);
        if (!r) return missing(id);
        if (r.state !== 'Modified' || seen.has(id)) return badRequest(`${label} ${id} already applied`);
        seen.add(id);
      }
      for (const id of seen) records.get(id)!.state = 'Applied';
      return { status: 200 as const, body: null };
    },
    remove: ({ params }: { params: { id: number } }) => {
      const r = records.get(Number(params.id));
      if (!r) return missing(Number(params.id));
      if (rulesUsing(state, r.id, usedBy).length > 0) return badRequest(`${label} ${r.id} is used by some existing ACL rules`);
      records.delete(r.id);
      return { status: 200 as const, body: null };
    },
  };
}
