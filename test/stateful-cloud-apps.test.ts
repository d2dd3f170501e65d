import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import type { operations } from '../generated/defender-cloud-apps.ts';
import { alertHandlers } from '../mocks/defender-cloud-apps/alerts.ts';
import { encodeEntityPk } from '../mocks/defender-cloud-apps/filters.ts';
import { createState } from '../mocks/defender-cloud-apps/state.ts';
import type { Handlers } from '../mocks/kit/types.ts';
import { buildStatefulMockFor } from '../mocks/registry.ts';
import { selectApis } from '../src/core/contract/discover.ts';
import { loadContract } from '../src/core/contract/load.ts';
import type { Contract } from '../src/core/contract/model.ts';
import { projectPaths } from '../src/core/paths.ts';
import { validators } from '../src/core/validate/cache.ts';

type Rec = Record<string, any>;

const ALICE = '00aa00aa-bb11-cc22-dd33-44ee44ee44ee';
const DAN = '3d4e5f60-7182-493a-a4b5-c6d7e8f90a12';
const ADMINS_GROUP = '64b7f0c2a1d4e5f600000001';
const TOR_TAG = '64d1c0ffee0000000000a002';
/** The data the mock starts from, as shipped. */
const SEED = YAML.parse(fs.readFileSync(new URL('../mocks/defender-cloud-apps/seed.yaml', import.meta.url), 'utf8')) as { activities: Rec[]; files: Rec[] };
const FINANCE_FOLDER = String(SEED.files.find((f) => f.name === 'Finance')!.id);

/** `n` activities cycling through the seed's, each with an id and a time of its own (37 minutes apart). */
const manyActivities = (n: number): Rec[] =>
  Array.from({ length: n }, (_, i) => {
    const a = SEED.activities[i % SEED.activities.length]!;
    const timestamp = 1_700_000_000_000 + i * 37 * 60_000;
    return { ...a, _id: `${a._id}-${i}`, uid: `${a._id}-${i}`, timestamp, created: timestamp + 60_000 };
  });

let contract: Contract;

async function mock(seed?: unknown) {
  const app = await buildStatefulMockFor(contract, { rateLimit: false, seed });
  const res = await app.inject({ method: 'POST', url: '/__control/credentials', payload: { class: 'valid' } });
  expect(res.statusCode, res.body).toBe(200);
  const headers = { authorization: `Token ${res.json().token}` };
  const post = async (url: string, payload: object = {}) => app.inject({ method: 'POST', url, headers, payload });
  const get = async (url: string) => app.inject({ method: 'GET', url, headers });
  return { app, post, get };
}

/** The errors of a body against the schema an operation declares for a status. */
function violations(operationId: string, status: number, body: unknown) {
  const op = contract.operations.find((o) => o.id === operationId)!;
  const pointer = op.responses.find((r) => r.status === String(status))!.content[0]!.schemaPointer!;
  return validators.validate(contract, pointer, body);
}

beforeAll(async () => {
  contract = await loadContract(selectApis(projectPaths(), ['defender-cloud-apps'])[0]!);
});

