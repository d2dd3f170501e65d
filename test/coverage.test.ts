import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { computeCoverage, MUTATION_NOT_SENT } from '../conformance/coverage.ts';
import { formatCoverage } from '../conformance/reporters/console.ts';
import { htmlReport } from '../conformance/reporters/html.ts';
import { junitReport } from '../conformance/reporters/junit.ts';
import { sarifReport } from '../conformance/reporters/sarif.ts';
import type { CaseKind, CheckResult } from '../conformance/types.ts';
import type { HttpMethod, OperationModel, ResponseModel } from '../src/core/contract/model.ts';
import { runCli } from './helpers/cli.ts';

const source = { file: 'specs/x/openapi.yaml', line: 1, pointer: '#/paths' };

function response(status: string, opts: { description?: string; body?: boolean } = {}): ResponseModel {
  return {
    status,
    description: opts.description ?? `answer ${status}`,
    content: opts.body === false ? [] : [{ mediaType: 'application/json', schemaPointer: '#/components/schemas/X', examples: [], namedExamples: [] }],
    headers: [],
    pointer: `#/paths/~1x/get/responses/${status}`,
    source,
  };
}

function operation(id: string, responses: ResponseModel[], method: HttpMethod = 'get'): OperationModel {
  return { id, method, path: `/${id}`, tags: [], safe: false, security: [], parameters: [], responses, pointer: `#/paths/~1${id}/${method}`, source };
}

function result(operationId: string, check: string, status: CheckResult['status'], opts: { http?: number; kind?: CaseKind; message?: string } = {}): CheckResult {
  return {
    check: check as CheckResult['check'],
    case: opts.kind ?? 'positive',
    api: 'x',
    operationId,
    method: 'GET',
    path: `/${operationId}`,
    status,
    message: opts.message,
    findings: [],
    request: { method: 'GET', url: `/${operationId}`, headers: {} },
    response: opts.http === undefined ? undefined : { status: opts.http, contentType: 'application/json' },
    location: source,
  };
}

/** The results of a valid request answered with `http`: status-declared and response-schema with their verdicts. */
function answered(operationId: string, http: number, schema: CheckResult['status'] = 'passed', message?: string): CheckResult[] {
  return [result(operationId, 'status-declared', 'passed', { http }), result(operationId, 'response-schema', schema, { http, message })];
}

