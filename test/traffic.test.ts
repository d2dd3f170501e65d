import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchResponse } from '../src/core/contract/responses.ts';
import type { RunningMock } from '../mocks/prism/prism.ts';
import { buildStatefulMockFor, hasStatefulMock } from '../mocks/registry.ts';
import { startMocks, stopMocks } from '../src/cli/commands/mock.ts';
import { selectOperations } from '../conformance/select.ts';
import { selectApis } from '../src/core/contract/discover.ts';
import { loadContract } from '../src/core/contract/load.ts';
import type { Contract } from '../src/core/contract/model.ts';
import { lookupRoute, matchRoute } from '../src/core/contract/route.ts';
import { freePort } from '../src/core/net.ts';
import { packageRoot, projectPaths } from '../src/core/paths.ts';
import { checkTraffic } from '../src/engines/traffic/check.ts';
import { parseHar } from '../src/engines/traffic/har.ts';
import { runCliInProcess as cli } from './helpers/cli.ts';
import { yamlLine } from './helpers/yaml-line.ts';
import { bodyFor, har, parseCalls, record, type Call, type HarEntryOut } from './traffic-record.ts';

const paths = projectPaths();
const fixtures = path.join(packageRoot, 'test/fixtures');
const calls = parseCalls(fs.readFileSync(path.join(fixtures, 'real-clients/calls.txt'), 'utf8'));
const apiNames = [...new Set(calls.map((c) => c.api))];
const contracts = new Map<string, Contract>();
const load = async (api: string) => {
  if (!contracts.has(api)) contracts.set(api, await loadContract(selectApis(paths, [api])[0]!));
  return contracts.get(api)!;
};
/** The tag of the Cloud Apps portal routes only the MCAS module is known to call, and its operations. */
const PORTAL_TAG = 'Portal (undocumented)';
const PORTAL_OPERATIONS = [
  'listAdminAccess', 'addAdminAccess', 'removeAdminAccess', 'listActivityTypes', 'listAppPermissions', 'getPortalGeneralSettings',
  'getPortalMailSettings', 'getDiscoveryScoreWeights', 'listDiscoverySnapshotReports', 'listDiscoveryContinuousReports',
  'listDiscoveryAppTagDefinitions', 'getUserEnrichmentSetting', 'getDiscoveryAnonymizationSettings', 'readManagedDevicesData',
  'listDiscoveredApps', 'listDiscoveredAppTags', 'listDiscoveryDataSources', 'createDiscoveryDataSource', 'listLogCollectors',
  'listPortalTags', 'listPolicies', 'getPolicy', 'getPortalConstants', 'listReports', 'getReportContent', 'listUserGroups',
  'importUserGroup', 'generateSiemAgentToken',
];
/** Calls whose client posts no body at all (the MCAS module's list reads). */
const EMPTY_BODY = new Set(['POST /api/v1/alerts/', 'POST /api/v1/files/', 'POST /cas/api/v1/entities/', 'POST /api/v1/governance/', 'POST /cas/api/v1/managed_devices/get_data']);


