import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRISM_DELAY_REFUSAL } from '../mocks/prism/credential-gate.ts';
import type { RunningMock } from '../mocks/prism/prism.ts';
import { formatRun } from '../conformance/reporters/console.ts';
import { startMocks, stopMocks } from '../src/cli/commands/mock.ts';
import { PRISM_UNSUPPORTED_CHECKS, PRISM_UNSUPPORTED_CLASSES, testApi } from '../src/cli/commands/test.ts';
import { discoverApis } from '../src/core/contract/discover.ts';
import { loadContract } from '../src/core/contract/load.ts';
import type { Contract } from '../src/core/contract/model.ts';
import { freePort } from '../src/core/net.ts';
import { projectPaths } from '../src/core/paths.ts';
import { validators } from '../src/core/validate/cache.ts';

const paths = projectPaths();
const apis = discoverApis(paths);
const TOKEN = '1234b734a9244d54ab8d40aedddcabcd';
let mocks: RunningMock[] = [];
const mockUrl = (api: string) => mocks.find((m) => m.api === api)!.url;

beforeAll(async () => {
  mocks = await startMocks(paths, apis, () => freePort());
});
afterAll(async () => {
  await stopMocks(mocks);
});

describe('Prism mock of every contract', () => {
  it.each(apis.map((a) => [a.name, a] as const))('%s: every operation answers as its contract says', async (_name, api) => {
    const { run } = await testApi(api, mockUrl(api.name), {}, { unsupportedClasses: PRISM_UNSUPPORTED_CLASSES, unsupportedChecks: PRISM_UNSUPPORTED_CHECKS });
    const failed = run.results.filter((r) => r.status === 'failed');
    expect(failed, formatRun(run, paths.root)).toEqual([]);
    const operations = new Set(run.results.map((r) => r.operationId));
    expect(operations.size).toBe((await loadContract(api)).operations.length);
  });
});

describe('Prism mock of the sensor API', () => {
  let contract: Contract;
  beforeAll(async () => {
    contract = await loadContract(apis.find((a) => a.name === 'defender-iot-sensor')!);
  });

  it('serves each operation with a body that validates against the contract', async () => {
    const agent = request(mockUrl('defender-iot-sensor'));
    for (const op of contract.operations) {
      const url = op.path.replace('{deviceId}', '2').replace('{ipAddress}', '10.10.10.15').replace('{id}', '1').replace('{alertId}', '1');
      const body = op.requestBody?.content[0]?.examples[0];
      // The web UI route takes the UI's session cookie, not the access token.
      const [header, value] = op.security[0]?.[0] === 'SensorWebSession' ? ['Cookie', `sessionid=${TOKEN}`] : ['Authorization', TOKEN];
      const res = op.method === 'post'
        ? await agent.post(url).set(header, value).send(body as object)
        : await agent.get(url).set(header, value);
      expect(res.status, op.id).toBe(200);
      const media = op.responses.find((r) => r.status === '200')!.content[0]!;
      if (media.mediaType === 'application/json') {
        expect(validators.validate(contract, media.schemaPointer!, res.body), op.id).toEqual([]);
      } else {
        expect(res.headers['content-type'], op.id).toContain(media.mediaType);
      }
    }
  });

  it('answers a secured operation without Authorization with the declared 401 body', async () => {
    const res = await request(mockUrl('defender-iot-sensor')).get('/api/v1/alerts');
    expect(res.status).toBe(401);
    const declared = contract.operations.find((o) => o.id === 'listAlertsV1')!.responses.find((r) => r.status === '401')!;
    expect(validators.validate(contract, declared.content[0]!.schemaPointer!, res.body)).toEqual([]);
    expect(res.body).toEqual({ error: 'Authorization token is missing or invalid' });
  });

  it('rejects a token sent with a scheme word, since the sensor wants the raw token', async () => {
    const res = await request(mockUrl('defender-iot-sensor')).get('/api/v1/alerts').set('Authorization', `Bearer ${TOKEN}`);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'Authorization token is missing or invalid' });
  });

  it('lets the credential APIs through without a token', async () => {
    const res = await request(mockUrl('defender-iot-sensor'))
      .post('/api/external/authentication/validation')
      .send({ username: 'test', password: 'x' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ msg: 'Authentication succeeded.' });
  });

  it('rejects wrong parameter types and values with the declared 400', async () => {
    const agent = request(mockUrl('defender-iot-sensor'));
    for (const url of ['/api/v1/devices/abc/connections', '/api/v1/alerts?state=open', '/api/v1/devices/cves?top=many', '/api/v1/events?minutesTimeFrame=-1']) {
      const res = await agent.get(url).set('Authorization', TOKEN);
      expect(res.status, url).toBe(400);
      expect(res.body, url).toHaveProperty('error');
    }
  });
});