describe('computeCoverage', () => {
  const ok = [response('200'), response('400'), response('404'), response('500')];

  it('counts a declared 2xx whose body response-schema passed or failed as judged', () => {
    const c = computeCoverage([operation('a', ok), operation('b', ok)], [...answered('a', 200), ...answered('b', 200, 'failed')]);
    expect(c.totals).toEqual({ operations: 2, successJudged: 2, percent: 100, byReason: {} });
    expect(c.operations[0]).toMatchObject({ operationId: 'a', method: 'GET', successJudged: true, declaredStatuses: ['200', '400', '404', '500'], observedStatuses: ['200'] });
    expect(c.operations[0]!.reason).toBeUndefined();
  });

  it('records every declared status some case of the operation hit, and the undeclared ones apart', () => {
    const results = [...answered('a', 200), result('a', 'negative-input', 'passed', { http: 400, kind: 'negative' }), result('a', 'status-declared', 'failed', { http: 418, kind: 'negative' })];
    const [a] = computeCoverage([operation('a', ok)], results).operations;
    expect(a!.observedStatuses).toEqual(['200', '400']);
    expect(a!.undeclaredStatuses).toEqual([418]);
  });

  it('gives the reason of the valid request for each operation whose success response was not judged', () => {
    const ops = [
      operation('mutation', ok, 'post'),
      operation('skipped', ok),
      operation('missing', ok),
      operation('unknownLocation', [response('200'), response('400', { description: 'Bad request: an unknown location id.' })]),
      operation('refused', ok),
      operation('forbidden', [response('200'), response('403', { description: 'Authorized app not found' })]),
      operation('broken', ok),
      operation('redirect', [response('302', { body: false }), response('400')]),
      operation('teapot', ok),
      operation('text', ok),
    ];
    const results = [
      result('mutation', 'status-declared', 'skipped', { message: MUTATION_NOT_SENT }),
      result('skipped', 'status-declared', 'skipped', { message: 'no value for required parameter id' }),
      ...answered('missing', 404, 'passed'),
      ...answered('unknownLocation', 400),
      ...answered('refused', 400),
      ...answered('forbidden', 403),
      ...answered('broken', 503, 'skipped', 'status not declared'),
      ...answered('redirect', 302, 'skipped'),
      ...answered('teapot', 299, 'skipped', 'status not declared'),
      ...answered('text', 200, 'skipped', 'text/plain bodies are not schema-validated'),
    ];
    const c = computeCoverage(ops, results);
    expect(Object.fromEntries(c.operations.map((o) => [o.operationId, o.reason]))).toEqual({
      mutation: { id: 'not-sent-mutation', detail: 'not sent (use --allow-mutations)' },
      skipped: { id: 'skipped', detail: 'no value for required parameter id' },
      missing: { id: 'not-found', detail: 'answered 404' },
      unknownLocation: { id: 'not-found', detail: 'answered 400' },
      refused: { id: 'rejected', detail: 'answered 400' },
      forbidden: { id: 'rejected', detail: 'answered 403' },
      broken: { id: 'server-error', detail: 'answered 503' },
      redirect: { id: 'no-success-declared', detail: 'declares 302, 400' },
      teapot: { id: 'undeclared-status', detail: 'answered 299' },
      text: { id: 'body-not-judged', detail: 'answered 200; text/plain bodies are not schema-validated' },
    });
    expect(c.totals.successJudged).toBe(0);
    expect(c.totals.percent).toBe(0);
    // Reasons in their fixed order, each with the number of operations.
    expect(Object.entries(c.totals.byReason)).toEqual([
      ['not-sent-mutation', 1],
      ['skipped', 1],
      ['not-found', 2],
      ['rejected', 2],
      ['server-error', 1],
      ['no-success-declared', 1],
      ['undeclared-status', 1],
      ['body-not-judged', 1],
    ]);
  });

  it('judges a 2xx that declares no body by its status alone', () => {
    const c = computeCoverage([operation('del', [response('204', { body: false }), response('404')], 'delete')], answered('del', 204, 'skipped', 'no declared media type matches the response'));
    expect(c.operations[0]!.successJudged).toBe(true);
  });

  it('says so when no valid request was planned for an operation, and counts a run of no operations as complete', () => {
    const c = computeCoverage([operation('a', ok)], [result('a', 'negative-input', 'passed', { http: 400, kind: 'negative' })]);
    expect(c.operations[0]!.reason).toEqual({ id: 'skipped', detail: 'no valid request was planned' });
    expect(computeCoverage([], []).totals).toEqual({ operations: 0, successJudged: 0, percent: 100, byReason: {} });
  });

  it('lists uncovered operations in the console up to a limit, then how many more', () => {
    const ops = Array.from({ length: 5 }, (_, i) => operation(`op${i}`, ok));
    const text = formatCoverage(computeCoverage(ops, ops.flatMap((o) => answered(o.id, 404))), 3);
    expect(text).toContain('success responses judged: 0/5 operations (not-found 5)');
    expect(text).toMatch(/op0\s+not-found: answered 404/);
    expect(text).not.toContain('op3');
    expect(text).toContain('… and 2 more');
    expect(text).toContain('not-found = the valid request was answered "not found"');
  });

  it('reports coverage in JUnit (a skipped testcase per uncovered operation), SARIF (run properties only) and HTML (a table)', () => {
    const results = [...answered('a', 200), ...answered('b', 404)];
    const coverage = computeCoverage([operation('a', ok), operation('b', ok)], results);
    const run = { api: 'x', baseUrl: 'http://h', contractVersion: '1', results, durationMs: 1, coverage };
    const junit = junitReport([run]);
    expect(junit).toContain('<testcase classname="x.b" name="success-response-judged GET /b">\n      <skipped message="not-found: answered 404"/>');
    expect(junit).not.toContain('classname="x.a" name="success-response-judged');
    expect(junit).toContain('<property name="successResponsesJudged" value="1/2"/>');
    expect(junit).toMatch(/<testsuite name="x" tests="5" failures="0" errors="0" skipped="1"/);
    const sarif = JSON.parse(sarifReport([run], '/'));
    expect(sarif.runs[0].results).toEqual([]);
    expect(sarif.runs[0].properties.coverage).toEqual({ operations: 2, successJudged: 1, percent: 50, byReason: { 'not-found': 1 } });
    const html = htmlReport([run], '/');
    expect(html).toContain('Success responses judged: 1/2 operations');
    expect(html).toMatch(/<td>b<br><small>GET \/b<\/small><\/td><td>.*<\/td><td><span class="badge skipped">not-found<\/span> answered 404/);
  });

  it('leaves coverage out of reports for runs that carry none (recorded traffic, a contract diff)', () => {
    const run = { api: 'x', baseUrl: 'har:x.har', contractVersion: '1', results: answered('a', 200), durationMs: 1 };
    expect(junitReport([run])).not.toContain('successResponsesJudged');
    expect(JSON.parse(sarifReport([run], '/')).runs[0].properties).toBeUndefined();
    expect(htmlReport([run], '/')).not.toContain('Success responses judged');
  });
});