const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'traffic-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('every call real clients make (real-clients.md)', () => {
  it('the fixture lists the calls of every client named there', () => {
    expect(apiNames.sort()).toEqual(['defender-cloud-apps', 'defender-iot-management', 'defender-iot-sensor', 'defguard', 'defguard-migration', 'defguard-setup']);
    const by = (f: (c: Call) => boolean) => calls.filter(f).length;
    // Every distinct call of the MCAS module's cmdlets (Functions/*.ps1), one line each.
    expect(by((c) => c.api === 'defender-cloud-apps')).toBe(52);
    // Every function of Defguard's api.ts (v2.0.1) is named on a line: 179 functions.
    const named = new Set(calls.filter((c) => c.api.startsWith('defguard')).flatMap((c) => (c.comment ?? '').match(/[\w.]+(?=\s|,|$|:|\))/g) ?? []));
    for (const fn of ['user.addUser', 'auth.logout', 'acl.rule.applyRules', 'activityLogStream.deleteStream', 'support.getLogs', 'initial_setup.finishSetup', 'migration.state.updateMigrationState', 'getLicenseInfo']) {
      expect(named.has(fn), fn).toBe(true);
    }
    expect(by((c) => c.api.startsWith('defguard') && /api\.ts /.test(c.comment ?? ''))).toBeGreaterThanOrEqual(150);
    // The IoT connectors: Goose (sensor and console), FortiSOAR and Google SecOps (sensor).
    expect(by((c) => /^Goose/.test(c.comment ?? ''))).toBe(14);
    expect(by((c) => /^FortiSOAR/.test(c.comment ?? ''))).toBe(9);
    expect(by((c) => /^Google SecOps/.test(c.comment ?? ''))).toBe(5);
  });

  it('resolves each call to a contract operation (server prefixes and trailing slashes honoured)', async () => {
    const unresolved: string[] = [];
    for (const c of calls) {
      const match = matchRoute(await load(c.api), c.method, c.path);
      if (!match) unresolved.push(`${c.api} ${c.method} ${c.path}`);
    }
    expect(unresolved).toEqual([]);
  });

  it('maps the spellings clients use onto the documented operation, never a different one', async () => {
    const mcas = await load('defender-cloud-apps');
    const sensor = await load('defender-iot-sensor');
    const same = (c: Contract, m: string, a: string, b: string) => expect(matchRoute(c, m, a)?.operation.id).toBe(matchRoute(c, m, b)!.operation.id);
    same(mcas, 'POST', '/cas/api/v1/subnet/create_rule/', '/v1/subnet/create_rule/');
    same(mcas, 'POST', '/api/v1/subnet/create_rule/', '/v1/subnet/create_rule/');
    expect(matchRoute(mcas, 'POST', '/cas/api/v1/alerts/close_benign/')!.operation.id).toBe('closeAlertsBenign');
    expect(matchRoute(mcas, 'POST', '/api/v1/alerts/reopen/')!.operation.id).toBe('reopenAlerts');
    // Cloud Apps declares no trailing-slash tolerance: the documented slash is part of the route.
    expect(matchRoute(mcas, 'GET', '/api/v1/alerts')).toBeUndefined();
    same(sensor, 'GET', '/api/v1/devices/', '/api/v1/devices');
    expect(matchRoute(sensor, 'GET', '/api/v1/devices/')!.slashTolerated).toBe(true);
    expect(lookupRoute(sensor, 'DELETE', '/api/v1/devices').otherMethods).toEqual(['GET']);
    // One contract model, no duplicated paths.
    expect(mcas.servers.map((s) => s.basePath)).toEqual(['/api', '/cas/api']);
    expect(sensor.trailingSlash).toBe('optional');
    expect(sensor.operations.filter((o) => o.path.startsWith('/api/v1/devices/')).every((o) => !o.path.endsWith('/'))).toBe(true);
  });

  it('new Cloud Apps routes are marked undocumented or deprecated, with evidence', async () => {
    const mcas = await load('defender-cloud-apps');
    const raw = (id: string) => {
      const op = mcas.operations.find((o) => o.id === id)!;
      const item = (mcas.document.paths as Record<string, Record<string, Record<string, unknown>>>)[op.path]!;
      return item[op.method]!;
    };
    for (const id of ['reopenAlerts', 'listGovernanceActions', 'getGovernanceAction', 'getSaasDbApp', 'listSiemAgents', 'deleteDiscoveryDataSource', 'getManagedDevicesData']) {
      expect(raw(id)['x-undocumented'], id).toBe(true);
      expect(JSON.stringify(raw(id)['x-doc-notes']), id).toContain('MCAS PowerShell module');
      expect(mcas.operations.find((o) => o.id === id)!.requiredRole, id).toBeDefined();
    }
    expect(raw('dismissAlert').deprecated).toBe(true);
  });

  it("one selector, 'Portal (undocumented)', leaves out exactly the portal routes added for the MCAS module", async () => {
    const mcas = await load('defender-cloud-apps');
    const raw = (o: { path: string; method: string }) => (mcas.document.paths as Record<string, Record<string, Record<string, unknown>>>)[o.path]![o.method]!;
    const kept = selectOperations(mcas.operations, { exclude: [PORTAL_TAG] });
    const left = mcas.operations.filter((o) => !kept.includes(o));
    expect(left.map((o) => o.id).sort()).toEqual([...PORTAL_OPERATIONS].sort());
    for (const op of left) {
      expect(raw(op)['x-undocumented'], op.id).toBe(true);
      expect(JSON.stringify(raw(op)['x-doc-notes']), op.id).toMatch(/microsoft\/MCAS.*Functions\/[\w-]+\.ps1/);
      expect(op.requiredRole, op.id).toBeDefined();
    }
    // Every fixture call that only the portal routes answer is one of them; the documented routes stay.
    const portalCalls = calls.filter((c) => c.api === 'defender-cloud-apps' && PORTAL_OPERATIONS.includes(matchRoute(mcas, c.method, c.path)!.operation.id));
    expect(portalCalls.length).toBe(PORTAL_OPERATIONS.length);
    expect(kept.some((o) => o.id === 'listAlerts') && kept.some((o) => o.id === 'listSiemAgents')).toBe(true);
    // The CLI takes the tag as a selector: a run without the portal routes sends nothing to them.
    const json = path.join(tmp, 'no-portal.json');
    const r = await cli(['test', 'defender-cloud-apps', '--exclude', PORTAL_TAG, '--report', `json:${json}`]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const ran = new Set(JSON.stringify(JSON.parse(fs.readFileSync(json, 'utf8'))).match(/"operationId":"(\w+)"/g)!.map((m) => m.slice(15, -1)));
    expect(ran.size).toBeGreaterThan(0);
    expect(PORTAL_OPERATIONS.filter((id) => ran.has(id))).toEqual([]);
  });

  it('the sensor web UI PCAP route takes the UI session cookie only, and resolves apart from the token routes', async () => {
    const sensor = await load('defender-iot-sensor');
    const op = matchRoute(sensor, 'GET', '/api/alert/filtered-pcap/7')!.operation;
    expect(op.id).toBe('downloadFilteredAlertPcap');
    expect(op.security).toEqual([['SensorWebSession']]);
    expect(sensor.securitySchemes.SensorWebSession).toMatchObject({ in: 'cookie', paramName: 'sessionid' });
    expect(op.authContract?.scheme).toBe('SensorWebSession');
  });

  it('the console’s PCAP answer links to the sensor’s download operation, which takes the one-time token', async () => {
    const mgmt = await load('defender-iot-management');
    const sensor = await load('defender-iot-sensor');
    const op = mgmt.operations.find((o) => o.id === 'getAlertPcap')!;
    const doc = mgmt.document as { paths: Record<string, { get: { responses: Record<string, { links?: Record<string, { operationRef: string; parameters: Record<string, string> }> }> } }> };
    const link = doc.paths[op.path]!.get.responses['200']!.links!.downloadFromSensor!;
    const [file, pointer] = link.operationRef.split('#');
    expect(path.resolve(path.dirname(op.source.file), file!)).toBe(sensor.rootFile);
    const target = sensor.operations.find((o) => `/paths/${o.path.replace(/~/g, '~0').replace(/\//g, '~1')}/${o.method}` === pointer);
    expect(target?.id).toBe('downloadAlertPcap');
    expect(target!.security).toEqual([['PcapToken']]);
    expect(link.parameters).toEqual({ id: '$response.body#/xsenseAlertId', Authorization: '$response.body#/token' });
  });
});

