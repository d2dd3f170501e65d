import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planCases } from '../conformance/plan.ts';
import { buildStatefulMockFor, statefulApis } from '../mocks/registry.ts';
import { selectApis } from '../src/core/contract/discover.ts';
import { loadContract } from '../src/core/contract/load.ts';
import type { Contract, OperationModel, ParameterModel } from '../src/core/contract/model.ts';
import { projectPaths } from '../src/core/paths.ts';
import { validators } from '../src/core/validate/cache.ts';

/**
 * Operations whose answer to an id no record has is documented as 2xx, with where it is written.
 * The test holds them to it: such an operation must answer 2xx.
 */
const DOCUMENTED_2XX: Record<string, string> = {
  // Sensor: x-doc-notes of the per-device routes: the device is a filter, an unknown one gets 200 [].
  listDeviceConnections: 'x-doc-notes: an unknown device id gets 200 with an empty list',
  listDeviceCves: 'x-doc-notes: an unknown IP address gets 200 with an empty list',
  // Defguard: the operation's description.
  listUserDevices: 'description: an unknown username yields an empty list',
  getOpenidProvider: 'description: the name is not read; the current provider, or 204 when there is none',
  setDefaultBranding: 'description: the id is ignored; there is one settings record',
  gatewayStatus: 'description: an unknown location yields an empty list',
  setupGatewayTlsStream: 'description: the stream reports a failed setup (an unknown location too) as an error event',
  jobStatus: 'description and x-doc-notes: null while there is no result, and for an id no job has',
  assignStaticIps: 'description: the username is not read; the body names the devices',
  validateIpAssignment: 'description: the username is not read; the body names the device',
  // Console integration feeds: the path parameter is a time ("changed since"), not a record's id.
  listIntegrationDevices: 'path parameter is a start time, not an id',
  listIntegrationConnections: 'path parameter is a start time, not an id',
  listIntegrationDeletedDevices: 'path parameter is a start time, not an id',
  listIntegrationDeviceCves: 'path parameter is a start time, not an id',
};

/**
 * Operations whose contract declares a 5xx as the answer to an unknown id (the vendor documents it
 * so, x-doc-notes records the choice). The test holds them to a declared status.
 */
const DOCUMENTED_5XX: Record<string, string> = {
  updateAlert: 'x-doc-notes: the console documents 500 (not 404) for an unknown UUID',
  getAlertPcap: 'x-doc-notes: the console documents 500 (not 404) for an unknown alert',
};

/**
 * TODO: operations without a handler, answered with the contract's example whatever the id. Each
 * needs a state-backed handler that answers an unknown id with its declared not-found status; the
 * test fails once one of them stops answering 2xx, so a fixed operation has to leave this list.
 */
const NO_HANDLER_YET: Record<string, string[]> = {};

/** Values no seed holds, tried in turn until one fits the parameter's schema. */
const IMPOSSIBLE = ['does-not-exist-424242', 999999999, '999999999', '00000000-0000-4000-8000-000000424242', 'ffffffffffffffffffffffffffffff42', '203.0.113.254', 'ffffffffffffffffffff4242'];

function impossibleValue(contract: Contract, p: ParameterModel): unknown {
  // A parameter that picks one of a few documented words (an action, a view) is not an id.
  if (Array.isArray(p.schema?.enum)) return undefined;
  return IMPOSSIBLE.find((v) => p.schemaPointer && validators.coerce(contract, p.schemaPointer, v).violations.length === 0);
}

const declares = (op: OperationModel, status: number) =>
  op.responses.some((r) => r.status === String(status) || r.status === `${String(status)[0]}XX` || r.status === 'default');

describe.each(statefulApis())('%s: an id that cannot exist gets the contract not-found answer', (api) => {
  let contract: Contract;
  let app: FastifyInstance;
  let token: string;
  beforeAll(async () => {
    contract = await loadContract(selectApis(projectPaths(), [api])[0]!);
    app = await buildStatefulMockFor(contract, { rateLimit: false });
    token = (await app.inject({ method: 'POST', url: '/__control/credentials', payload: { class: 'valid' } })).json().token;
  });
  afterAll(() => app.close());

  it('answers every operation with a path parameter with a declared 4xx (never 5xx, never 2xx unless documented)', async () => {
    const cases = planCases(contract, { credentials: () => token, validators, kinds: ['positive'] });
    const wrong: string[] = [];
    let sent = 0;
    for (const c of cases) {
      const op = c.operation;
      const pathParams = op.parameters.filter((p) => p.in === 'path');
      let path = op.path;
      let anId = false;
      for (const p of pathParams) {
        const value = impossibleValue(contract, p);
        if (value !== undefined) anId = true;
        const sampled = decodeURIComponent(c.url.split('?')[0]!.split('/')[op.path.split('/').indexOf(`{${p.name}}`)]!);
        path = path.replace(`{${p.name}}`, encodeURIComponent(String(value ?? sampled)));
      }
      if (!anId) continue;
      const query = c.url.includes('?') ? c.url.slice(c.url.indexOf('?')) : '';
      const res = await app.inject({ method: c.method as 'GET', url: path + query, headers: c.headers, ...(c.body === undefined ? {} : { payload: c.body }) });
      sent++;
      const s = res.statusCode;
      const line = `${op.id} ${c.method} ${path}: ${s} ${res.body.slice(0, 80)}`;
      const success = s >= 200 && s < 300;
      if (op.id in DOCUMENTED_2XX || (NO_HANDLER_YET[api] ?? []).includes(op.id)) {
        if (!success) wrong.push(`${line} (listed as answering 2xx: ${DOCUMENTED_2XX[op.id] ?? 'no handler yet'}; take it off the list)`);
      } else if (op.id in DOCUMENTED_5XX) {
        if (s < 500 || !declares(op, s)) wrong.push(`${line} (the contract's not-found answer is a declared 5xx: ${DOCUMENTED_5XX[op.id]})`);
      } else if (s >= 500 || success) wrong.push(line);
      else if (!declares(op, s)) wrong.push(`${line} (status not declared)`);
    }
    expect(sent).toBeGreaterThan(0);
    expect(wrong).toEqual([]);
  });
});