describe('Cloud Apps activities', () => {
  let m: Awaited<ReturnType<typeof mock>>;
  let all: Rec[];
  beforeAll(async () => {
    m = await mock();
    const res = await m.get('/v1/activities/');
    expect(res.statusCode).toBe(200);
    expect(violations('listActivities', 200, res.json())).toEqual([]);
    all = res.json().data;
  });
  afterAll(() => m.app.close());

  const query = async (payload: object) => {
    const res = await m.post('/v1/activities/', payload);
    expect(res.statusCode, res.body).toBe(200);
    expect(violations('queryActivities', 200, res.json())).toEqual([]);
    return res.json() as { data: Rec[]; hasNext: boolean; total: number; nextQueryFilters?: Rec };
  };

  it('returns records with the fields real activity records carry', () => {
    expect(all.length).toBe(40);
    const a = all[0]!;
    for (const field of ['_id', 'appId', 'appName', 'timestamp', 'created', 'eventTypeName', 'eventTypeValue', 'description', 'device', 'location', 'user', 'userAgent', 'mainInfo', 'resolvedActor', 'source']) {
      expect(a, field).toHaveProperty(field);
    }
    expect(a.device.clientIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(a.user.userName).toMatch(/@/);
  });

  const cases: Array<[string, Rec, (a: Rec) => boolean]> = [
    ['service eq', { service: { eq: [20893] } }, (a) => a.appId === 20893],
    ['service neq (single value)', { service: { neq: 20893 } }, (a) => a.appId !== 20893],
    ['instance neq', { instance: { neq: [0] } }, () => false],
    ['user.username eq', { 'user.username': { eq: ['alice@contoso.com'] } }, (a) => a.user.userName === 'alice@contoso.com'],
    ['user.username startswith', { 'user.username': { startswith: ['bo'] } }, (a) => a.user.userName.startsWith('bo')],
    ['user.orgUnit eq', { 'user.orgUnit': { eq: ['Sales'] } }, (a) => a.user.orgUnit === 'Sales'],
    ['user.orgUnit isnotset', { 'user.orgUnit': { isnotset: true } }, (a) => a.user.orgUnit == null],
    ['user.tags eq', { 'user.tags': { eq: [ADMINS_GROUP] } }, (a) => a.user.userTags.includes(ADMINS_GROUP)],
    ['user.domain eq', { 'user.domain': { eq: ['fabrikam.com'] } }, (a) => a.user.userDomain === 'fabrikam.com'],
    ['ip.address startswith', { 'ip.address': { startswith: ['198.51.100.'] } }, (a) => a.device.clientIP.startsWith('198.51.100.')],
    ['ip.address doesnotstartwith', { 'ip.address': { doesnotstartwith: ['198.51.100.', '192.0.2.'] } }, (a) => a.device.clientIP.startsWith('203.0.113.')],
    ['ip.address eq', { 'ip.address': { eq: '192.0.2.77' } }, (a) => a.device.clientIP === '192.0.2.77'],
    ['ip.category eq', { 'ip.category': { eq: [3] } }, (a) => a.location.category === 3],
    ['ip.category neq', { 'ip.category': { neq: [1, 4] } }, (a) => ![1, 4].includes(a.location.category)],
    ['ip.tags eq', { 'ip.tags': { eq: [TOR_TAG] } }, (a) => a.ipTags.includes(TOR_TAG)],
    ['location.country eq', { 'location.country': { eq: ['US', 'GB'] } }, (a) => ['US', 'GB'].includes(a.location.countryCode)],
    ['location.country neq', { 'location.country': { neq: ['US'] } }, (a) => a.location.countryCode !== 'US'],
    ['location.country isnotset', { 'location.country': { isnotset: true } }, (a) => a.location.countryCode === undefined],
    ['location.country isset + neq', { 'location.country': { isset: true, neq: ['US'] } }, (a) => a.location.countryCode !== undefined && a.location.countryCode !== 'US'],
    ['location.organizations contains', { 'location.organizations': { contains: ['contoso'] } }, (a) => /contoso/i.test(a.location.organizationSearchable)],
    ['device.type eq', { 'device.type': { eq: ['MOBILE', 'TABLET'] } }, (a) => ['MOBILE', 'TABLET'].includes(a.userAgent.deviceType)],
    ['device.type neq', { 'device.type': { neq: 'DESKTOP' } }, (a) => a.userAgent.deviceType !== 'DESKTOP'],
    ['device.tags eq', { 'device.tags': { eq: ['64d1c0ffee0000000000b001'] } }, (a) => a.device.tags.length > 0],
    ['userAgent.userAgent contains', { 'userAgent.userAgent': { contains: ['iPhone'] } }, (a) => a.device.userAgent.includes('iPhone')],
    ['userAgent.userAgent ncontains', { 'userAgent.userAgent': { ncontains: ['Mozilla'] } }, (a) => !a.device.userAgent.includes('Mozilla')],
    ['userAgent.tags eq', { 'userAgent.tags': { eq: ['000000000000000000000000'] } }, (a) => a.userAgent.tags.includes('000000000000000000000000')],
    ['activity.eventActionType eq', { 'activity.eventActionType': { eq: ['EVENT_CATEGORY_LOGIN'] } }, (a) => a.eventTypeName === 'EVENT_CATEGORY_LOGIN'],
    ['activity.eventActionType neq', { 'activity.eventActionType': { neq: ['EVENT_CATEGORY_UNSPECIFIED'] } }, (a) => a.eventTypeName !== 'EVENT_CATEGORY_UNSPECIFIED'],
    ['actionType contains', { actionType: { contains: ['InboxRule'] } }, (a) => a.actionType.includes('InboxRule')],
    ['actionType Contains (the docs’ spelling)', { actionType: { Contains: ['set-mailbox'] } }, (a) => a.actionType.includes('Set-Mailbox')],
    ['activity.type eq true (admin events)', { 'activity.type': { eq: true } }, (a) => a.isAdminEvent === true],
    ['activity.type eq false', { 'activity.type': { eq: false } }, (a) => a.isAdminEvent === false],
    ['activity.impersonated eq', { 'activity.impersonated': { eq: [true] } }, (a) => a.isImpersonated === true],
    ['activity.takenAction eq', { 'activity.takenAction': { eq: ['block', 'proxy'] } }, (a) => ['block', 'proxy'].includes(a.takenAction)],
    ['activity.takenAction eq null (no action)', { 'activity.takenAction': { eq: [null] } }, (a) => a.takenAction === null],
    ['source eq', { source: { eq: [1] } }, (a) => a.source === 1],
    ['policy isset', { policy: { isset: true } }, (a) => a.policies.length > 0],
    ['office365url startswith', { office365url: { startswith: ['https://contoso-my.sharepoint.com'] } }, (a) => String(a.rawDataJson.ObjectId ?? '').startsWith('https://contoso-my.sharepoint.com')],
    ['office365url endswith', { office365url: { endswith: ['.docx'] } }, (a) => String(a.rawDataJson.ObjectId ?? '').endsWith('.docx')],
    ['text', { text: { text: 'inbox rule' } }, (a) => a.description === 'Create inbox rule'],
    ['date gte/lte', { date: { gte: 1_700_000_000_000 + 10 * 37 * 60_000, lte: 1_700_000_000_000 + 19 * 37 * 60_000 } }, (a) => a.timestamp >= 1_700_022_200_000 && a.timestamp <= 1_700_042_180_000],
    ['date range (two windows)', { date: { range: [{ start: 1_700_000_000_000, end: 1_700_000_000_000 + 2 * 37 * 60_000 }, { start: 1_700_000_000_000 + 38 * 37 * 60_000, end: 1_800_000_000_000 }] } }, (a) => a.timestamp <= 1_700_004_440_000 || a.timestamp >= 1_700_084_360_000],
    ['date lte_ndays (nothing older than a century)', { date: { lte_ndays: 36_500 } }, () => false],
    ['date gte_ndays (nothing in the last day)', { date: { gte_ndays: 1 } }, () => false],
    ['created gt/lt', { created: { gt: 1_700_020_000_000, lt: 1_700_040_000_000 } }, (a) => a.created > 1_700_020_000_000 && a.created < 1_700_040_000_000],
    ['entity eq (key without saas)', { entity: { eq: [{ id: ALICE, inst: 0 }] } }, (a) => a.resolvedActor.id === ALICE],
    ['entity neq', { entity: { neq: [{ id: ALICE, inst: 0, saas: 11161 }] } }, (a) => a.resolvedActor.id !== ALICE],
    ['service and user together (AND)', { service: { eq: [11161] }, 'user.username': { eq: ['alice@contoso.com'] } }, (a) => a.appId === 11161 && a.user.userName === 'alice@contoso.com'],
  ];

  it.each(cases)('%s narrows the list to exactly the matching records', async (_name, filters, expected) => {
    const body = await query({ filters });
    const want = all.filter(expected).map((a) => a._id);
    expect(body.data.map((a) => a._id).sort()).toEqual([...want].sort());
    expect(body.total).toBe(want.length);
    expect(body.total).toBeLessThan(all.length);
    expect(body.hasNext).toBe(false);
  });

  it('finds one activity by id, by the file it touched, and by the alert it belongs to', async () => {
    const target = all.find((a) => a.mainInfo.eventObjects.some((o: Rec) => o.serviceObjectType === 'File'))!;
    expect((await query({ filters: { 'activity.id': { eq: [target._id] } } })).data.map((a) => a._id)).toEqual([target._id]);
    const fileId = target.mainInfo.eventObjects.find((o: Rec) => o.serviceObjectType === 'File').id;
    const byFile = await query({ filters: { fileId: { eq: [fileId] } } });
    expect(byFile.data.map((a) => a._id)).toContain(target._id);
    expect(byFile.data.every((a) => a.mainInfo.eventObjects.some((o: Rec) => o.id === fileId))).toBe(true);

    const alert = (await m.get('/v1/alerts/5f2ad0f7aa55b3ad0cf2ba03/')).json();
    const related = await query({ filters: { 'activity.alertId': { eq: [alert._id] } } });
    expect(related.data.map((a) => a._id).sort()).toEqual([...alert.audits].sort());
    expect(related.total).toBeGreaterThan(0);
  });

  it('pages through a filtered list: hasNext and total follow the filtered total', async () => {
    const filters = { service: { neq: [20893] } };
    const expected = all.filter((a) => a.appId !== 20893).length;
    const seen: string[] = [];
    for (let skip = 0; ; skip += 7) {
      const page = await query({ filters, skip, limit: 7 });
      expect(page.total).toBe(expected);
      expect(page.data.length).toBeLessThanOrEqual(7);
      seen.push(...page.data.map((a) => a._id));
      expect(page.hasNext).toBe(skip + 7 < expected);
      if (!page.hasNext) break;
    }
    expect(seen).toHaveLength(expected);
    expect(new Set(seen).size).toBe(expected);
  });

  it('sorts by date (newest first by default) or by created, in either direction', async () => {
    const ts = (r: Rec[], k: string) => r.map((a) => a[k] as number);
    const byDefault = await query({ limit: 100 });
    expect(ts(byDefault.data, 'timestamp')).toEqual([...ts(all, 'timestamp')].sort((a, b) => b - a));
    const asc = await query({ sortField: 'date', sortDirection: 'asc', limit: 100 });
    expect(ts(asc.data, 'timestamp')).toEqual([...ts(all, 'timestamp')].sort((a, b) => a - b));
    const created = await query({ sortField: 'created', sortDirection: 'asc', limit: 100 });
    expect(ts(created.data, 'created')).toEqual([...ts(all, 'created')].sort((a, b) => a - b));
    expect(created.data.map((a) => a._id)).not.toEqual(asc.data.map((a) => a._id));
  });

  it('fetches one activity by id and answers 404 with the declared body for an unknown id', async () => {
    const one = await m.get(`/v1/activities/${encodeURIComponent(all[5]!._id)}/`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual(all[5]);
    expect(violations('getActivity', 200, one.json())).toEqual([]);
    const missing = await m.get('/v1/activities/36218800_11161_does-not-exist/');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ detail: 'Not found.' });
    expect(violations('getActivity', 404, missing.json())).toEqual([]);
  });

  it('rejects a bad filter with the declared 400: unknown operator, wrong operand type, a field’s undeclared operator', async () => {
    for (const filters of [{ service: { like: [11161] } }, { service: { eq: ['Office 365'] } }, { date: { gte: 'yesterday' } }, { 'ip.address': { contains: ['10.'] } }, { 'ip.category': { eq: [9] } }, { someField: { matches: 'x' } }]) {
      const res = await m.post('/v1/activities/', { filters });
      expect(res.statusCode, JSON.stringify(filters)).toBe(400);
      expect(violations('queryActivities', 400, res.json())).toEqual([]);
    }
    expect((await m.post('/v1/activities/', { limit: 500 })).statusCode).toBe(400);
    expect((await m.post('/v1/activities/', { isScan: true, limit: 100 })).statusCode).toBe(400);
    expect((await m.post('/v1/activities/', { sortField: 'severity' })).statusCode).toBe(400);
  });

  it('reads an undocumented field name as a path into the record', async () => {
    const body = await query({ filters: { appName: { eq: ['Box'] }, 'location.city': { startswith: ['Lon'] } } });
    expect(body.total).toBe(all.filter((a) => a.appName === 'Box' && a.location.city === 'London').length);
    expect(body.data.every((a) => a.appName === 'Box')).toBe(true);
  });
});