describe('the mocks answer every call', () => {
  const apps = new Map<string, { app: FastifyInstance; headers: Record<string, string>; webUi: Record<string, string> }>();
  /** HAR entries recorded against the stateful mocks, per API. */
  const recorded = new Map<string, HarEntryOut[]>();
  let pcapEntry: HarEntryOut | undefined;
  let prism: RunningMock[] = [];
  let userinfoHeaders: Record<string, string> = {};

  /** The seeded Grafana client's access token for the admin, through the consent form and the token endpoint. */
  async function oauthAccessToken(app: FastifyInstance, cookie: string): Promise<string> {
    const q = new URLSearchParams({ response_type: 'code', client_id: 'Kx7fQ2mZp9LwR4tB', redirect_uri: 'https://grafana.example.org/login/generic_oauth', scope: 'openid profile' });
    const consent = await app.inject({ method: 'POST', url: `/api/v1/oauth/authorize?${q}`, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'allow=true' });
    const code = new URL(String(consent.headers.location)).searchParams.get('code')!;
    const form = new URLSearchParams({ grant_type: 'authorization_code', code, client_id: 'Kx7fQ2mZp9LwR4tB', client_secret: '9sVd2LqX7cNw4RtYp8ZkM3fHb6JgA1eU' });
    const tokens = await app.inject({ method: 'POST', url: '/api/v1/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form.toString() });
    return tokens.json().access_token;
  }

  beforeAll(async () => {
    for (const api of apiNames.filter(hasStatefulMock)) {
      const contract = await load(api);
      const app = await buildStatefulMockFor(contract, { rateLimit: false });
      const token: string = (await app.inject({ method: 'POST', url: '/__control/credentials', payload: { class: 'valid' } })).json().token;
      // Each client's own way of sending the credential: Defguard's web UI logs in and sends its session cookie.
      const session = async () => {
        const login = await app.inject({ method: 'POST', url: '/api/v1/auth', headers: { 'user-agent': 'Mozilla/5.0' }, payload: { username: 'admin', password: 'pass123' } });
        return String(login.headers['set-cookie']).split(';')[0]!;
      };
      const headers: Record<string, string> =
        api === 'defguard' ? { cookie: await session() } : api === 'defender-cloud-apps' ? { authorization: `Token ${token}` } : { authorization: token };
      // Goose's call to the sensor web UI carries that UI's cookies and no Authorization header.
      const uiSession: string = (await app.inject({ method: 'POST', url: '/__control/credentials', payload: { class: 'valid', kind: 'session' } })).json().token;
      apps.set(api, { app, headers, webUi: { cookie: `csrftoken=Wq3BVd2hx7e0N8uS; sessionid=${uiSession}` } });
      // An OpenID client calls Defguard's userinfo with the access token the token endpoint gave it.
      if (api === 'defguard') userinfoHeaders = { authorization: `Bearer ${await oauthAccessToken(app, headers.cookie!)}` };
    }
    prism = await startMocks(paths, selectApis(paths, ['defguard-setup', 'defguard-migration', 'defender-cloud-apps', 'defender-iot-sensor']), () => freePort());
  });
  afterAll(async () => {
    await Promise.all([...apps.values()].map((a) => a.app.close()));
    await stopMocks(prism);
  });

  const request = async (c: Call) => {
    const contract = await load(c.api);
    return { contract, ...bodyFor(contract, c.method, c.path, EMPTY_BODY.has(`${c.method} ${c.path}`)) };
  };

  it('the stateful mocks route each call to its operation and answer with a declared status', async () => {
    // The web UI sends these only while a login waits for its second factor. The session here has
    // none pending (the built-in admin has no MFA), so the declared 401 is the right answer, as from
    // Defguard; test/stateful-defguard-auth.test.ts walks them through real MFA logins.
    const secondFactorSteps = new Set(['recoveryCode', 'totpCode', 'requestEmailMfaCode', 'emailMfaCode']);
    const problems: string[] = [];
    for (const c of calls.filter((x) => apps.has(x.api))) {
      const { app, headers: clientHeaders, webUi } = apps.get(c.api)!;
      const tokenHeaders = c.api === 'defguard' && c.path.startsWith('/api/v1/oauth/userinfo') ? userinfoHeaders : clientHeaders;
      const { contract, body, contentType } = await request(c);
      const viaCookie = matchRoute(contract, c.method, c.path)!.operation.security.every((alt) => alt.every((name) => contract.securitySchemes[name]?.in === 'cookie'));
      const headers = viaCookie && c.api !== 'defguard' ? webUi : tokenHeaders;
      const entry = await record(app, 'https://recorded.example', { method: c.method, path: c.path, headers, body, contentType });
      const list = recorded.get(c.api) ?? [];
      // The sensor mock accepts any token it issued on the PCAP route, and it issues no token shaped
      // like the console's one-time PCAP token: that entry is judged on its own below.
      if (matchRoute(contract, c.method, c.path)!.operation.id === 'downloadAlertPcap') pcapEntry = entry;
      else list.push(entry);
      recorded.set(c.api, list);
      const status = entry.response.status as number;
      const text = (entry.response.content as { text: string }).text;
      const op = matchRoute(contract, c.method, c.path)!.operation;
      if (/Route \w+:.* not found/.test(text)) problems.push(`${c.api} ${c.method} ${c.path}: not routed`);
      else if (secondFactorSteps.has(op.id) && status === 401 && matchResponse(op, status)) continue;
      else if (!matchResponse(op, status) || status >= 500 || status === 401 || status === 403) problems.push(`${c.api} ${c.method} ${c.path}: ${status} ${text.slice(0, 120)}`);
    }
    expect(problems).toEqual([]);
  });

  it('check-traffic finds nothing wrong in a HAR recorded against the stateful mocks', async () => {
    expect(recorded.size).toBe(4);
    for (const [api, entries] of recorded) {
      const file = path.join(tmp, `${api}.har`);
      fs.writeFileSync(file, JSON.stringify(har(entries)));
      const json = path.join(tmp, `${api}.json`);
      const r = await cli(['check-traffic', api, file, '--report', `json:${json}`, '--report', `junit:${path.join(tmp, `${api}.xml`)}`, '--report', `sarif:${path.join(tmp, `${api}.sarif`)}`]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const report = JSON.parse(fs.readFileSync(json, 'utf8'));
      expect(report.summary.failed, api).toBe(0);
      expect(report.summary.passed, api).toBeGreaterThan(entries.length);
      expect(fs.existsSync(path.join(tmp, `${api}.sarif`))).toBe(true);
      // The credentials the HAR carries appear nowhere in the output or the reports.
      const { headers } = apps.get(api)!;
      const secret = (headers.authorization ?? headers.cookie!).replace(/^(Token |defguard_session=)/, '');
      for (const text of [r.stdout, fs.readFileSync(json, 'utf8'), fs.readFileSync(path.join(tmp, `${api}.xml`), 'utf8'), fs.readFileSync(path.join(tmp, `${api}.sarif`), 'utf8')]) {
        expect(text).not.toContain(secret);
      }
    }
  });

  it('check-traffic tells a PCAP download made with an ordinary access token (the stateful mock accepts it) as malformed', async () => {
    const contract = await load('defender-iot-sensor');
    const { run } = checkTraffic(contract, parseHar(har([pcapEntry!]), 'pcap'), { source: 'har', secretVariable: 'T' });
    expect(run.results.filter((r) => r.status === 'failed').map((r) => r.check)).toEqual(['auth-malformed']);
  });

  it('Prism behind the credential gate answers the same spellings (prefix, trailing slash, empty body)', async () => {
    const url = (api: string) => prism.find((m) => m.api === api)!.url;
    const problems: string[] = [];
    const cases = calls.filter((c) => ['defguard-setup', 'defguard-migration', 'defender-cloud-apps', 'defender-iot-sensor'].includes(c.api));
    for (const c of cases) {
      const { contract, body, contentType } = await request(c);
      const op = matchRoute(contract, c.method, c.path)!.operation;
      const headers: Record<string, string> =
        c.api === 'defender-cloud-apps' ? { authorization: 'Token 1234b734a9244d54ab8d40aedddcabcd' } : c.api.startsWith('defguard') ? { cookie: 'defguard_session=abc123', 'user-agent': 'test' } : { authorization: op.security[0]?.[0] === 'PcapToken' ? 'd2791f58-2a88-34fd-ae5c-2651fe30a63c' : '1234b734a9244d54ab8d40aedddcabcd' };
      if (contentType) headers['content-type'] = contentType;
      const res = await fetch(url(c.api) + c.path, { method: c.method, headers, body: body ?? undefined, redirect: 'manual' });
      const text = await res.text();
      if (/NO_PATH_MATCHED|NO_METHOD_MATCHED|NO_SERVER_MATCHED/.test(text) || !matchResponse(op, res.status) || res.status >= 500) {
        problems.push(`${c.api} ${c.method} ${c.path}: ${res.status} ${text.slice(0, 160)}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('contracts check-traffic', () => {
  const fixture = (name: string) => path.join(fixtures, 'har', name);
  const tokensIn = (file: string) => {
    const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { log: { entries: { request: { headers: { name: string; value: string }[] } }[] } };
    return doc.log.entries.flatMap((e) => e.request.headers.filter((h) => /^(authorization|cookie)$/i.test(h.name)).map((h) => h.value.replace(/^(Token |defguard_session=)/, '')));
  };

  it.each([
    ['defguard', 'defguard-ui.har', []],
    ['defender-cloud-apps', 'mcas-module.har', []],
    ['defender-iot-sensor', 'goose-sensor.har', ['--ignore-unknown']],
    ['defender-iot-management', 'goose-sensor.har', ['--ignore-unknown']],
  ] as const)('%s: %s conforms, and no token from it is printed', async (api, file, extra) => {
    const r = await cli(['check-traffic', api, fixture(file), ...extra]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/0 failed/);
    for (const token of tokensIn(fixture(file))) expect(r.stdout).not.toContain(token);
  });

  it('says which operations the recording exercised, and --min-coverage fails a recording that exercised too few', async () => {
    const contract = await load('defguard');
    const entries = parseHar(JSON.parse(fs.readFileSync(fixture('defguard-ui.har'), 'utf8')), 'defguard-ui.har');
    const { run } = checkTraffic(contract, entries, { source: 'har', secretVariable: 'DEFGUARD_TOKEN' });
    const coverage = run.coverage!;
    expect(coverage.totals.operations).toBe(contract.operations.length);
    const judged = coverage.operations.filter((c) => c.successJudged).map((c) => c.operationId);
    expect(judged.length).toBeGreaterThan(0);
    expect(judged.length).toBeLessThan(entries.length + 1);
    expect(coverage.operations.find((c) => c.operationId === 'addUser')?.reason).toEqual({ id: 'not-observed', detail: 'not in the recording' });
    const low = await cli(['check-traffic', 'defguard', fixture('defguard-ui.har'), '--min-coverage', '50']);
    expect(low.code).toBe(1);
    expect(low.stdout).toMatch(/success responses judged: \d+\/\d+ operations \(.*not-observed \d+/);
    expect(low.stdout).toMatch(/coverage [\d.]+% is below --min-coverage 50%/);
    const bad = await cli(['check-traffic', 'defguard', fixture('defguard-ui.har'), '--min-coverage', 'most']);
    expect(bad.code).toBe(2);
  });

  it('the Defguard UI session: cookie only, SSE events validated, the consent form redirect', async () => {
    const contract = await load('defguard');
    const entries = parseHar(JSON.parse(fs.readFileSync(fixture('defguard-ui.har'), 'utf8')), 'defguard-ui.har');
    expect(entries.every((e) => e.request.headers.some((h) => h.name === 'cookie') && !e.request.headers.some((h) => h.name === 'authorization'))).toBe(true);
    const { run } = checkTraffic(contract, entries, { source: 'har', secretVariable: 'DEFGUARD_TOKEN' });
    const sse = run.results.filter((r) => r.check === 'content-type' && r.response?.contentType?.startsWith('text/event-stream'));
    expect(sse.map((r) => r.operationId).sort()).toEqual(['setupGatewayTlsStream', 'setupProxyTlsStream', 'streamProxyAcme']);
    expect(sse.every((r) => r.status === 'passed')).toBe(true);
    const consent = run.results.filter((r) => r.operationId === 'submitOauthConsent');
    expect(consent.find((r) => r.check === 'response-headers')?.status).toBe('passed');
    expect(consent.every((r) => r.status !== 'failed')).toBe(true);
    // Every operation the UI calls accepts the session cookie.
    for (const id of new Set(run.results.map((r) => r.operationId))) {
      const op = contract.operations.find((o) => o.id === id)!;
      expect(op.security.some((alt) => alt.includes('SessionCookie')), id).toBe(true);
    }
  });

  it('an event stream with no complete event is reported as skipped with the reason; a bad field fails', async () => {
    const contract = await load('defguard');
    const entries = parseHar(JSON.parse(fs.readFileSync(fixture('defguard-ui.har'), 'utf8')), 'x').filter((e) => e.response.mimeType?.startsWith('text/event-stream'));
    entries[0]!.response.text = 'data: {"step":"Checking"';
    entries[1]!.response.text = 'step: Checking\n\n';
    const { run } = checkTraffic(contract, entries.slice(0, 2), { source: 'har', secretVariable: 'T' });
    const ct = run.results.filter((r) => r.check === 'content-type');
    expect(ct[0]!.status).toBe('skipped');
    expect(ct[0]!.message).toMatch(/no complete event/);
    expect(ct[1]!.status).toBe('failed');
    expect(ct[1]!.message).toMatch(/unknown field 'step'/);
  });

  it('reports a request no operation describes as operation-unknown (exit 1), unless --ignore-unknown', async () => {
    const r = await cli(['check-traffic', 'defender-iot-sensor', fixture('goose-sensor.har')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('operation-unknown: entry 0: GET /external/v1/devices matches no operation of defender-iot-sensor');
    for (const token of tokensIn(fixture('goose-sensor.har'))) expect(r.stdout).not.toContain(token);
  });

  it('finds a non-conforming answer with the runner’s own checks', async () => {
    const doc = JSON.parse(fs.readFileSync(fixture('mcas-module.har'), 'utf8'));
    const alerts = doc.log.entries[0];
    const body = JSON.parse(alerts.response.content.text);
    body.data = 'none';
    alerts.response.content.text = JSON.stringify(body);
    doc.log.entries[1].response.status = 418;
    const file = path.join(tmp, 'broken.har');
    fs.writeFileSync(file, JSON.stringify(doc));
    const r = await cli(['check-traffic', 'defender-cloud-apps', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/response-schema: entry 0: body \/data must be array/);
    expect(r.stdout).toMatch(/status-declared: entry 1: status 418 is not declared/);
  });

  it('judges the auth classes a recording shows: no credential, wrong scheme word', async () => {
    const contract = await load('defender-cloud-apps');
    const entries = parseHar(JSON.parse(fs.readFileSync(fixture('mcas-module.har'), 'utf8')), 'x').slice(0, 2);
    entries[0]!.request.headers = entries[0]!.request.headers.filter((h) => h.name !== 'authorization');
    entries[1]!.request.headers = entries[1]!.request.headers.map((h) => (h.name === 'authorization' ? { ...h, value: h.value.replace('Token ', 'Bearer ') } : h));
    const { run } = checkTraffic(contract, entries, { source: 'har', secretVariable: 'T' });
    // Both recorded answers were 200: the service accepted what it must refuse.
    const missing = run.results.find((r) => r.check === 'auth-missing')!;
    expect(missing.status).toBe('failed');
    expect(run.results.find((r) => r.check === 'auth-wrong-scheme')?.status).toBe('failed');
    // The finding points at the status the class entry of x-auth-contract states, on its line in the file.
    const location = missing.findings[0]!.location;
    expect(location.file).toBe(contract.rootFile);
    expect(location.pointer).toBe('#/x-auth-contract/classes/missing/status');
    expect(location.line).toBe(yamlLine(fs.readFileSync(contract.rootFile, 'utf8'), ['x-auth-contract:', 'classes:', 'missing:', 'status:']));
  });

  it('classifies a recorded credential with the auth module: missing, wrong scheme and malformed are judged, a well-formed token is not', async () => {
    const contract = await load('defguard');
    const me = parseHar(JSON.parse(fs.readFileSync(fixture('defguard-ui.har'), 'utf8')), 'x')[0]!;
    expect(me.request.url).toMatch(/\/api\/v1\/me$/);
    /** The recorded GET /api/v1/me (answered 200) with the session cookie replaced by this Authorization header. */
    const judged = (authorization: string | undefined) => {
      const headers = [...me.request.headers.filter((h) => h.name !== 'cookie'), ...(authorization ? [{ name: 'authorization', value: authorization }] : [])];
      return checkTraffic(contract, [{ ...me, request: { ...me.request, headers } }], { source: 'har', secretVariable: 'T' }).run.results;
    };
    const first = (results: ReturnType<typeof judged>) => [results[0]!.case, results[0]!.credentialClass, results[0]!.check, results[0]!.status];
    // Each class the recording shows is judged by its own check, first; the answer was 200, so each fails.
    expect(first(judged(undefined))).toEqual(['auth', 'missing', 'auth-missing', 'failed']);
    expect(first(judged(`Token dg-${'a'.repeat(32)}`))).toEqual(['auth', 'wrong-scheme', 'auth-wrong-scheme', 'failed']);
    expect(first(judged('Bearer not-a-defguard-token'))).toEqual(['auth', 'malformed', 'auth-malformed', 'failed']);
    // A token that fits the scheme's pattern may be valid, unknown or revoked: no auth check judges it.
    const wellFormed = judged(`Bearer dg-${'b'.repeat(32)}`);
    expect(wellFormed.map((r) => [r.case, r.check, r.status])).toEqual([
      ['positive', 'status-declared', 'passed'],
      ['positive', 'content-type', 'passed'],
      ['positive', 'response-schema', 'passed'],
      ['positive', 'response-headers', 'skipped'],
    ]);
  });

  it.each([
    ['not JSON', '{"log": ', /not valid JSON/],
    ['no log', '{}', /has no "log" object/],
    ['entries missing', '{"log":{"version":"1.2"}}', /log.entries is missing/],
    ['relative URL', '{"log":{"version":"1.2","entries":[{"request":{"method":"GET","url":"/api/v1/me","headers":[]},"response":{"status":200,"headers":[]}}]}}', /log.entries\[0\].request.url is not an absolute URL/],
    ['status missing', '{"log":{"version":"1.2","entries":[{"request":{"method":"GET","url":"https://h/api","headers":[]},"response":{"headers":[]}}]}}', /log.entries\[0\].response.status/],
  ])('a malformed HAR (%s) exits 2 with one line naming the file', async (_what, text, why) => {
    const file = path.join(tmp, 'bad.har');
    fs.writeFileSync(file, text);
    const r = await cli(['check-traffic', 'defguard', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toMatch(why);
  });
});
