import type { FastifyInstance } from 'fastify';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildStatefulMockFor } from '../mocks/registry.ts';
import { selectApis } from '../src/core/contract/discover.ts';
import { loadContract } from '../src/core/contract/load.ts';
import type { Contract } from '../src/core/contract/model.ts';
import { lookupRoute } from '../src/core/contract/route.ts';
import { projectPaths } from '../src/core/paths.ts';
import { validators } from '../src/core/validate/cache.ts';

/**
 * The portal routes the MCAS PowerShell module calls (`/cas/api/...`, undocumented) and the two
 * undocumented /api/v1 routes on the same resources, against the stateful mock, spelled as the
 * module spells them: state shared across routes and prefixes, bad input refused with declared answers.
 */
let contract: Contract;
let sensor: Contract;
const open: FastifyInstance[] = [];

beforeAll(async () => {
  contract = await loadContract(selectApis(projectPaths(), ['defender-cloud-apps'])[0]!);
  sensor = await loadContract(selectApis(projectPaths(), ['defender-iot-sensor'])[0]!);
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((a) => a.close()));
});

async function mock(c: Contract, payload: Record<string, unknown> = { class: 'valid' }) {
  const app = await buildStatefulMockFor(c, { rateLimit: false });
  open.push(app);
  const token: string = (await app.inject({ method: 'POST', url: '/__control/credentials', payload }).then((r) => r.json())).token;
  return { app, token };
}

