import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadContract } from '../src/core/contract/load.ts';
import { diffContracts, RULES, type DiffResult } from '../src/engines/diff/index.ts';
import { add, AT, remove, rename, replace, specWith, tempDir, writeSpec, type Edit } from './helpers/diff-spec.ts';

/**
 * Every diff rule, judged on small edits of one base contract (test/helpers/diff-spec.ts): each case
 * says how the old side differs from the base (`before`, usually nothing), how the new side differs
 * from the base (`after`), and exactly which rules must fire at which level — nothing missing,
 * nothing extra.
 */
interface Case {
  name: string;
  before?: Edit[];
  after: Edit[];
  /** `'<level> <rule id>'`, order-free. */
  expect: string[];
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = 'application~1json';
const AUTH = {
  scheme: 'Key',
  classes: {
    missing: { status: 401 },
    revoked: { status: 401, inferred: true, 'x-doc-notes': ['Documented.'] },
    insufficient: { status: 403 },
    expired: { applies: false, reason: 'Documented.' },
  },
};
const THING_INLINE = {
  type: 'object',
  required: ['id', 'name'],
  properties: { id: { type: 'string' }, name: { type: 'string', description: 'Display name.' }, color: { type: 'string', enum: ['red', 'green'] }, size: { type: 'integer' } },
};
/** Thing written as `allOf: [Base, rest]` with the same properties and required list. */
const splitThing: Edit[] = [
  replace(AT.thing, { allOf: [ref('Base'), { type: 'object', required: ['name'], properties: { name: { type: 'string', description: 'Display name.' }, color: { type: 'string', enum: ['red', 'green'] }, size: { type: 'integer' } } }] }),
  add('/components/schemas/Base', { type: 'object', required: ['id'], properties: { id: { type: 'string' } } }),
];
const closedNewThing = add(`${AT.newThing}/additionalProperties`, false);
const tags = add(`${AT.newThing}/properties/tags`, { type: 'array', items: { type: 'string' } });
const getSchema = `${AT.get}/responses/200/content/${json}/schema`;
const createSchema = `${AT.create}/requestBody/content/${json}/schema`;

const cases: Case[] = [
  // documentation and structure that change nothing
  { name: 'identical documents', after: [], expect: [] },
  { name: 'descriptions, summaries and examples', after: [replace(`${AT.list}/description`, 'Lists every thing.'), add(`${AT.create}/summary`, 'Create'), replace(`${AT.thing}/properties/name/description`, 'Shown.'), add(`${AT.thing}/properties/name/examples`, ['lamp'])], expect: [] },
  { name: 'allOf restructuring with the same properties', after: splitThing, expect: [] },
  { name: 'a $ref replaced by the same schema inline', after: [replace(`${AT.list}/responses/200/content/${json}/schema/items`, THING_INLINE)], expect: [] },
  {
    name: 'a component renamed with every $ref updated',
    after: [rename(AT.thing, 'Item'), replace(`${AT.list}/responses/200/content/${json}/schema/items`, ref('Item')), replace(`${AT.create}/responses/201/content/${json}/schema`, ref('Item')), replace(getSchema, ref('Item'))],
    expect: [],
  },
  { name: 'header parameter names are case-insensitive', before: [add(`${AT.list}/parameters/-`, { name: 'X-Trace', in: 'header', schema: { type: 'string' } })], after: [add(`${AT.list}/parameters/-`, { name: 'x-trace', in: 'header', schema: { type: 'string' } })], expect: [] },
  { name: 'a path parameter renamed is the same route', after: [rename('/paths/~1things~1{id}', '/things/{thingId}'), replace('/paths/~1things~1{thingId}/parameters/0/name', 'thingId')], expect: [] },
  { name: 'a self-referencing schema: the walk ends', before: [replace(`${getSchema}/$ref`, '#/components/schemas/Node'), add('/components/schemas/Node', { type: 'object', properties: { name: { type: 'string' }, children: { type: 'array', items: ref('Node') } } })], after: [replace(`${getSchema}/$ref`, '#/components/schemas/Node'), add('/components/schemas/Node', { type: 'object', properties: { name: { type: 'integer' }, children: { type: 'array', items: ref('Node') } } })], expect: ['breaking response-type-changed'] },

  // document and operations
  { name: 'info.version raised', after: [replace('/info/version', '1.1.0')], expect: ['info api-version-changed'] },
  {
    name: 'operation added',
    after: [add('/paths/~1things~1{id}/put', { operationId: 'replaceThing', requestBody: { content: { 'application/json': { schema: ref('NewThing') } } }, responses: { '200': { description: 'Replaced.' }, '401': { description: 'No credential.' } } })],
    expect: ['non-breaking operation-added'],
  },
  { name: 'operation removed from a path that stays', after: [remove(AT.del)], expect: ['breaking operation-removed'] },
  { name: 'path removed', after: [remove('/paths/~1health')], expect: ['breaking path-removed'] },
  { name: 'operation deprecated', after: [add(`${AT.create}/deprecated`, true)], expect: ['info operation-deprecated'] },
  { name: 'operationId changed', after: [replace(`${AT.list}/operationId`, 'getThings')], expect: ['info operation-id-changed'] },
  { name: 'x-api-version of an operation set', after: [add(`${AT.list}/x-api-version`, 'v1')], expect: ['info operation-api-version-changed'] },

  // parameters
  { name: 'optional parameter added', after: [add(`${AT.list}/parameters/-`, { name: 'owner', in: 'query', required: false, schema: { type: 'string' } })], expect: ['non-breaking parameter-added-optional'] },
  { name: 'required parameter added', after: [add(`${AT.list}/parameters/-`, { name: 'owner', in: 'query', required: true, schema: { type: 'string' } })], expect: ['breaking parameter-added-required'] },
  { name: 'parameter made optional', before: [add(`${AT.list}/parameters/0/required`, true)], after: [], expect: ['non-breaking parameter-made-optional'] },
  { name: 'parameter made required', after: [add(`${AT.list}/parameters/0/required`, true)], expect: ['breaking parameter-made-required'] },
  { name: 'parameter removed', after: [remove(`${AT.list}/parameters`)], expect: ['breaking parameter-removed'] },
  { name: 'parameter maximum lowered', after: [replace(`${AT.list}/parameters/0/schema/maximum`, 50)], expect: ['breaking request-maximum-decreased'] },
  { name: 'parameter type changed, its bound gone', after: [replace(`${AT.list}/parameters/0/schema`, { type: 'string' })], expect: ['breaking request-type-changed', 'non-breaking request-constraint-relaxed'] },

  // request bodies
  { name: 'request body made required', before: [replace(`${AT.create}/requestBody/required`, false)], after: [], expect: ['breaking request-body-made-required'] },
  { name: 'request body removed', after: [remove(`${AT.create}/requestBody`)], expect: ['breaking request-body-removed'] },
  { name: 'request media type added', after: [add(`${AT.create}/requestBody/content/application~1x-www-form-urlencoded`, { schema: ref('NewThing') })], expect: ['non-breaking request-media-type-added'] },
  { name: 'request media type removed', before: [add(`${AT.create}/requestBody/content/application~1x-www-form-urlencoded`, { schema: ref('NewThing') })], after: [], expect: ['breaking request-media-type-removed'] },
  { name: 'request oneOf branch removed', before: [replace(createSchema, { oneOf: [ref('NewThing'), ref('NewGadget')] })], after: [replace(createSchema, { oneOf: [ref('NewThing')] })], expect: ['breaking request-union-branch-removed'] },
  { name: 'request anyOf branch added', before: [replace(`${AT.newThing}/properties/note`, { anyOf: [{ type: 'string' }, { type: 'integer' }] })], after: [replace(`${AT.newThing}/properties/note`, { anyOf: [{ type: 'string' }, { type: 'integer' }, { type: 'boolean' }] })], expect: ['non-breaking request-union-branch-added'] },

  // request properties: judged by what a client could send before and after
  { name: 'optional property declared in an open request schema', after: [tags], expect: ['info request-property-declared'] },
  { name: 'optional property added to a closed request schema', before: [closedNewThing], after: [closedNewThing, tags], expect: ['non-breaking request-property-added'] },
  { name: 'required property added to an open request schema', after: [add(`${AT.newThing}/required/-`, 'owner'), add(`${AT.newThing}/properties/owner`, { type: 'string' })], expect: ['breaking request-property-added-required'] },
  { name: 'property no longer declared by an open request schema', after: [remove(`${AT.newThing}/properties/note`)], expect: ['non-breaking request-property-undeclared'] },
  { name: 'property removed from a closed request schema', before: [closedNewThing], after: [closedNewThing, remove(`${AT.newThing}/properties/note`)], expect: ['breaking request-property-removed'] },
  { name: 'open request schema closed, a property removed with it', after: [closedNewThing, remove(`${AT.newThing}/properties/note`)], expect: ['breaking request-additional-properties-closed', 'breaking request-property-removed'] },
  { name: 'open request schema closed', after: [closedNewThing], expect: ['breaking request-additional-properties-closed'] },
  { name: 'open request schema closed by unevaluatedProperties', after: [add(`${AT.newThing}/unevaluatedProperties`, false), tags], expect: ['breaking request-additional-properties-closed', 'info request-property-declared'] },
  { name: 'closed request schema opened', before: [closedNewThing], after: [], expect: ['non-breaking request-constraint-relaxed'] },
  { name: 'request property made optional', after: [remove(`${AT.newThing}/required`)], expect: ['non-breaking request-property-made-optional'] },
  { name: 'request property made required', after: [add(`${AT.newThing}/required/-`, 'color')], expect: ['breaking request-property-made-required'] },
  { name: 'a required readOnly property is never sent', after: [add(`${AT.newThing}/required/-`, 'id'), add(`${AT.newThing}/properties/id`, { type: 'string', readOnly: true })], expect: [] },

  // request values
  { name: 'request type changed with its default and bounds', after: [replace(`${AT.newThing}/properties/count`, { type: 'string', default: '1' })], expect: ['breaking request-type-changed', 'breaking request-default-changed', 'non-breaking request-constraint-relaxed'] },
  { name: 'request type widened', after: [replace(`${AT.newThing}/properties/count/type`, 'number')], expect: ['non-breaking request-type-widened'] },
  { name: 'request nullable added', after: [replace(`${AT.newThing}/properties/note/type`, ['string', 'null'])], expect: ['non-breaking request-nullable-added'] },
  { name: 'request nullable removed', before: [replace(`${AT.newThing}/properties/note/type`, ['string', 'null'])], after: [], expect: ['breaking request-nullable-removed'] },
  { name: 'request default changed', after: [replace(`${AT.newThing}/properties/count/default`, 10)], expect: ['breaking request-default-changed'] },
  { name: 'request enum value added', after: [add(`${AT.newThing}/properties/color/enum/-`, 'blue')], expect: ['non-breaking request-enum-value-added'] },
  { name: 'request enum value removed', after: [remove(`${AT.newThing}/properties/color/enum/1`)], expect: ['breaking request-enum-value-removed'] },
  { name: 'request format added', after: [add(`${AT.newThing}/properties/note/format`, 'email')], expect: ['breaking format-changed'] },
  { name: 'request maxItems set', before: [tags], after: [tags, add(`${AT.newThing}/properties/tags/maxItems`, 5)], expect: ['breaking request-items-bounds-tightened'] },
  { name: 'request maxLength lowered', after: [replace(`${AT.newThing}/properties/name/maxLength`, 20)], expect: ['breaking request-max-length-decreased'] },
  { name: 'request maxLength raised', after: [replace(`${AT.newThing}/properties/name/maxLength`, 100)], expect: ['non-breaking request-constraint-relaxed'] },
  { name: 'request minLength set', after: [add(`${AT.newThing}/properties/name/minLength`, 3)], expect: ['breaking request-min-length-increased'] },
  { name: 'request maximum lowered', after: [replace(`${AT.newThing}/properties/count/maximum`, 10)], expect: ['breaking request-maximum-decreased'] },
  { name: 'request minimum raised', after: [replace(`${AT.newThing}/properties/count/minimum`, 1)], expect: ['breaking request-minimum-increased'] },
  { name: 'request pattern added', after: [add(`${AT.newThing}/properties/name/pattern`, '^[a-z]+$')], expect: ['breaking request-pattern-added'] },
  { name: 'request pattern removed', before: [add(`${AT.newThing}/properties/name/pattern`, '^[a-z]+$')], after: [], expect: ['non-breaking request-constraint-relaxed'] },

  // responses
  { name: 'response status added', after: [add(`${AT.list}/responses/429`, { description: 'Slow down.' })], expect: ['non-breaking response-status-added'] },
  { name: 'response status removed', after: [remove(`${AT.get}/responses/404`)], expect: ['breaking response-status-removed'] },
  { name: 'response status folded into a declared range', after: [remove(`${AT.get}/responses/404`), add(`${AT.get}/responses/4XX`, { description: 'Client error.' })], expect: ['non-breaking response-status-added'] },
  { name: 'response media type replaced', after: [rename(`${AT.health}/responses/200/content/text~1plain`, 'application/json')], expect: ['breaking response-media-type-removed', 'non-breaking response-media-type-added'] },
  { name: 'response header removed', before: [add(`${AT.list}/responses/200/headers`, { 'X-Total-Count': { schema: { type: 'integer' } } })], after: [], expect: ['breaking response-header-removed'] },
  { name: 'response property removed', after: [remove(`${AT.thing}/properties/size`)], expect: ['breaking response-property-removed'] },
  { name: 'response property renamed', after: [rename(`${AT.thing}/properties/size`, 'dimension')], expect: ['breaking response-property-removed', 'non-breaking response-property-added'] },
  { name: 'required response property added: responses are open', after: [add(`${AT.thing}/required/-`, 'created'), add(`${AT.thing}/properties/created`, { type: 'integer' })], expect: ['non-breaking response-property-added'] },
  { name: 'nested array item property removed', before: [add(`${AT.thing}/properties/parts`, { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' }, qty: { type: 'integer' } } } })], after: [add(`${AT.thing}/properties/parts`, { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' } } } })], expect: ['breaking response-property-removed'] },
  { name: 'allOf base property made optional', before: splitThing, after: [...splitThing, replace('/components/schemas/Base/required', [])], expect: ['breaking response-property-made-optional'] },
  { name: 'allOf branch property removed', before: splitThing, after: [...splitThing, remove(`${AT.thing}/allOf/1/properties/size`)], expect: ['breaking response-property-removed'] },
  { name: 'response property made optional', after: [remove(`${AT.thing}/required/1`)], expect: ['breaking response-property-made-optional'] },
  { name: 'response property made required', after: [add(`${AT.thing}/required/-`, 'color')], expect: ['non-breaking response-property-made-required'] },
  { name: 'response type changed', after: [replace(`${AT.thing}/properties/size/type`, 'string')], expect: ['breaking response-type-changed'] },
  { name: 'response integer widened to number', after: [replace(`${AT.thing}/properties/size/type`, 'number')], expect: ['breaking response-type-changed'] },
  { name: 'response type narrowed', before: [replace(`${AT.thing}/properties/size/type`, ['integer', 'string'])], after: [], expect: ['non-breaking response-type-narrowed'] },
  { name: 'response nullable added', after: [replace(`${AT.thing}/properties/name/type`, ['string', 'null'])], expect: ['breaking response-nullable-added'] },
  { name: 'response nullable removed', before: [replace(`${AT.thing}/properties/name/type`, ['string', 'null'])], after: [], expect: ['non-breaking response-nullable-removed'] },
  { name: 'response enum value added', after: [add(`${AT.thing}/properties/color/enum/-`, 'blue')], expect: ['breaking response-enum-value-added'] },
  { name: 'response enum value removed', after: [remove(`${AT.thing}/properties/color/enum/1`)], expect: ['non-breaking response-enum-value-removed'] },
  { name: 'open enumeration value added', before: [add(`${AT.thing}/properties/kind`, { anyOf: [{ type: 'string', enum: ['lamp', 'chair'] }, { type: 'string' }] })], after: [add(`${AT.thing}/properties/kind`, { anyOf: [{ type: 'string', enum: ['lamp', 'chair', 'desk'] }, { type: 'string' }] })], expect: [] },
  { name: 'response format added', after: [add(`${AT.thing}/properties/id/format`, 'uuid')], expect: [] },
  { name: 'response constraint changed', after: [add(`${AT.thing}/properties/name/maxLength`, 64)], expect: ['info response-constraint-changed'] },
  { name: 'response default changed', after: [add(`${AT.thing}/properties/size/default`, 0)], expect: ['info response-default-changed'] },
  { name: 'response wrapped in oneOf', after: [replace(getSchema, { oneOf: [ref('Thing'), ref('Gadget')] })], expect: ['breaking response-union-branch-added'] },
  { name: 'response oneOf branch added', before: [replace(getSchema, { oneOf: [ref('Thing'), ref('Gadget')] })], after: [replace(getSchema, { oneOf: [ref('Thing'), ref('Gadget'), ref('Widget')] })], expect: ['breaking response-union-branch-added'] },
  { name: 'response oneOf branch removed', before: [replace(getSchema, { oneOf: [ref('Thing'), ref('Gadget')] })], after: [replace(getSchema, { oneOf: [ref('Thing')] })], expect: ['non-breaking response-union-branch-removed'] },

  // security and roles
  { name: 'security added to an open operation', after: [remove(`${AT.health}/security`)], expect: ['breaking security-added'] },
  { name: 'security removed from an operation', after: [add(`${AT.list}/security`, [])], expect: ['non-breaking security-removed'] },
  { name: 'another credential accepted', after: [add(`${AT.list}/security`, [{ Key: [] }, { Cookie: [] }])], expect: ['non-breaking security-alternative-added'] },
  { name: 'a credential no longer accepted', before: [add(`${AT.list}/security`, [{ Key: [] }, { Cookie: [] }])], after: [add(`${AT.list}/security`, [{ Key: [] }])], expect: ['breaking security-scheme-removed'] },
  { name: 'security scheme replaced', after: [add(`${AT.list}/security`, [{ Cookie: [] }])], expect: ['breaking security-scheme-removed', 'non-breaking security-alternative-added'] },
  { name: 'two schemes now required together', after: [add(`${AT.list}/security`, [{ Key: [], Cookie: [] }])], expect: ['breaking security-scheme-removed'] },
  { name: 'security scope required', after: [add(`${AT.list}/security`, [{ Key: ['things:read'] }])], expect: ['breaking security-scope-added'] },
  { name: 'security scheme prefix changed', after: [replace(`${AT.schemes}/Key/x-scheme-prefix`, 'Bearer ')], expect: ['breaking security-scheme-changed'] },
  { name: 'required role added', after: [add(`${AT.get}/responses/403`, { description: 'Not a viewer.' }), add(`${AT.get}/x-required-role`, 'viewer')], expect: ['breaking required-role-changed', 'non-breaking response-status-added'] },
  { name: 'required role changed', after: [replace(`${AT.del}/x-required-role`, 'owner')], expect: ['breaking required-role-changed'] },
  { name: 'required role removed', after: [remove(`${AT.del}/x-required-role`)], expect: ['non-breaking required-role-removed'] },

  // auth contract: the core's one merge rule
  { name: 'auth outcomes stated where there were none', after: [add('/x-auth-contract', AUTH)], expect: ['non-breaking auth-contract-outcome-added'] },
  { name: 'auth outcome of a class removed', before: [add('/x-auth-contract', AUTH)], after: [add('/x-auth-contract', AUTH), remove('/x-auth-contract/classes/revoked')], expect: ['breaking auth-contract-outcome-removed'] },
  { name: 'auth outcome status changed', before: [add('/x-auth-contract', AUTH)], after: [add('/x-auth-contract', AUTH), replace('/x-auth-contract/classes/insufficient/status', 404)], expect: ['breaking auth-contract-outcome-changed'] },
  { name: 'auth outcome overridden by an operation', before: [add('/x-auth-contract', AUTH)], after: [add('/x-auth-contract', AUTH), add(`${AT.del}/x-auth-contract`, { classes: { insufficient: { status: 404 } } })], expect: ['breaking auth-contract-outcome-changed'] },
  {
    name: "an operation's class entry replaces the document's as a whole",
    before: [add('/x-auth-contract', { classes: { insufficient: { status: 403, body: { error: 'forbidden' } } } })],
    after: [add('/x-auth-contract', { classes: { insufficient: { status: 403, body: { error: 'forbidden' } } } }), add(`${AT.del}/x-auth-contract`, { classes: { insufficient: { status: 403 } } })],
    expect: ['breaking auth-contract-outcome-removed'],
  },
  { name: 'auth reasons and notes reworded', before: [add('/x-auth-contract', AUTH)], after: [add('/x-auth-contract', AUTH), replace('/x-auth-contract/classes/revoked/x-doc-notes', ['Reworded.']), replace('/x-auth-contract/classes/expired/reason', 'Reworded.')], expect: [] },
  { name: 'x-auth-contract under info is not read', after: [add('/info/x-auth-contract', AUTH)], expect: [] },
];

