import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeEntityPk } from '../mocks/defender-cloud-apps/filters.ts';
import { buildStatefulMockFor } from '../mocks/registry.ts';
import { selectApis } from '../src/core/contract/discover.ts';
import { loadContract } from '../src/core/contract/load.ts';
import type { Contract } from '../src/core/contract/model.ts';
import { projectPaths } from '../src/core/paths.ts';
import { validators } from '../src/core/validate/cache.ts';

type Rec = Record<string, any>;

const ALICE = '00aa00aa-bb11-cc22-dd33-44ee44ee44ee';
const CONTOSO_TAG = '64d1c0ffee0000000000a001';
const PROXY_NYC = '5fda44fc1c9c2a2a2f8c0002';

let contract: Contract;
const open: FastifyInstance[] = [];

/**
 * A fresh Cloud Apps mock with a full-admin token. `call` sends a request and, for a status the
 * operation declares with a JSON body, checks the body against the contract.
 */
async function mock() {
  const app = await buildStatefulMockFor(contract, { rateLimit: false });
  open.push(app);
  const token = (await app.inject({ method: 'POST', url: '/__control/credentials', payload: { class: 'valid' } })).json().token;
  const call = async (operationId: string, method: string, url: string, payload?: unknown) => {
    const res = await app.inject({ method: method as never, url: `/api${url}`, headers: { authorization: `Token ${token}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
    const op = contract.operations.find((o) => o.id === operationId)!;
    const declared = op.responses.find((r) => r.status === String(res.statusCode));
    expect(declared, `${operationId} answered ${res.statusCode}, not declared: ${res.body}`).toBeDefined();
    const media = declared!.content.find((m) => /json/.test(m.mediaType));
    if (media?.schemaPointer && res.body) expect(validators.validate(contract, media.schemaPointer, res.json()), `${operationId} ${res.statusCode}`).toEqual([]);
    return res;
  };
  const state = async () => (await app.inject({ method: 'GET', url: '/__control/state' })).json();
  return { app, call, state };
}

beforeAll(async () => {
  contract = await loadContract(selectApis(projectPaths(), ['defender-cloud-apps'])[0]!);
});
afterAll(async () => {
  for (const app of open) await app.close();
});

describe('Cloud Apps IP ranges', () => {
  const range = { name: 'Branch Lisbon', category: 1, subnets: ['203.0.113.0/28', '2001:db8::/48'], organization: 'Contoso Ltd', tags: ['Contoso', 'branch'] };

  it('creates a range, answers its id, and lists, filters, replaces and deletes it', async () => {
    const { call } = await mock();
    const created = await call('createIpRange', 'POST', '/v1/subnet/create_rule/', range);
    expect(created.statusCode).toBe(200);
    const id = created.json();
    expect(id).toMatch(/^[0-9a-f]{24}$/);

    const listed: Rec[] = (await call('listIpRanges', 'GET', '/v1/subnet/')).json().data;
    const mine = listed.find((r) => r._id === id)!;
    expect(mine).toMatchObject({ name: 'Branch Lisbon', category: 1, organization: 'Contoso Ltd' });
    // Stored in IPv6 form, IPv4 as IPv4-mapped with the prefix + 96, as the docs' sample shows.
    expect(mine.subnets).toEqual([
      { mask: 124, address: '0000:0000:0000:0000:0000:ffff:cb00:7100', originalString: '203.0.113.0/28' },
      { mask: 48, address: '2001:0db8:0000:0000:0000:0000:0000:0000', originalString: '2001:db8::/48' },
    ]);
    // A tag name some range already carries is that tag; a new name is a new tag.
    expect(mine.tags[0]).toMatchObject({ id: CONTOSO_TAG, name: 'Contoso' });
    expect(mine.tags[1]).toMatchObject({ name: 'branch', type: 0 });

    const corporate = (await call('queryIpRanges', 'POST', '/v1/subnet/', { filters: { category: { eq: 1 }, tags: { eq: [CONTOSO_TAG] } }, sortField: 'name' })).json();
    expect(corporate.data.map((r: Rec) => r.name)).toEqual(['Branch Lisbon', 'Contoso headquarters']);
    const custom = (await call('queryIpRanges', 'POST', '/v1/subnet/', { filters: { builtIn: { eq: false } } })).json();
    expect(custom.data.map((r: Rec) => r.name)).not.toContain('Microsoft Azure');
    const page = (await call('queryIpRanges', 'POST', '/v1/subnet/', { limit: 2, skip: 0, sortField: 'category', sortDirection: 'desc' })).json();
    expect(page).toMatchObject({ total: 5, hasNext: true });
    expect(page.data.map((r: Rec) => r.category)).toEqual([5, 4]);

    // A replacement: what is left out is cleared.
    const updated = await call('updateIpRange', 'POST', `/v1/subnet/${id}/update_rule/`, { name: 'Branch Lisbon', category: 3, subnets: ['203.0.113.0/29'] });
    expect(updated.statusCode).toBe(200);
    const after = (await call('listIpRanges', 'GET', '/v1/subnet/')).json().data.find((r: Rec) => r._id === id);
    expect(after).toMatchObject({ category: 3, organization: null, tags: [] });
    expect(after.subnets.map((s: Rec) => s.originalString)).toEqual(['203.0.113.0/29']);

    const deleted = await call('deleteIpRange', 'DELETE', `/v1/subnet/${id}/`);
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json()).toEqual({});
    expect((await call('listIpRanges', 'GET', '/v1/subnet/')).json().data.some((r: Rec) => r._id === id)).toBe(false);
    expect((await call('deleteIpRange', 'DELETE', `/v1/subnet/${id}/`)).statusCode).toBe(404);
    expect((await call('updateIpRange', 'POST', `/v1/subnet/${id}/update_rule/`, range)).statusCode).toBe(404);
  });

  it('refuses bad blocks, a taken name and a body without required fields', async () => {
    const { call } = await mock();
    for (const subnets of [['203.0.113.0/33'], ['not-an-ip/24'], ['10.0.0.0/8/1'], ['2001:db8::/129']]) {
      const res = await call('createIpRange', 'POST', '/v1/subnet/create_rule/', { ...range, subnets });
      expect(res.statusCode, subnets[0]).toBe(400);
    }
    expect((await call('createIpRange', 'POST', '/v1/subnet/create_rule/', { ...range, name: 'contoso VPN' })).json().detail).toMatch(/already exists/);
    expect((await call('createIpRange', 'POST', '/v1/subnet/create_rule/', { name: 'x', subnets: ['10.0.0.0/8'] })).statusCode).toBe(400);
    expect((await call('createIpRange', 'POST', '/v1/subnet/create_rule/', { ...range, subnets: [] })).statusCode).toBe(400);
    // Renaming a range to another's name is refused; keeping its own name is not.
    const seeded = '5fd767259cd24bb563567d02';
    expect((await call('updateIpRange', 'POST', `/v1/subnet/${seeded}/update_rule/`, { name: 'Contoso headquarters', category: 4, subnets: ['198.51.100.192/26'] })).statusCode).toBe(400);
    expect((await call('updateIpRange', 'POST', `/v1/subnet/${seeded}/update_rule/`, { name: 'Contoso VPN', category: 4, subnets: ['198.51.100.192/26'] })).statusCode).toBe(200);
    expect((await call('queryIpRanges', 'POST', '/v1/subnet/', { filters: { category: { eq: 9 } } })).statusCode).toBe(400);
  });

  it('labels the activities from the addresses a range covers', async () => {
    const { call } = await mock();
    const risky = async () => (await call('queryActivities', 'POST', '/v1/activities/', { filters: { 'ip.category': { eq: 3 } }, limit: 100 })).json().data.map((a: Rec) => a.device.clientIP);
    expect(new Set(await risky())).toEqual(new Set(['192.0.2.77']));
    const id = (await call('createIpRange', 'POST', '/v1/subnet/create_rule/', { name: 'Cellcom hotspot', category: 3, subnets: ['203.0.113.9/32'], tags: ['hotspot'] })).json();
    expect(new Set(await risky())).toEqual(new Set(['192.0.2.77', '203.0.113.9']));
    const tag = (await call('listIpRanges', 'GET', '/v1/subnet/')).json().data.find((r: Rec) => r._id === id).tags[0].id;
    const tagged = (await call('queryActivities', 'POST', '/v1/activities/', { filters: { 'ip.tags': { eq: [tag] } } })).json();
    const fromThere = (await call('queryActivities', 'POST', '/v1/activities/', { filters: { 'ip.address': { eq: ['203.0.113.9'] } } })).json();
    expect(tagged.total).toBe(fromThere.total);
    expect(tagged.total).toBeGreaterThan(0);
    await call('deleteIpRange', 'DELETE', `/v1/subnet/${id}/`);
    expect(new Set(await risky())).toEqual(new Set(['192.0.2.77']));
  });
});

describe('Cloud Apps alerts: retired bulk calls and reopening', () => {
  const openIds = async (call: Awaited<ReturnType<typeof mock>>['call']) =>
    (await call('queryAlerts', 'POST', '/v1/alerts/', { filters: { alertOpen: { eq: true } }, limit: 100 })).json().data.map((a: Rec) => a._id);

  it('resolves and dismisses as the close calls do, and reopens what was closed', async () => {
    const { call } = await mock();
    const before: string[] = await openIds(call);
    const [first, second] = before;
    const resolved = await call('resolveAlerts', 'POST', '/v1/alerts/resolve/', { filters: { id: { eq: [first, 'ffffffffffffffffffffffff'] } }, comment: 'done' });
    expect(resolved.json()).toEqual({ closed_true_positive: 1, alertsNotFound: ['ffffffffffffffffffffffff'] });
    expect((await call('getAlert', 'GET', `/v1/alerts/${first}/`)).json().resolutionStatusValue).toBe(5);
    const dismissed = await call('dismissAlertsBulk', 'POST', '/v1/alerts/dismiss_bulk/', { filters: { id: { eq: [first, second] } } });
    // The one already closed stays as it is.
    expect(dismissed.json()).toEqual({ closed_false_positive: 1 });
    expect((await call('getAlert', 'GET', `/v1/alerts/${second}/`)).json().resolutionStatusValue).toBe(3);
    expect(await openIds(call)).toHaveLength(before.length - 2);

    const reopened = await call('reopenAlerts', 'POST', '/v1/alerts/reopen/', { filters: { id: { eq: [first, second] } } });
    expect(reopened.json()).toEqual({ reopened: 2 });
    const alert = (await call('getAlert', 'GET', `/v1/alerts/${first}/`)).json();
    expect(alert).toMatchObject({ resolutionStatusValue: 0, resolveTime: null });
    expect(new Set(await openIds(call))).toEqual(new Set(before));
    // Reopening an open alert changes nothing.
    expect((await call('reopenAlerts', 'POST', '/v1/alerts/reopen/', { filters: { id: { eq: [first] } } })).json()).toEqual({ reopened: 0 });
  });

  it('refuses a reopen without filters or with an unknown operator, and bulk calls without filters', async () => {
    const { call } = await mock();
    expect((await call('reopenAlerts', 'POST', '/v1/alerts/reopen/')).statusCode).toBe(400);
    expect((await call('reopenAlerts', 'POST', '/v1/alerts/reopen/', {})).statusCode).toBe(400);
    const bad = await call('reopenAlerts', 'POST', '/v1/alerts/reopen/', { filters: { severity: { near: 2 } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toMatch(/severity/);
    expect((await call('resolveAlerts', 'POST', '/v1/alerts/resolve/', { comment: 'x' })).statusCode).toBe(400);
    expect((await call('dismissAlertsBulk', 'POST', '/v1/alerts/dismiss_bulk/', { filters: { id: { eq: 5 } } })).statusCode).toBe(400);
  });
});

describe('Cloud Apps activity feedback', () => {
  it('keeps feedback on a known activity and answers that activity', async () => {
    const { call, state } = await mock();
    const activity = (await call('listActivities', 'GET', '/v1/activities/')).json().data[0];
    const res = await call('sendActivityFeedback', 'POST', `/v1/activities/${activity._id}/feedback`, { feedbackValue: '0', feedbackText: 'Irrelevant', allowContact: true, contactEmail: 'soc@contoso.com' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ total: 1, hasNext: false, data: [activity] });
    const kept = (await state()).activityFeedback;
    expect(kept).toEqual([expect.objectContaining({ activityId: activity._id, feedbackText: 'Irrelevant', contactEmail: 'soc@contoso.com' })]);
  });

  it('answers 404 for an unknown activity and 400 for empty feedback or contact without an address', async () => {
    const { call } = await mock();
    const activity = (await call('listActivities', 'GET', '/v1/activities/')).json().data[0];
    expect((await call('sendActivityFeedback', 'POST', '/v1/activities/no-such-activity/feedback', { feedbackValue: '0' })).statusCode).toBe(404);
    expect((await call('sendActivityFeedback', 'POST', `/v1/activities/${activity._id}/feedback`, {})).statusCode).toBe(400);
    expect((await call('sendActivityFeedback', 'POST', `/v1/activities/${activity._id}/feedback`, { feedbackText: 'x', allowContact: true })).statusCode).toBe(400);
    expect((await call('sendActivityFeedback', 'POST', `/v1/activities/${activity._id}/feedback`, { feedbackValue: 0 })).statusCode).toBe(400);
  });
});

describe('Cloud Apps entity trees', () => {
  it("gives a user's accounts, and an account's user and fellow accounts", async () => {
    const { call } = await mock();
    const user = (await call('getEntityTree', 'GET', `/v1/entities/${encodeEntityPk({ id: ALICE, saas: 11161, inst: 0 })}/retrieve_tree/`)).json();
    expect(user.entity.id).toBe(ALICE);
    expect(user.parent).toBeNull();
    expect(user.children.map((a: Rec) => a._id).sort()).toEqual(['5f01dc3d2290378300000001', '5f01dc3d2290378300000002']);
    const account = (await call('getEntityTree', 'GET', '/v1/entities/5f01dc3d2290378300000001/retrieve_tree/')).json();
    expect(account.parent.id).toBe(ALICE);
    expect(account.siblings.map((a: Rec) => a._id)).toEqual(['5f01dc3d2290378300000002']);
    // The plain id works too.
    expect((await call('getEntityTree', 'GET', `/v1/entities/${ALICE}/retrieve_tree/`)).json().entity.id).toBe(ALICE);
  });

  it('answers 404 for an entity it does not hold', async () => {
    const { call } = await mock();
    expect((await call('getEntityTree', 'GET', `/v1/entities/${encodeEntityPk({ id: 'nobody', saas: 11161, inst: 0 })}/retrieve_tree/`)).statusCode).toBe(404);
    expect((await call('getEntityTree', 'GET', '/v1/entities/nobody/retrieve_tree/')).statusCode).toBe(404);
  });
});

describe('Cloud Apps discovery', () => {
  it('takes a log upload once into a data source, and logs the parse task', async () => {
    const { call } = await mock();
    const started = await call('getDiscoveryUploadUrl', 'GET', '/v1/discovery/upload_url/?filename=proxy.log&source=BLUECOAT');
    expect(started.statusCode).toBe(200);
    const { url, provider } = started.json();
    expect(provider).toBe('azure');
    const done = await call('finalizeDiscoveryUpload', 'POST', '/v1/discovery/done_upload/', { uploadUrl: url, inputStreamName: 'Proxy NYC' });
    expect(done.statusCode).toBe(200);
    const streams: Rec[] = (await call('listDiscoveryStreams', 'GET', '/discovery/streams/')).json();
    expect(streams.find((s) => s._id === PROXY_NYC)!.logFilesHistoryCount).toBe(41);
    const log = (await call('listGovernanceActions', 'POST', '/v1/governance/', { filters: { type: { eq: ['DiscoveryParseLogTask'] } } })).json();
    expect(log.data[0]).toMatchObject({ taskName: 'DiscoveryParseLogTask', targetObjectName: 'proxy.log', status: { isSuccess: true } });
    expect((await call('getGovernanceAction', 'GET', `/v1/governance/${log.data[0]._id}/`)).json()).toEqual(log.data[0]);

    // Finalised once only; an address the mock never gave is refused; so is an unknown data source.
    expect((await call('finalizeDiscoveryUpload', 'POST', '/v1/discovery/done_upload/', { uploadUrl: url, inputStreamName: 'Proxy NYC' })).json().detail).toMatch(/already/);
    expect((await call('finalizeDiscoveryUpload', 'POST', '/v1/discovery/done_upload/', { uploadUrl: 'https://example.com/x', inputStreamName: 'Proxy NYC' })).statusCode).toBe(400);
    const other = (await call('getDiscoveryUploadUrl', 'GET', '/v1/discovery/upload_url/?filename=b.log&source=CISCO_ASA')).json().url;
    expect((await call('finalizeDiscoveryUpload', 'POST', '/v1/discovery/done_upload/', { uploadUrl: other, inputStreamName: 'No such source' })).statusCode).toBe(400);
    expect((await call('finalizeDiscoveryUpload', 'POST', '/v1/discovery/done_upload/', { uploadUrl: other })).statusCode).toBe(400);
    expect((await call('getDiscoveryUploadUrl', 'GET', '/v1/discovery/upload_url/?filename=b.log')).statusCode).toBe(400);
  });

  it('makes a snapshot report from an upload, with the log type of its source', async () => {
    const { call } = await mock();
    const { url } = (await call('getDiscoveryUploadUrl', 'GET', '/v1/discovery/upload_url/?filename=asa.log&source=CISCO_ASA')).json();
    expect((await call('finalizeDiscoveryUpload', 'POST', '/v1/discovery/done_upload/', { uploadUrl: url, inputStreamName: 'ASA snapshot', uploadAsSnapshot: true })).statusCode).toBe(200);
    const snapshot = (await call('listDiscoveryStreams', 'GET', '/discovery/streams/')).json().find((s: Rec) => s.displayName === 'ASA snapshot');
    expect(snapshot).toMatchObject({ streamType: 5, logType: 104, isManual: true, logFilesHistoryCount: 1 });
    // Its report has no apps yet.
    expect((await call('listDiscoveredAppCategories', 'POST', '/v1/discovery/discovered_apps/categories/', { streamId: snapshot._id })).json()).toEqual([]);
  });

  it("counts a report's apps per category, within a time frame, filtered and sorted by count", async () => {
    const { call } = await mock();
    const categories = (body: Rec) => call('listDiscoveredAppCategories', 'POST', '/v1/discovery/discovered_apps/categories/', body);
    expect((await categories({ streamId: PROXY_NYC })).json()).toEqual([
      { id: 'SAASDB_CATEGORY_CLOUD_STORAGE', total: 2 },
      { id: 'SAASDB_CATEGORY_COLLABORATION', total: 1 },
      { id: 'SAASDB_CATEGORY_CRM', total: 1 },
      { id: 'SAASDB_CATEGORY_CONTENT_SHARING', total: 1 },
      { id: 'SAASDB_CATEGORY_PERSONAL_INSTANT_MESSAGING', total: 1 },
    ]);
    // Seven days back from the report's last data: the apps seen in that week.
    expect((await categories({ streamId: PROXY_NYC, timeFrame: 7, sortDirection: 'asc' })).json()).toEqual([
      { id: 'SAASDB_CATEGORY_COLLABORATION', total: 1 },
      { id: 'SAASDB_CATEGORY_CLOUD_STORAGE', total: 2 },
    ]);
    expect((await categories({ streamId: PROXY_NYC, filters: { category: { eq: ['SAASDB_CATEGORY_CRM'] } } })).json()).toEqual([{ id: 'SAASDB_CATEGORY_CRM', total: 1 }]);
    expect((await categories({ streamId: PROXY_NYC, limit: 1, skip: 1 })).json()).toHaveLength(1);
    expect((await categories({ streamId: 'nope' })).statusCode).toBe(400);
    expect((await categories({})).statusCode).toBe(400);
  });

  it('builds block scripts from the apps tagged unsanctioned, per appliance', async () => {
    const { app, call } = await mock();
    const bluecoat = await call('generateBlockScript', 'GET', '/discovery_block_scripts/?format=102&type=banned');
    expect(bluecoat.statusCode).toBe(200);
    expect(bluecoat.headers['content-type']).toMatch(/text\/plain/);
    expect(bluecoat.body).toBe('url.domain=filedropfree.example deny\nurl.domain=cdn.filedropfree.example deny\nurl.domain=quicksend.example deny\n');
    const websense = await call('generateBlockScript', 'GET', '/discovery_block_scripts/?format=135');
    expect(websense.body.split('\n')[0]).toBe('dest_host=filedropfree.example action=deny');
    expect((await call('generateBlockScript', 'GET', '/discovery_block_scripts/?format=999')).statusCode).toBe(400);
    expect((await call('generateBlockScript', 'GET', '/discovery_block_scripts/?format=102&type=sanctioned')).statusCode).toBe(400);
    expect((await call('generateBlockScript', 'GET', '/discovery_block_scripts/')).statusCode).toBe(400);
    // With no unsanctioned app the script is empty.
    const state = (await app.inject({ method: 'GET', url: '/__control/state' })).json();
    const clean = await buildStatefulMockFor(contract, { rateLimit: false, seed: { discoverySightings: state.discoverySightings.map((a: Rec) => ({ ...a, tag: null })) } });
    open.push(clean);
    const token = (await clean.inject({ method: 'POST', url: '/__control/credentials', payload: { class: 'valid' } })).json().token;
    const empty = await clean.inject({ method: 'GET', url: '/api/discovery_block_scripts/?format=102', headers: { authorization: `Token ${token}` } });
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toBe('');
  });

  it('reads app catalog entries by id, 404 for an id it does not hold', async () => {
    const { call } = await mock();
    expect((await call('getSaasDbApp', 'GET', '/v1/saasdb/11114/')).json()).toMatchObject({ appId: 11114, name: 'Salesforce', category: 'SAASDB_CATEGORY_CRM' });
    expect((await call('getSaasDbApp', 'GET', '/v1/saasdb/424242/')).statusCode).toBe(404);
    expect((await call('getSaasDbApp', 'GET', '/v1/saasdb/abc/')).statusCode).toBe(400);
  });
});

describe('Cloud Apps governance log and managed devices', () => {
  it('lists the governance log newest first, filtered by app, type and status, and reads entries by id', async () => {
    const { call } = await mock();
    const all = (await call('listGovernanceActions', 'POST', '/v1/governance/')).json();
    expect(all.total).toBe(4);
    expect(all.data.map((g: Rec) => g.timestamp)).toEqual([...all.data.map((g: Rec) => g.timestamp)].sort((a, b) => b - a));
    const failed = (await call('listGovernanceActions', 'POST', '/v1/governance/', { filters: { status: { eq: [0] } } })).json();
    expect(failed.data.map((g: Rec) => g.taskName)).toEqual(['DiscoveryParseLogTask']);
    const box = (await call('listGovernanceActions', 'POST', '/v1/governance/', { filters: { appId: { eq: [10489] } }, sortField: 'timestamp', sortDirection: 'asc' })).json();
    expect(box.data.map((g: Rec) => g.taskName)).toEqual(['SuspendUserTask']);
    const paged = (await call('listGovernanceActions', 'POST', '/v1/governance/', { limit: 1, skip: 1 })).json();
    expect(paged).toMatchObject({ total: 4, hasNext: true });
    expect((await call('getGovernanceAction', 'GET', '/v1/governance/5f6c1c5e8f1e2a0001a1b2c4/')).json().taskName).toBe('SuspendUserTask');
    expect((await call('getGovernanceAction', 'GET', '/v1/governance/ffffffffffffffffffffffff/')).statusCode).toBe(404);
  });

  it('refuses a governance or managed-device body with an unknown operator, a limit over 100 or an unknown sort field', async () => {
    const { call } = await mock();
    expect((await call('listGovernanceActions', 'POST', '/v1/governance/', { filters: { type: { like: 'x' } } })).statusCode).toBe(400);
    expect((await call('listGovernanceActions', 'POST', '/v1/governance/', { limit: 500 })).statusCode).toBe(400);
    expect((await call('listGovernanceActions', 'POST', '/v1/governance/', { sortField: 'name' })).statusCode).toBe(400);
    expect((await call('getManagedDevicesData', 'POST', '/v1/managed_devices/get_data', { skip: -1 })).statusCode).toBe(400);
    expect((await call('getManagedDevicesData', 'POST', '/v1/managed_devices/get_data', { filters: [] })).statusCode).toBe(400);
  });

  it('lists managed devices, filtered on their fields', async () => {
    const { call } = await mock();
    expect((await call('getManagedDevicesData', 'POST', '/v1/managed_devices/get_data')).json().total).toBe(3);
    const noncompliant = (await call('getManagedDevicesData', 'POST', '/v1/managed_devices/get_data', { filters: { isCompliant: { eq: false } } })).json();
    expect(noncompliant.data.map((d: Rec) => d.displayName)).toEqual(['CONTOSO-MBP-007']);
    const windows = (await call('getManagedDevicesData', 'POST', '/v1/managed_devices/get_data', { filters: { osPlatform: { eq: 'Windows' } }, limit: 1 })).json();
    expect(windows).toMatchObject({ total: 2, hasNext: true });
  });
});

describe('Cloud Apps snapshot', () => {
  it('carries ranges, uploads and feedback into a restarted mock', async () => {
    const { call, state } = await mock();
    const id = (await call('createIpRange', 'POST', '/v1/subnet/create_rule/', { name: 'Kept', category: 6, subnets: ['192.0.2.0/30'] })).json();
    const snapshot = await state();
    const again = await buildStatefulMockFor(contract, { rateLimit: false, seed: snapshot });
    open.push(again);
    expect((await again.inject({ method: 'GET', url: '/__control/state' })).json()).toEqual(snapshot);
    expect(snapshot.ipRanges.some((r: Rec) => r._id === id)).toBe(true);
  });
});