describe('contracts test: coverage', () => {
  let server: http.Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = undefined;
  });

  it('prints the coverage line per API and overall, and writes it to the JSON report', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverage-'));
    const r = await runCli(['test', 'defender-iot-sensor', '--report', `json:${dir}/r.json`]);
    expect(r.code).toBe(0);
    // Every operation but the two kinds that legitimately have none: the documented example user does
    // not exist on the mock, and the two packet-capture downloads have no schema to judge them by.
    expect(r.stdout).toContain('  success responses judged: 14/17 operations (rejected 1, body-not-judged 2)');
    expect(r.stdout).toMatch(/validateCredentials\s+rejected: answered 401/);
    expect(r.stdout).toMatch(/downloadAlertPcap\s+body-not-judged: answered 200/);
    expect(r.stdout).toMatch(/downloadFilteredAlertPcap\s+body-not-judged: answered 200/);
    expect(r.stdout).toMatch(/\nsuccess responses judged: 14\/17 operations/);
    const json = JSON.parse(fs.readFileSync(`${dir}/r.json`, 'utf8'));
    expect(json.coverage.totals).toEqual({ operations: 17, successJudged: 14, percent: (14 / 17) * 100, byReason: { rejected: 1, 'body-not-judged': 2 } });
    expect(json.coverage.operations.find((o: { operationId: string }) => o.operationId === 'listAlertsV2')).toMatchObject({ successJudged: true, observedStatuses: expect.arrayContaining(['200', '401']) });
  });

  it('shows not-found for a target that answers 404 to everything', async () => {
    server = http.createServer((_req, res) => res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}'));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const r = await runCli(['test', 'defender-iot-sensor', '--target', url, '--include', 'listAlertsV1', '--include', 'listDevices'], { DEFENDER_IOT_SENSOR_TOKEN: 'tok-1234567890' });
    expect(r.stdout).toContain('success responses judged: 0/2 operations (not-found 2)');
    expect(r.stdout).toMatch(/listAlertsV1\s+not-found: answered 404/);
  });

  it('exits 1 after printing everything when coverage is below --min-coverage, 0 when it is met', async () => {
    const below = await runCli(['test', 'defender-iot-sensor', '--exclude', 'downloadAlertPcap', '--exclude', 'downloadFilteredAlertPcap', '--min-coverage', '100']);
    expect(below.stdout).toContain('success responses judged: 14/15 operations (rejected 1)');
    expect(below.stdout).toContain('coverage 93.3% is below --min-coverage 100%');
    expect(below.code).toBe(1);
    const met = await runCli(['test', 'defender-iot-sensor', '--min-coverage', '82.3']);
    expect(met.code).toBe(0);
  });

  it.each(['101', '-1', 'most', ''])('rejects --min-coverage %j with one line and exit 2', async (value) => {
    const r = await runCli(['test', 'defender-iot-sensor', '--min-coverage', value]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`contracts: --min-coverage takes a percent from 0 to 100, got '${value}'`);
    expect(r.stdout).toBe('');
  });
});
