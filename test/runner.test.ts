import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runContract } from '../conformance/run.ts';
import { selectApis } from '../src/core/contract/discover.ts';
import { loadContract } from '../src/core/contract/load.ts';
import { projectPaths } from '../src/core/paths.ts';
import { runCli } from './helpers/cli.ts';
import { yamlLine } from './helpers/yaml-line.ts';
import { startFaultySensor } from './fixtures/servers/faulty-sensor.ts';
import { selfSignedCertificate, startTlsServer } from './fixtures/servers/tls.ts';

const SECRET = 'c0ffee00c0ffee00c0ffee00c0ffee00';
const sensor = () => loadContract(selectApis(projectPaths(), ['defender-iot-sensor'])[0]!);

describe('reports', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contracts-reports-'));
  let stdout = '';
  let code: number | null = null;
  beforeAll(async () => {
    const server = await startFaultySensor('wrong-field-type', SECRET);
    const r = await runCli(
      ['test', 'defender-iot-sensor', '--target', server.url, ...['json', 'junit', 'sarif', 'html'].map((f) => `--report=${f}:${path.join(dir, `report.${f}`)}`)],
      { DEFENDER_IOT_SENSOR_TOKEN: SECRET },
    );
    await server.close();
    stdout = r.stdout;
    code = r.code;
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const read = (f: string) => fs.readFileSync(path.join(dir, `report.${f}`), 'utf8');

  it('exits 1 and writes every report', () => {
    expect(code).toBe(1);
    for (const f of ['json', 'junit', 'sarif', 'html']) expect(stdout).toContain(`report.${f}`);
  });

  it('never contains the credential in any report or in the console output', () => {
    expect(stdout).not.toContain(SECRET);
    for (const f of ['json', 'junit', 'sarif', 'html']) expect(read(f), f).not.toContain(SECRET);
  });

  it('JSON has the documented shape, with the request redacted and a curl reproducer', () => {
    const report = JSON.parse(read('json'));
    expect(Object.keys(report)).toEqual(['api', 'target', 'contractVersion', 'summary', 'coverage', 'discovery', 'cleanup', 'results']);
    expect(report.api).toBe('defender-iot-sensor');
    expect(report.summary.failed).toBeGreaterThan(0);
    expect(report.summary.passed + report.summary.failed + report.summary.skipped).toBe(report.results.length);
    const failure = report.results.find((r: { status: string; check: string }) => r.status === 'failed' && r.check === 'response-schema');
    expect(failure).toMatchObject({ operationId: 'listAlertsV1', method: 'GET', path: '/api/v1/alerts', response: { status: 200 } });
    expect(failure.request.headers.authorization).toBe('[REDACTED]');
    expect(failure.curl).toContain('$DEFENDER_IOT_SENSOR_TOKEN');
    expect(failure.location.file).toMatch(/specs\/defender-iot-sensor\/paths\/v1\/alerts\.yaml$/);
  });

  it('JUnit has one testcase per check and case, and one per operation whose success response was not judged', () => {
    const xml = read('junit');
    const report = JSON.parse(read('json'));
    const uncovered = report.coverage.totals.operations - report.coverage.totals.successJudged;
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect((xml.match(/<testcase /g) ?? []).length).toBe(report.results.length + uncovered);
    expect((xml.match(/name="success-response-judged /g) ?? []).length).toBe(uncovered);
    expect(xml).toMatch(new RegExp(`<testsuite name="defender-iot-sensor" tests="${report.results.length + uncovered}" failures="${report.summary.failed}"`));
    expect(xml).toMatch(/<failure message="[^"]*body \/0\/severity must be one of/);
    // Every element that opens is closed: a cheap well-formedness check without an XML library.
    expect((xml.match(/<testcase [^>]*[^/]>/g) ?? []).length).toBe((xml.match(/<\/testcase>/g) ?? []).length);
  });

  it('SARIF 2.1.0 points each finding at the spec file and line', () => {
    const sarif = JSON.parse(read('sarif'));
    expect(sarif.version).toBe('2.1.0');
    const results = sarif.runs[0].results;
    expect(results.length).toBeGreaterThan(0);
    const ruleIds = sarif.runs[0].tool.driver.rules.map((r: { id: string }) => r.id);
    for (const r of results) expect(ruleIds[r.ruleIndex]).toBe(r.ruleId);
  });

  it('SARIF puts a schema violation on the line of the schema keyword it breaks', () => {
    const sarif = JSON.parse(read('sarif'));
    const located = (text: string) => {
      const result = sarif.runs[0].results.find((r: { message: { text: string } }) => r.message.text.includes(text));
      expect(result, text).toBeDefined();
      return result.locations[0].physicalLocation;
    };
    const schemas = 'specs/defender-iot-sensor/components/schemas.yaml';
    const yaml = fs.readFileSync(path.join(projectPaths().root, schemas), 'utf8');
    const severity = located('body /0/severity must be one of');
    expect(severity.artifactLocation.uri).toBe(schemas);
    expect(severity.region.startLine).toBe(yamlLine(yaml, ['AlertSeverity:', 'enum:']));
    const id = located('body /0/id must be integer');
    expect(id.artifactLocation.uri).toBe(schemas);
    expect(id.region.startLine).toBe(yamlLine(yaml, ['Alert:', 'properties:', 'id:', 'type:']));
  });

  it('HTML is one self-contained file with status and check filters', () => {
    const html = read('html');
    expect(html).not.toMatch(/(src|href)=["']?https?:/);
    expect(html).toContain('<select id="check">');
    expect(html).toMatch(/value="failed" checked/);
    expect(html).toContain('listAlertsV1');
  });
});

describe('transport', () => {
  it('fails a self-signed target with one TLS line and exit 2, and passes with --ca or --insecure', async () => {
    const tls = selfSignedCertificate();
    const server = await startTlsServer(tls.key, tls.cert);
    try {
      const args = ['test', 'defender-iot-sensor', '--target', server.url, '--include', 'listCves'];
      const refused = await runCli(args, { DEFENDER_IOT_SENSOR_TOKEN: SECRET });
      expect(refused.code).toBe(2);
      expect(refused.stderr.trim().split('\n')).toHaveLength(1);
      expect(refused.stderr).toMatch(/^contracts: TLS failure talking to https:\/\/127\.0\.0\.1:\d+: .*self-signed.*--ca/);

      const trusted = await runCli([...args, '--ca', tls.certFile], { DEFENDER_IOT_SENSOR_TOKEN: SECRET });
      expect(trusted.stderr).toBe('');
      expect(trusted.stdout).toMatch(/listCves/);
      expect(trusted.code).not.toBe(2);

      const insecure = await runCli([...args, '--insecure'], { DEFENDER_IOT_SENSOR_TOKEN: SECRET });
      expect(insecure.stderr).toContain('warning: --insecure');
      expect(insecure.code).not.toBe(2);
    } finally {
      await server.close();
      tls.cleanup();
    }
  });

  it('a target that never answers times out with one line and exit 2', async () => {
    const sockets = new Set<import('node:net').Socket>();
    const server = http.createServer(() => {});
    server.on('connection', (s) => sockets.add(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const r = await runCli(['test', 'defender-iot-sensor', '--target', url, '--timeout', '300', '--include', 'listCves'], { DEFENDER_IOT_SENSOR_TOKEN: SECRET });
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toBe(`contracts: ${url} did not answer within 300 ms`);
    } finally {
      for (const s of sockets) s.destroy();
      server.close();
    }
  });

  it('waits for Retry-After on 429 and then judges the real answer', async () => {
    let calls = 0;
    const server = http.createServer((_req, res) => {
      calls++;
      if (calls === 1) {
        res.writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' });
        return res.end('{"error":"slow down"}');
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('[]');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const contract = await sensor();
      const started = Date.now();
      const run = await runContract(contract, {
        baseUrl: url,
        operations: contract.operations.filter((o) => o.id === 'listCves'),
        credentials: () => SECRET,
        secretVariable: 'T',
        concurrency: 1,
      });
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      const positive = run.results.filter((r) => r.case === 'positive');
      expect(positive.every((r) => r.response?.status === 200)).toBe(true);
    } finally {
      server.close();
    }
  });
});

describe('selection and safety', () => {
  it('--api-version, --include and --exclude choose operations; a filter that selects nothing is a usage error', async () => {
    const server = await startFaultySensor('none', SECRET);
    try {
      const v2 = await runCli(['test', 'defender-iot-sensor', '--target', server.url, '--api-version', 'v2'], { DEFENDER_IOT_SENSOR_TOKEN: SECRET });
      expect(v2.stdout).toMatch(/: 2 operations,/);
      const tagged = await runCli(['test', 'defender-iot-sensor', '--target', server.url, '--include', 'Inventory', '--exclude', '/api/v1/devices/*/cves'], { DEFENDER_IOT_SENSOR_TOKEN: SECRET });
      expect(tagged.stdout).toMatch(/: 4 operations,/);
      expect(tagged.stdout).not.toContain('listDeviceCves');
      const none = await runCli(['test', 'defender-iot-sensor', '--target', server.url, '--include', 'noSuchOperation'], { DEFENDER_IOT_SENSOR_TOKEN: SECRET });
      expect(none.code).toBe(2);
      expect(none.stderr.trim()).toBe('contracts: the filters select no operation');
    } finally {
      await server.close();
    }
  });

  it('does not send state-changing requests to a non-local target without --allow-mutations', async () => {
    const contract = await sensor();
    // Nothing listens at this address; a request that was sent would fail the run with a TargetError.
    const run = await runContract(contract, {
      baseUrl: 'https://sensor.invalid',
      operations: contract.operations.filter((o) => o.method === 'post'),
      credentials: () => SECRET,
      secretVariable: 'T',
    });
    expect(run.results.length).toBeGreaterThan(0);
    expect(run.results.every((r) => r.status === 'skipped' && r.message?.includes('--allow-mutations'))).toBe(true);
  });

  it('reports bad option values as usage errors', async () => {
    for (const [args, message] of [
      [['--report', 'pdf:x.pdf'], '--report takes <format>:<path>'],
      [['--timeout', 'soon'], '--timeout must be a whole number'],
      [['--concurrency', '0'], '--concurrency must be a whole number from 1 to 64'],
      [['--rate-limit', 'fast'], '--rate-limit takes <n>/min'],
      [['--ca', '/no/such/ca.pem'], '--ca /no/such/ca.pem: ENOENT'],
    ] as const) {
      const r = await runCli(['test', 'defender-iot-sensor', '--target', 'http://127.0.0.1:1', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain(message);
    }
  });

  it('works on a contract it has never seen, given as a file path', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contracts-foreign-'));
    const file = path.join(dir, 'petstore.yaml');
    fs.writeFileSync(file, `openapi: 3.0.3
info: {title: Pets, version: 2.1.0}
paths:
  /pets:
    get:
      operationId: listPets
      parameters:
        - {name: limit, in: query, schema: {type: integer, maximum: 100}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {type: object, required: [id], properties: {id: {type: integer}}}}
        '400': {description: bad}
`);
    const server = http.createServer((req, res) => {
      const limit = new URL(req.url!, 'http://x').searchParams.get('limit');
      const bad = limit !== null && !(/^\d+$/.test(limit) && Number(limit) <= 100);
      res.writeHead(bad ? 400 : 200, { 'content-type': 'application/json' });
      res.end(bad ? '{}' : '[{"id": 1}]');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const r = await runCli(['test', file, '--target', `http://127.0.0.1:${(server.address() as AddressInfo).port}`]);
      expect(r.stdout).toMatch(/petstore 2\.1\.0 against .*: 1 operations/);
      expect(r.stdout).toMatch(/\d+ passed, 0 failed/);
      expect(r.code).toBe(0);
    } finally {
      server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a malformed spec given as a path is one error naming file and line, exit 2', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contracts-foreign-'));
    const file = path.join(dir, 'broken.yaml');
    fs.writeFileSync(file, 'openapi: 3.1.0\ninfo: {title: x, version: "1"}\npaths:\n  /a:\n    get: [\n');
    try {
      const r = await runCli(['test', file, '--target', 'http://127.0.0.1:1']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/broken\.yaml:\d+:\d+ #\/: YAML syntax error/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