describe('Prism mock of the management console API', () => {
  it('rejects wrong pagination and timestamp types with the declared 400', async () => {
    const agent = request(mockUrl('defender-iot-management'));
    for (const url of [
      '/external/v3/integration/devices/1594550986000?page=abc',
      '/external/v3/integration/devices/1594550986000?size=0',
      '/external/v3/integration/devices/yesterday',
      '/external/v3/integration/connections/-5',
      '/external/v3/integration/devicecves/x',
    ]) {
      const res = await agent.get(url).set('Authorization', TOKEN);
      expect(res.status, url).toBe(400);
    }
    const ok = await agent.get('/external/v3/integration/devices/1594550986000?page=0&size=50').set('Authorization', TOKEN);
    expect(ok.status).toBe(200);
  });

  it('requires a token on data APIs', async () => {
    const res = await request(mockUrl('defender-iot-management')).get('/external/v1/devices');
    expect(res.status).toBe(401);
  });
});

describe('Prism mock of the Cloud Apps API', () => {
  it("rejects a Bearer or bare key with the declared 401, and accepts 'Token <key>'", async () => {
    const agent = request(mockUrl('defender-cloud-apps'));
    const bearer = await agent.get('/v1/alerts/').set('Authorization', 'Bearer abc123');
    expect(bearer.status).toBe(401);
    const bare = await agent.get('/v1/alerts/').set('Authorization', 'abc123');
    expect(bare.status).toBe(401);
    const lowerCaseScheme = await agent.get('/v1/alerts/').set('Authorization', 'token abc123');
    expect(lowerCaseScheme.status).toBe(200);
    const ok = await agent.get('/v1/alerts/').set('Authorization', 'Token abc123');
    expect(ok.status).toBe(200);
  });

  const key = 'Token abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123';
  it('rejects limit over 100 and unknown filter operators with the declared 400', async () => {
    const agent = request(mockUrl('defender-cloud-apps'));
    const over = await agent.post('/v1/alerts/').set('Authorization', key).send({ limit: 101 });
    expect(over.status).toBe(400);
    const operator = await agent.post('/v1/alerts/').set('Authorization', key).send({ filters: { severity: { like: [2] } } });
    expect(operator.status).toBe(400);
    const valid = await agent.post('/v1/alerts/').set('Authorization', key).send({ filters: { severity: { eq: [2] } }, limit: 100 });
    expect(valid.status).toBe(200);
  });
});

describe('Prism mock: Prefer scenarios', () => {
  const agent = () => request(mockUrl('defender-iot-sensor'));

  it('passes code= and example= on to Prism, which honours them', async () => {
    const res = await agent().get('/api/v1/devices').set('Authorization', TOKEN).set('Prefer', 'code=401');
    expect(res.status).toBe(401);
    const management = await loadContract(apis.find((a) => a.name === 'defender-iot-management')!);
    const declared = management.operations.find((o) => o.method === 'get' && o.path === '/external/v2/alerts')!.responses.find((r) => r.status === '200')!;
    const named = await request(mockUrl('defender-iot-management')).get('/external/v2/alerts').set('Authorization', TOKEN).set('Prefer', 'example=v2Fields');
    expect(named.status).toBe(200);
    expect(named.body).toEqual(declared.content[0]!.namedExamples.find((e) => e.name === 'v2Fields')!.value);
  });

  it('refuses delay= with a 400 that points to the stateful mock, alone or with other preferences', async () => {
    for (const prefer of ['delay=500', 'code=200, delay=10']) {
      const res = await agent().get('/api/v1/devices').set('Authorization', TOKEN).set('Prefer', prefer);
      expect(res.status, prefer).toBe(400);
      expect(res.body.error, prefer).toBe(PRISM_DELAY_REFUSAL);
      expect(res.body.error).toMatch(/stateful mock .* honours delay/);
    }
  });

  it('still asks for the credential first', async () => {
    const res = await agent().get('/api/v1/devices').set('Prefer', 'delay=500');
    expect(res.status).toBe(401);
  });
});