describe('Cloud Apps activities in scan mode', () => {
  it('hands back pages of up to `limit` records with nextQueryFilters until every match is read once', async () => {
    const activities = manyActivities(1234);
    const m = await mock({ activities });
    const filters = { service: { neq: [28375] } };
    const expected = activities.filter((a) => a.appId !== 28375).map((a) => String(a._id));
    const seen: string[] = [];
    let request: Rec = { filters, isScan: true, limit: 500 };
    let pages = 0;
    for (;;) {
      const res = await m.post('/v1/activities/', request);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json();
      expect(violations('queryActivities', 200, page)).toEqual([]);
      expect(page.data.length).toBeLessThanOrEqual(500);
      expect(page.hasNext).toBe(page.data.length < page.total);
      seen.push(...page.data.map((a: Rec) => a._id));
      pages++;
      if (!page.hasNext) {
        expect(page.nextQueryFilters).toBeUndefined();
        break;
      }
      expect(page.nextQueryFilters.service).toEqual(filters.service);
      request = { filters: page.nextQueryFilters, isScan: true, limit: 500 };
    }
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(expected.sort());
    const timestamps = seen.length;
    expect(timestamps).toBe(expected.length);
    await m.app.close();
  });

  it('reads every record once in ascending order even when many share one time', async () => {
    const base = SEED.activities[0]!;
    const same = Array.from({ length: 700 }, (_, i) => ({ ...base, _id: `tie-${i}`, uid: `tie-${i}`, timestamp: 1_700_000_000_000, created: 1_700_000_000_000 + i }));
    const later = Array.from({ length: 300 }, (_, i) => ({ ...base, _id: `late-${i}`, uid: `late-${i}`, timestamp: 1_700_000_000_000 + (i + 1) * 1000, created: 1_700_100_000_000 + i }));
    const m = await mock({ activities: [...later, ...same] });
    const seen: string[] = [];
    let request: Rec = { isScan: true, sortField: 'date', sortDirection: 'asc', limit: 500 };
    for (let guard = 0; guard < 10; guard++) {
      const page = (await m.post('/v1/activities/', request)).json();
      seen.push(...page.data.map((a: Rec) => a._id));
      if (!page.hasNext) break;
      request = { ...request, filters: page.nextQueryFilters };
    }
    expect(seen).toHaveLength(1000);
    expect(new Set(seen).size).toBe(1000);
    expect(seen.slice(0, 700).every((id) => id.startsWith('tie-'))).toBe(true);
    await m.app.close();
  });
});

