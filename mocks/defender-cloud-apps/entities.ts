import type { components, operations } from '../../generated/defender-cloud-apps.ts';
import type { Handlers } from '../kit/types.ts';
import { applyFilters, decodeEntityPk, type EntityPk, type FieldTable, pageOf, readPath, sortRecords } from './filters.ts';
import { NOT_FOUND, type CloudAppsState, type Entity } from './state.ts';

const ENTITY_TYPE_NAMES: Record<string, string> = { '1': 'user', '2': 'account' };

const entityPk = (e: Entity): EntityPk => ({ id: String(e.id), saas: Number(readPath(e, 'appData.saas')), inst: Number(readPath(e, 'appData.instance')) });

/** Which entity value each documented entity filter field reads (`parentUser` is this mock's name, see seed.yaml). */
const ENTITY_FIELDS: FieldTable<Entity> = {
  // Type values are not documented: the record's number (1, 2) and the names `user`/`account` both match.
  type: (e) => [e.type, ENTITY_TYPE_NAMES[String(e.type)]],
  isAdmin: (e) => e.isAdmin,
  // Picking a user also picks its accounts.
  entity: (e) => [entityPk(e), e.parentUser],
  userGroups: (e) => ((e.userGroups as Array<Record<string, unknown>> | undefined) ?? []).map((g) => g.id),
  app: (e) => [readPath(e, 'appData.appId'), ...((e.subApps as unknown[] | undefined) ?? [])],
  instance: (e) => readPath(e, 'appData.instance'),
  isExternal: (e) => e.isExternal,
  domain: (e) => e.domain,
  organization: (e) => e.organization,
  status: (e) => e.status,
};

/** The entity a fetch-entity key names: base64 of `{"id", "saas", "inst"}`, or a plain record `_id` (the pre-2020 form). */
function findEntity(state: CloudAppsState, key: string, pk: EntityPk | undefined): Entity | undefined {
  if (!pk) return state.entities.find((x) => String(x._id) === key);
  return state.entities.find(
    (x) => String(x.id) === pk.id && (pk.saas === undefined || Number(readPath(x, 'appData.saas')) === pk.saas) && (pk.inst === undefined || Number(readPath(x, 'appData.instance')) === pk.inst),
  );
}

const isUser = (e: Entity) => String(e.type) === '1';
const parentKey = (e: Entity) => e.parentUser as EntityPk | undefined;

/** The user record an account's `parentUser` names (this mock's field, see seed.yaml). */
const parentOf = (state: CloudAppsState, account: Entity) => {
  const key = parentKey(account);
  return key ? state.entities.find((x) => isUser(x) && String(x.id) === String(key.id)) : undefined;
};

/** The account records under a user. */
const accountsOf = (state: CloudAppsState, user: Entity) => state.entities.filter((x) => !isUser(x) && String(parentKey(x)?.id) === String(user.id));

/**
 * The entity a tree key names: the fetch-entity key (base64 of `{"id", "saas", "inst"}`), or, since
 * the docs only say "the ID of the entity", its plain `id` or record `_id`.
 */
function treeEntity(state: CloudAppsState, key: string): Entity | undefined {
  const pk = decodeEntityPk(key);
  return (pk && findEntity(state, key, pk)) ?? state.entities.find((x) => String(x.id) === key || String(x._id) === key);
}

/**
 * An entity with its relatives, the tree's field names being this mock's (no field list is
 * published): `entity`, `parent` (an account's user; null for a user), `children` (a user's
 * accounts) and `siblings` (an account's fellow accounts under the same user).
 */
function entityTree(state: CloudAppsState, e: Entity) {
  if (isUser(e)) return { entity: e, parent: null, children: accountsOf(state, e), siblings: [] };
  const parent = parentOf(state, e);
  return { entity: e, parent: parent ?? null, children: [], siblings: parent ? accountsOf(state, parent).filter((x) => x !== e) : [] };
}

/** Users and accounts: searched, sorted by first-seen date or investigation priority, paged, and read by key. */
export function entityHandlers(state: CloudAppsState): Handlers<operations> {
  const list = (body: components['schemas']['EntityListRequest'] | undefined) => {
    const found = applyFilters(state.entities, body?.filters, ENTITY_FIELDS);
    // `date` is when the entity was first seen; `severity` reads the investigation priority.
    const sorted = body?.sortField ? sortRecords(found, body.sortField === 'severity' ? (e) => e.threatScore : (e) => e.firstSeen, body.sortDirection ?? 'desc') : found;
    return pageOf(sorted, body);
  };
  return {
    listEntities: () => ({ status: 200, body: list(undefined) }),
    queryEntities: ({ body }) => ({ status: 200, body: list(body) }),
    getEntity: ({ params }) => {
      const pk = decodeEntityPk(params.pk);
      const e = findEntity(state, params.pk, pk);
      if (e) return { status: 200, body: e };
      if (!pk && !/^[0-9a-f]{24}$/i.test(params.pk)) return { status: 400, body: { detail: 'The entity key must be base64 of {"id", "saas", "inst"}.' } };
      return { status: 404, body: NOT_FOUND };
    },
    getEntityTree: ({ params }) => {
      const e = treeEntity(state, params.pk);
      return e ? { status: 200, body: entityTree(state, e) } : { status: 404, body: NOT_FOUND };
    },
  };
}