const dir = tempDir('contracts-diff-rules-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** Loads both sides through the one loader, from YAML files (so that locations have lines), and diffs them. */
async function diffCase(c: Pick<Case, 'before' | 'after'>): Promise<{ result: DiffResult; files: { before: string; after: string } }> {
  const at = path.join(dir, String(n++));
  const files = { before: writeSpec(at, 'before', specWith(...(c.before ?? []))), after: writeSpec(at, 'after', specWith(...c.after)) };
  const [before, after] = await Promise.all([loadContract({ name: 'before', rootFile: files.before }), loadContract({ name: 'after', rootFile: files.after })]);
  return { result: diffContracts(before, after), files };
}

describe.concurrent('diff rules on edits of one base contract', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { result, files } = await diffCase(c);
    const found = [...new Set(result.changes.map((ch) => `${ch.severity} ${ch.id}`))].sort();
    expect(found, result.changes.map((ch) => `${ch.id}: ${ch.message}`).join('\n')).toEqual([...c.expect].sort());
    for (const ch of result.changes) {
      // Both sides are located in the hand-written file, with a line.
      expect(ch.oldLocation).toMatchObject({ file: files.before, line: expect.any(Number) });
      expect(ch.newLocation).toMatchObject({ file: files.after, line: expect.any(Number) });
      expect(ch.oldPointer).toMatch(/^#\//);
      expect(ch.newPointer).toMatch(/^#\//);
    }
  });

  it('has a positive case for every rule, at the rule’s own level', () => {
    const expected = new Map(cases.flatMap((c) => c.expect).map((e) => [e.split(' ')[1]!, e.split(' ')[0]!]));
    for (const rule of RULES) expect(expected.get(rule.id), rule.id).toBe(rule.severity);
  });
});