describe('Cloud Apps entities', () => {
  let m: Awaited<ReturnType<typeof mock>>;
  let all: Rec[];
  beforeAll(async () => {
    m = await mock();
    const res = await m.get('/v1/entities/');
    expect(violations('listEntities', 200, res.json())).toEqual([]);
    all = res.json().data;
  });
  afterAll(() => m.app.close());

  const query = async (payload: object) => {
    const res = await m.post('/v1/entities/', payload);
    expect(res.statusCode, res.body).toBe(200);
    expect(violations('queryEntities', 200, res.json())).toEqual([]);
    return res.json() as { data: Rec[]; hasNext: boolean; total: number };
  };

  it('lists users and their app accounts with the fields real entity records carry', () => {
    expect(all.length).toBe(10);
    for (const field of ['_id', 'id', 'type', 'status', 'displayName', 'isAdmin', 'isExternal', 'appData', 'userGroups', 'domain', 'organization', 'lastSeen', 'username']) expect(all[0], field).toHaveProperty(field);
  });

  const cases: Array<[string, Rec, (e: Rec) => boolean]> = [
    ['type eq (name)', { type: { eq: ['account'] } }, (e) => e.type === 2],
    ['type eq (number as text)', { type: { eq: '1' } }, (e) => e.type === 1],
    ['type neq', { type: { neq: ['user'] } }, (e) => e.type !== 1],
    ['isAdmin eq true', { isAdmin: { eq: true } }, (e) => e.isAdmin === true],
    ['isAdmin eq "true" (typed string in the docs)', { isAdmin: { eq: 'true' } }, (e) => e.isAdmin === true],
    ['entity eq (a user brings its accounts)', { entity: { eq: [{ id: ALICE, inst: 0 }] } }, (e) => e.id === ALICE || e.parentUser?.id === ALICE],
    ['entity neq', { entity: { neq: [{ id: ALICE, saas: 11161, inst: 0 }] } }, (e) => e.id !== ALICE && e.parentUser?.id !== ALICE],
    ['userGroups eq', { userGroups: { eq: ['000000200000000000000000'] } }, (e) => e.userGroups.some((g: Rec) => g.id === '000000200000000000000000')],
    ['app eq', { app: { eq: [10489] } }, (e) => e.appData.appId === 10489 || e.subApps.includes(10489)],
    ['app neq', { app: { neq: [11161] } }, (e) => e.appData.appId !== 11161],
    ['instance neq', { instance: { neq: 0 } }, () => false],
    ['isExternal eq true', { isExternal: { eq: true } }, (e) => e.isExternal === true],
    ['isExternal eq false', { isExternal: { eq: [false] } }, (e) => e.isExternal === false],
    ['isExternal eq null (no value)', { isExternal: { eq: null } }, (e) => e.isExternal === null],
    ['domain eq', { domain: { eq: ['fabrikam.com'] } }, (e) => e.domain === 'fabrikam.com'],
    ['domain isnotset', { domain: { isnotset: true } }, (e) => e.domain === null],
    ['organization eq', { organization: { eq: ['Sales', 'Finance'] } }, (e) => ['Sales', 'Finance'].includes(e.organization)],
    ['organization isset', { organization: { isset: true } }, (e) => e.organization !== null],
    ['status eq (number)', { status: { eq: [3, 4] } }, (e) => [3, 4].includes(e.status)],
    ['status neq (string)', { status: { neq: '2' } }, (e) => e.status !== 2],
  ];

  it.each(cases)('%s narrows the list to exactly the matching entities', async (_name, filters, expected) => {
    const body = await query({ filters });
    const want = all.filter(expected).map((e) => e._id);
    expect(body.data.map((e) => e._id).sort()).toEqual([...want].sort());
    expect(body.total).toBe(want.length);
    expect(body.total).toBeLessThan(all.length);
  });

  it('pages a filtered list and sorts by date (first seen) or severity (investigation priority)', async () => {
    const first = await query({ filters: { type: { eq: ['user'] } }, skip: 0, limit: 4 });
    expect([first.data.length, first.total, first.hasNext]).toEqual([4, 6, true]);
    const second = await query({ filters: { type: { eq: ['user'] } }, skip: 4, limit: 4 });
    expect([second.data.length, second.total, second.hasNext]).toEqual([2, 6, false]);

    const byDate = (await query({ sortField: 'date', sortDirection: 'asc' })).data.map((e) => Date.parse(e.firstSeen));
    expect(byDate).toEqual([...byDate].sort((a, b) => a - b));
    const bySeverity = (await query({ sortField: 'severity', sortDirection: 'desc' })).data.map((e) => e.threatScore);
    const scored = bySeverity.filter((s) => s !== null);
    expect(scored).toEqual([...scored].sort((a, b) => b - a));
    expect(bySeverity.slice(scored.length).every((s) => s === null)).toBe(true);
  });

  it('fetches an entity by its base64 key (the docs’ example key finds Alice), 404 for an unknown key, 400 for a key that is not one', async () => {
    const docsKey = contract.operations.find((o) => o.id === 'getEntity')!.parameters.find((p) => p.name === 'pk')!.examples[0] as string;
    const alice = await m.get(`/v1/entities/${encodeURIComponent(docsKey)}/`);
    expect(alice.statusCode).toBe(200);
    expect(alice.json().displayName).toBe('Alice Ng');
    expect(violations('getEntity', 200, alice.json())).toEqual([]);
    const box = await m.get(`/v1/entities/${encodeURIComponent(encodeEntityPk({ id: '3920184756', saas: 10489, inst: 0 }))}/`);
    expect(box.json().parentUser.id).toBe(DAN);
    const wrongApp = await m.get(`/v1/entities/${encodeURIComponent(encodeEntityPk({ id: ALICE, saas: 10489, inst: 0 }))}/`);
    expect(wrongApp.statusCode).toBe(404);
    expect(violations('getEntity', 404, wrongApp.json())).toEqual([]);
    const bad = await m.get('/v1/entities/not~a~key/');
    expect(bad.statusCode).toBe(400);
    expect(violations('getEntity', 400, bad.json())).toEqual([]);
  });

  it('rejects a bad filter with the declared 400', async () => {
    for (const filters of [{ status: { eq: [7] } }, { app: { eq: ['Box'] } }, { isExternal: { neq: true } }, { type: { startswith: ['u'] } }]) {
      const res = await m.post('/v1/entities/', { filters });
      expect(res.statusCode, JSON.stringify(filters)).toBe(400);
      expect(violations('queryEntities', 400, res.json())).toEqual([]);
    }
  });
});