/** Sends a call with the module's `Token` header and checks the answer against the operation it routes to. */
async function mcas(app: FastifyInstance, token: string, method: string, url: string, payload?: unknown) {
  const res = await app.inject({ method: method as 'GET', url, headers: { authorization: `Token ${token}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
  const op = lookupRoute(contract, method, url).match!.operation;
  const declared = op.responses.find((r) => r.status === String(res.statusCode));
  expect(declared, `${method} ${url} answered ${res.statusCode} ${res.body}`).toBeDefined();
  const media = declared!.content.find((m) => m.mediaType === 'application/json');
  if (media?.schemaPointer) expect(validators.validate(contract, media.schemaPointer, res.json()), `${method} ${url}`).toEqual([]);
  return { status: res.statusCode, body: res.body ? res.json() : undefined, op: op.id };
}

describe('Cloud Apps portal routes in the stateful mock', () => {
  it('admin access: listed, granted once per user, removed by objectId', async () => {
    const { app, token } = await mock(contract);
    const before = await mcas(app, token, 'GET', '/cas/api/v1/manage_admin_access/');
    expect(before.body.data.map((a: { username: string }) => a.username)).toEqual(['alice@contoso.com', 'bob@contoso.com']);
    const added = await mcas(app, token, 'POST', '/cas/api/v1/manage_admin_access/', { username: 'carol@contoso.com', permissionType: 1 });
    expect(added.body).toMatchObject({ username: 'carol@contoso.com', permission_type: 'READ_ONLY' });
    expect((await mcas(app, token, 'POST', '/cas/api/v1/manage_admin_access/', { username: 'Carol@contoso.com', permissionType: 0 })).status).toBe(400);
    expect((await mcas(app, token, 'POST', '/cas/api/v1/manage_admin_access/', { username: 'dan@contoso.com', permissionType: 7 })).status).toBe(400);
    expect((await mcas(app, token, 'DELETE', `/cas/api/v1/manage_admin_access/${added.body.objectId}/`)).status).toBe(200);
    const after = await mcas(app, token, 'GET', '/cas/api/v1/manage_admin_access/');
    expect(after.body.data.some((a: { username: string }) => a.username === 'carol@contoso.com')).toBe(false);
    expect((await mcas(app, token, 'DELETE', `/cas/api/v1/manage_admin_access/${added.body.objectId}/`)).status).toBe(404);
  });

  it('discovery data sources: one collection behind the portal list and create and the undocumented /api/v1 delete', async () => {
    const { app, token } = await mock(contract);
    const list = async () => (await mcas(app, token, 'GET', '/cas/api/v1/discovery/data_sources/?skip=0&limit=100&sortField=created&sortDirection=desc')).body.data as { _id: string; displayName: string; receiverType: string }[];
    expect((await list()).map((d) => d.displayName)).toEqual(['branch-proxy', 'hq-firewall', 'Defender for Endpoint']);
    const created = await mcas(app, token, 'POST', '/cas/api/v1/discovery/data_sources/', { displayName: 'dmz', logType: 106, receiverType: 'syslog', receiverTypeFull: 'syslog-udp', protocol: 'udp' });
    expect(created.status).toBe(200);
    expect((await list())[0]!.displayName).toBe('dmz');
    // Names are unique; a syslog receiver needs its protocol; the pattern the module validates holds.
    expect((await mcas(app, token, 'POST', '/cas/api/v1/discovery/data_sources/', { displayName: 'DMZ', logType: 1, receiverType: 'ftp' })).status).toBe(400);
    expect((await mcas(app, token, 'POST', '/cas/api/v1/discovery/data_sources/', { displayName: 'tcp-less', logType: 1, receiverType: 'syslog' })).status).toBe(400);
    expect((await mcas(app, token, 'POST', '/cas/api/v1/discovery/data_sources/', { displayName: 'has space', logType: 1, receiverType: 'ftp' })).status).toBe(400);
    // Deleted through the other prefix, as Remove-MCASDiscoveryDataSource does; collectors stop naming it.
    const del = await mcas(app, token, 'DELETE', '/api/v1/discovery/data_sources/5f6c1c5e8f1e2a0001a1b2c4/');
    expect([del.op, del.status]).toEqual(['deleteDiscoveryDataSource', 200]);
    expect((await list()).some((d) => d._id === '5f6c1c5e8f1e2a0001a1b2c4')).toBe(false);
    const collectors = (await mcas(app, token, 'GET', '/cas/api/v1/discovery/log_collectors/')).body.data;
    expect(collectors.find((c: { name: string }) => c.name === 'collector-hq').dataSources).toEqual([]);
    expect((await mcas(app, token, 'DELETE', '/api/v1/discovery/data_sources/5f6c1c5e8f1e2a0001a1b2c4/')).status).toBe(404);
    // The built-in source is refused, which is why the module skips it.
    expect((await mcas(app, token, 'DELETE', '/api/v1/discovery/data_sources/5f6c1c5e8f1e2a0001a1b2c0/')).status).toBe(400);
    expect((await list()).length).toBe(3);
  });

  it('SIEM agents: the /api/v1 list and the portal token route share the agents', async () => {
    const { app, token } = await mock(contract);
    const agents = (await mcas(app, token, 'GET', '/api/v1/agents/siem/')).body.data as { _id: string }[];
    expect(agents.length).toBe(2);
    const first = await mcas(app, token, 'POST', `/cas/api/v1/agents/siem/${agents[0]!._id}/generate/`);
    const second = await mcas(app, token, 'POST', `/cas/api/v1/agents/siem/${agents[0]!._id}/generate/`);
    expect(first.body.token).not.toBe(second.body.token);
    expect((await mcas(app, token, 'POST', '/cas/api/v1/agents/siem/ffffffffffffffffffff4242/generate/')).status).toBe(404);
    // The module validates the id as 24 hex digits; anything else is a bad request.
    expect((await mcas(app, token, 'POST', '/cas/api/v1/agents/siem/not-an-id/generate/')).status).toBe(400);
  });

  it('policies, reports, tags, user groups and discovered apps answer from state with the module’s filters', async () => {
    const { app, token } = await mock(contract);
    const files = await mcas(app, token, 'POST', '/cas/api/v1/policies/', { skip: 0, limit: 100, filters: { type: { eq: 'FILE' } } });
    expect(files.body.data.map((p: { name: string }) => p.name)).toEqual(['Files shared with personal email addresses']);
    expect((await mcas(app, token, 'GET', '/cas/api/v1/policies/FILE/5f6c1c5e8f1e2a0001a1b2d1/')).status).toBe(200);
    // The id of a FILE policy under another type is not that type's policy.
    expect((await mcas(app, token, 'GET', '/cas/api/v1/policies/SESSION/5f6c1c5e8f1e2a0001a1b2d1/')).status).toBe(404);
    expect((await mcas(app, token, 'GET', '/cas/api/v1/policies/NOT_A_TYPE/5f6c1c5e8f1e2a0001a1b2d1/')).status).toBe(400);
    const reports = (await mcas(app, token, 'GET', '/cas/api/reports/')).body.data;
    const content = await mcas(app, token, 'GET', `/cas/api/reports/${reports[0].non_entities_report}/`);
    expect(content.body.data.length).toBeGreaterThan(0);
    expect((await mcas(app, token, 'GET', '/cas/api/reports/no_such_report/')).status).toBe(404);
    const tags = (await mcas(app, token, 'GET', '/cas/api/tags/?enabledOnly=true&sort=name&sortDirectory=asc&target=ip')).body.data;
    expect(tags.map((t: { name: string }) => t.name)).toEqual(['Anonymous proxy', 'Corporate VPN']);
    const imported = await mcas(app, token, 'POST', '/cas/api/v1/user_tags/create_tag/', { groupId: '0f3a7c2e-5b1d-4e8a-9c6f-2d7b8e1a4c30', appId: 11161, shouldNotify: false });
    const again = await mcas(app, token, 'POST', '/cas/api/v1/user_tags/create_tag/', { groupId: '0F3A7C2E-5B1D-4E8A-9C6F-2D7B8E1A4C30', appId: 11161 });
    expect(again.body._id).toBe(imported.body._id);
    expect((await mcas(app, token, 'POST', '/cas/api/v1/user_tags/', { skip: 0, limit: 100 })).body.total).toBe(3);
    expect((await mcas(app, token, 'POST', '/cas/api/v1/user_tags/create_tag/', { groupId: 'not-a-guid', appId: 11161 })).status).toBe(400);
    const appTags = await mcas(app, token, 'POST', '/cas/api/v1/discovery/discovered_apps/tags/', { skip: 0, filters: { appId: { eq: [20893] } } });
    expect(appTags.body.data).toEqual([{ appId: 20893, tags: ['Unsanctioned'] }]);
    const risky = await mcas(app, token, 'POST', '/cas/api/v1/discovery/discovered_apps/', { skip: 0, limit: 100, timeframe: 90, filters: { score: { eq: [9, 10] } } });
    expect(risky.body.data.map((a: { appId: number }) => a.appId)).toEqual([11161, 11770]);
    const types = await mcas(app, token, 'GET', '/cas/api/v1/autocomplete/activity-types/?search=&service=eq(i%3A11770%2C)');
    expect(types.body.records.items).toEqual([{ category: 'Log on', appId: 11770, Service_Name: 'Google Workspace' }]);
  });

  it('settings reads and /cas/constants.js answer the records the module reads', async () => {
    const { app, token } = await mock(contract);
    expect((await mcas(app, token, 'GET', '/cas/api/v1/mail_settings/get/')).body.tenantEmail.replyTo).toBe('security@contoso.com');
    expect((await mcas(app, token, 'GET', '/cas/api/v1/discovery/weights/')).body.fields).toBeDefined();
    const constants = await mcas(app, token, 'GET', '/cas/constants.js');
    expect([constants.op, constants.body.samlProxyServerUrl]).toEqual(['getPortalConstants', 'us.saml.cas.ms']);
    // Without the module's `Token` credential the portal routes answer like every other route.
    const res = await app.inject({ method: 'GET', url: '/cas/api/v1/settings/' });
    expect(res.statusCode).toBe(401);
  });
});

describe('the sensor web UI PCAP route in the stateful mock', () => {
  it('answers a web UI session with the capture of a known alert, 404 for an unknown one, and refuses the access token', async () => {
    const { app } = await mock(sensor, { class: 'valid', kind: 'session' });
    const session: string = (await app.inject({ method: 'POST', url: '/__control/credentials', payload: { class: 'valid', kind: 'session' } }).then((r) => r.json())).token;
    const token: string = (await app.inject({ method: 'POST', url: '/__control/credentials', payload: { class: 'valid' } }).then((r) => r.json())).token;
    const alerts = (await app.inject({ method: 'GET', url: '/api/v1/alerts', headers: { authorization: token } })).json() as { id: number }[];
    const cookie = `csrftoken=abc; sessionid=${session}`;
    const ok = await app.inject({ method: 'GET', url: `/api/alert/filtered-pcap/${alerts[0]!.id}`, headers: { cookie } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toContain('application/vnd.tcpdump.pcap');
    expect(ok.rawPayload.subarray(0, 4).toString('hex')).toBe('d4c3b2a1');
    expect((await app.inject({ method: 'GET', url: '/api/alert/filtered-pcap/999999', headers: { cookie } })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/alert/filtered-pcap/abc', headers: { cookie } })).statusCode).toBe(400);
    // An access token is no web UI session, in the header or in the cookie.
    expect([401, 403]).toContain((await app.inject({ method: 'GET', url: `/api/alert/filtered-pcap/${alerts[0]!.id}`, headers: { authorization: token } })).statusCode);
    expect([401, 403]).toContain((await app.inject({ method: 'GET', url: `/api/alert/filtered-pcap/${alerts[0]!.id}`, headers: { cookie: `sessionid=${token}` } })).statusCode);
    // The control API refuses a kind it does not know.
    expect((await app.inject({ method: 'POST', url: '/__control/credentials', payload: { class: 'valid', kind: 'cookie' } })).statusCode).toBe(400);
  });
});