describe('diff locations and operations', () => {
  it('locates a change on the line where each side writes it', async () => {
    const { result, files } = await diffCase({ after: [remove(`${AT.thing}/properties/size`)] });
    const [change] = result.changes;
    const lineOf = (file: string, line: number | undefined) => fs.readFileSync(file, 'utf8').split('\n')[(line ?? 0) - 1];
    expect(change).toMatchObject({ id: 'response-property-removed', oldPointer: `#${AT.thing}/properties/size`, newPointer: `#${AT.thing}` });
    expect(lineOf(files.before, change!.oldLocation.line)).toMatch(/^\s+size:$/);
    expect(lineOf(files.after, change!.newLocation.line)).toMatch(/^\s+Thing:$/);
  });

  it('lists a change of a shared schema once, with every operation that uses it', async () => {
    const { result } = await diffCase({ after: [remove(`${AT.thing}/properties/size`)] });
    expect(result.changes).toHaveLength(1);
    expect(result.changes[0]!.operations.sort()).toEqual(['GET /things (listThings)', 'GET /things/{id} (getThing)', 'POST /things (createThing)']);
  });

  it('does not apply the document auth default to an operation that takes no credential', async () => {
    const { result } = await diffCase({ after: [add('/x-auth-contract', AUTH)] });
    const operations = new Set(result.changes.flatMap((c) => c.operations));
    expect(operations).not.toContain('GET /health (health)');
    expect(operations).toContain('DELETE /things/{id} (deleteThing)');
  });

  it('rejects an edit of a place the base contract does not have (so a case cannot silently test nothing)', () => {
    expect(() => specWith(remove(`${AT.thing}/properties/nothing`))).toThrow(/nothing to remove/);
  });
});