describe('Cloud Apps files', () => {
  let m: Awaited<ReturnType<typeof mock>>;
  let all: Rec[];
  let everything: Rec[];
  beforeAll(async () => {
    m = await mock();
    const res = await m.get('/v1/files/');
    expect(violations('listFiles', 200, res.json())).toEqual([]);
    all = res.json().data;
    everything = (await m.post('/v1/files/', { filters: { allowDeleted: { eq: true } } })).json().data;
  });
  afterAll(() => m.app.close());

  const query = async (payload: object) => {
    const res = await m.post('/v1/files/', payload);
    expect(res.statusCode, res.body).toBe(200);
    expect(violations('queryFiles', 200, res.json())).toEqual([]);
    return res.json() as { data: Rec[]; hasNext: boolean; total: number };
  };

  it('lists files with the fields real file records carry, leaving deleted files out unless asked', () => {
    for (const field of ['_id', 'id', 'appId', 'name', 'fileType', 'ftype', 'fileAccessLevel', 'facl', 'fileStatus', 'mimeType', 'fileExtension', 'ownerAddress', 'ownerName', 'createdDate', 'modifiedDate', 'collaborators', 'appName']) expect(all[0], field).toHaveProperty(field);
    expect(all.some((f) => f.fstat === 2)).toBe(false);
    expect(all.some((f) => f.fstat === 1)).toBe(true);
    expect(everything.length).toBe(all.length + 1);
  });

  const cases: Array<[string, Rec, (f: Rec) => boolean]> = [
    ['service eq', { service: { eq: [10489] } }, (f) => f.appId === 10489],
    ['fileType eq', { fileType: { eq: [5] } }, (f) => f.ftype === 5],
    ['fileType neq', { fileType: { neq: [1, 6] } }, (f) => ![1, 6].includes(f.ftype)],
    ['sharing eq (external and public)', { sharing: { eq: [2, 3, 4] } }, (f) => f.facl >= 2],
    ['owner.entity eq', { 'owner.entity': { eq: [{ id: ALICE, saas: 11161, inst: 0 }] } }, (f) => f.ownerAddress === 'alice@contoso.com'],
    ['owner.orgUnit neq', { 'owner.orgUnit': { neq: ['Engineering'] } }, (f) => f.ownerOrgUnit !== 'Engineering'],
    ['filename eq', { filename: { eq: ['Price list.docx'] } }, (f) => f.name === 'Price list.docx'],
    ['extension eq', { extension: { eq: ['docx', 'pdf'] } }, (f) => ['docx', 'pdf'].includes(f.fileExtension)],
    ['mimeType eq (single string)', { mimeType: { eq: 'text/csv' } }, (f) => f.mimeType === 'text/csv'],
    ['quarantined eq', { quarantined: { eq: true } }, (f) => f.isQuarantined === true],
    ['folder eq true', { folder: { eq: true } }, (f) => f.isFolder === true],
    ['folder eq false', { folder: { eq: false } }, (f) => f.isFolder === false],
    ['fileLabels isset', { fileLabels: { isset: true } }, (f) => f.fTags.length > 0],
    ['fileScanLabels isnotset', { fileScanLabels: { isnotset: true } }, (f) => f.fScanTags.length === 0],
    ['policy cabinetmatchedrulesequals', { policy: { cabinetmatchedrulesequals: ['64c0a1b2c3d4e5f601000002'] } }, (f) => f.policies.includes('64c0a1b2c3d4e5f601000002')],
    ['collaborators.entity eq', { 'collaborators.entity': { eq: [{ id: DAN, inst: 0 }] } }, (f) => f.collaborators.some((c: Rec) => c.entity.id === DAN)],
    ['collaborators.domains eq', { 'collaborators.domains': { eq: ['fabrikam.com'] } }, (f) => f.domains.includes('fabrikam.com')],
    ['collaborators.withDomain deq', { 'collaborators.withDomain': { deq: ['contoso.com'] } }, (f) => f.collaborators.some((c: Rec) => c.domain !== 'contoso.com')],
    ['parentFolder eq', { parentFolder: { eq: [FINANCE_FOLDER] } }, (f) => f.effectiveParents.includes(FINANCE_FOLDER)],
    ['modifiedDate range', { modifiedDate: { range: [{ start: 1_697_000_000_000, end: 1_698_500_000_000 }] } }, (f) => f.modifiedDate >= 1_697_000_000_000 && f.modifiedDate <= 1_698_500_000_000],
    ['createdDate gte', { createdDate: { gte: 1_698_000_000_000 } }, (f) => f.createdDate >= 1_698_000_000_000],
    ['snapshotLastModifiedDate lte', { snapshotLastModifiedDate: { lte: 1_698_000_000_000 } }, (f) => Date.parse(f.snapshotLastModifiedDate) <= 1_698_000_000_000],
    ['trashed eq true', { trashed: { eq: true } }, (f) => f.fstat === 1],
    ['trashed eq false', { trashed: { eq: false } }, (f) => f.fstat === 0],
  ];

  it.each(cases)('%s narrows the list to exactly the matching files', async (_name, filters, expected) => {
    const body = await query({ filters });
    const want = all.filter(expected).map((f) => f._id);
    expect(body.data.map((f) => f._id).sort()).toEqual([...want].sort());
    expect(body.total).toBe(want.length);
    expect(body.total).toBeLessThan(all.length);
  });

  it('allowDeleted brings deleted files in; fileId finds a file by either id', async () => {
    const deleted = everything.find((f) => f.fstat === 2)!;
    expect((await query({ filters: { fileId: { eq: [deleted._id] } } })).total).toBe(0);
    expect((await query({ filters: { fileId: { eq: [deleted._id] }, allowDeleted: { eq: true } } })).data.map((f) => f._id)).toEqual([deleted._id]);
    expect((await query({ filters: { fileId: { eq: [all[2]!.id] } } })).data.map((f) => f._id)).toEqual([all[2]!._id]);
  });

  it('pages a filtered list', async () => {
    const filters = { fileType: { neq: [6] } };
    const expected = all.filter((f) => f.ftype !== 6).length;
    const a = await query({ filters, skip: 0, limit: 5 });
    const b = await query({ filters, skip: 5, limit: 5 });
    const c = await query({ filters, skip: 10, limit: 5 });
    expect([a.total, b.total, c.total]).toEqual([expected, expected, expected]);
    expect([a.hasNext, b.hasNext, c.hasNext]).toEqual([true, true, false]);
    expect(new Set([...a.data, ...b.data, ...c.data].map((f) => f._id)).size).toBe(expected);
  });

  it('fetches a file by id and answers 404 with the declared body for an unknown id', async () => {
    const one = await m.get(`/v1/files/${all[3]!._id}/`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual(all[3]);
    expect(violations('getFile', 200, one.json())).toEqual([]);
    const missing = await m.get('/v1/files/000000000000000000000000/');
    expect(missing.statusCode).toBe(404);
    expect(violations('getFile', 404, missing.json())).toEqual([]);
  });

  it('rejects a bad filter or a limit over 100 with the declared 400', async () => {
    for (const payload of [{ filters: { fileType: { eq: [9] } } }, { filters: { filename: { neq: ['x'] } } }, { filters: { mimeType: { eq: ['text/csv'] } } }, { filters: { sharing: { contains: ['public'] } } }, { limit: 101 }]) {
      const res = await m.post('/v1/files/', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(violations('queryFiles', 400, res.json())).toEqual([]);
    }
  });
});

describe('Cloud Apps alerts through the shared filter evaluator', () => {
  it('filters on the entities an alert involves, its read state and its resolution date', async () => {
    const m = await mock();
    const all: Rec[] = (await m.get('/v1/alerts/')).json().data;
    const q = async (filters: Rec) => (await m.post('/v1/alerts/', { filters })).json().data.map((a: Rec) => a._id).sort();
    const ids = (f: (a: Rec) => boolean) => all.filter(f).map((a) => a._id).sort();
    expect(await q({ 'entity.entity': { eq: [{ id: ALICE, inst: 0 }] } })).toEqual(ids((a) => a.entities.some((e: Rec) => e.type === 'account' && e.id === ALICE)));
    expect(await q({ 'entity.service': { eq: [11161] } })).toEqual(ids((a) => a.entities.some((e: Rec) => e.type === 'service' && e.id === 11161)));
    expect(await q({ read: { eq: true } })).toEqual(ids((a) => a.statusValue === 1));
    expect(await q({ severity: { neq: [0] }, alertOpen: { eq: true } })).toEqual(ids((a) => a.severityValue !== 0));
    expect(await q({ resolutionDate: { gte: Date.now() - 60_000 } })).toEqual([]);
    const closed = await m.post('/v1/alerts/close_false_positive/', { filters: { 'entity.entity': { eq: [{ id: DAN, inst: 0 }] } }, reasonId: 1 });
    const danAlerts = ids((a) => a.entities.some((e: Rec) => e.id === DAN));
    expect(closed.json()).toEqual({ closed_false_positive: danAlerts.length });
    expect(await q({ resolutionDate: { gte: Date.now() - 60_000 } })).toEqual(danAlerts);
    expect(await q({ alertOpen: { eq: false } })).toEqual(danAlerts);
    await m.app.close();
  });
});

describe('Cloud Apps seed override', () => {
  it('refuses to start on a seed alert that does not follow the contract, naming the record and field', async () => {
    await expect(buildStatefulMockFor(contract, { seed: { alerts: [{ timestamp: 1 }] } })).rejects.toThrow(/alerts\[0\].*'_id'/);
  });

  it('serves and filters the records a seed provides', async () => {
    const seed = {
      activities: [
        { _id: 'a1', timestamp: 1_700_000_000_000, appId: 11161, user: { userName: 'zoe@contoso.com' } },
        { _id: 'a2', timestamp: 1_700_000_100_000, appId: 20893, user: { userName: 'yan@contoso.com' } },
        { _id: 'a3', timestamp: Date.now() - 2 * 86_400_000, appId: 20893, user: { userName: 'zoe@contoso.com' } },
      ],
      entities: [{ _id: 'e1', id: 'zoe', type: 1, isAdmin: false, appData: { appId: 11161, saas: 11161, instance: 0 } }],
      files: [
        { _id: 'f1', name: 'a.txt', ftype: 4, fstat: 0 },
        { _id: 'f2', name: 'b.png', ftype: 5, fstat: 0 },
      ],
    };
    const m = await mock(seed);
    const acts = (await m.post('/v1/activities/', { filters: { 'user.username': { eq: ['yan@contoso.com'] } } })).json();
    expect(acts).toEqual({ data: [seed.activities[1]], hasNext: false, total: 1 });
    const ids = async (filters: Rec) => (await m.post('/v1/activities/', { filters })).json().data.map((a: Rec) => a._id);
    expect(await ids({ date: { gte_ndays: 7 } })).toEqual(['a3']);
    expect(await ids({ date: { lte_ndays: 7 } })).toEqual(['a2', 'a1']);
    expect(await ids({ date: { gte_ndays: 7 }, service: { eq: [11161] } })).toEqual([]);
    expect((await m.get('/v1/entities/')).json().data).toEqual(seed.entities);
    expect((await m.post('/v1/files/', { filters: { fileType: { eq: [5] } } })).json().data.map((f: Rec) => f._id)).toEqual(['f2']);
    expect((await m.get('/v1/activities/a1/')).json()).toEqual(seed.activities[0]);
    await m.app.close();
  });
});

// The handler modules are typed by generated/defender-cloud-apps.ts: `tsc --noEmit -p .` fails when
// one of the expected errors below is no longer an error.
const undeclaredStatus: Handlers<operations> = {
  // @ts-expect-error getAlert declares no 418
  getAlert: () => ({ status: 418, body: { detail: 'teapot' } }),
};
const wrongBody: Handlers<operations> = {
  // @ts-expect-error closeAlertsBenign answers a count, not text
  closeAlertsBenign: () => ({ status: 200, body: { closed_benign: 'two' } }),
};

describe('Cloud Apps handler modules', () => {
  it('answer over a state of their own, without the server', async () => {
    const alerts = alertHandlers(createState({ alerts: [{ _id: 'a1', timestamp: 1, resolutionStatusValue: 0 }] }));
    const request = { query: {}, body: undefined, headers: {} };
    expect(await alerts.getAlert!({ ...request, params: { pk: 'a1' } })).toMatchObject({ status: 200, body: { _id: 'a1' } });
    expect(await alerts.getAlert!({ ...request, params: { pk: 'a2' } })).toEqual({ status: 404, body: { detail: 'Not found.' } });
    const closed = await alerts.closeAlertsBenign!({ ...request, params: {}, body: { filters: { id: { eq: ['a1', 'zz'] } }, sendFeedback: false, allowContact: false } });
    expect(closed).toEqual({ status: 200, body: { closed_benign: 1, alertsNotFound: ['zz'] } });
  });
});
