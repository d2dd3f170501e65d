import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStatefulMockFor } from '../mocks/registry.ts';
import { loadConfig } from '../src/cli/config.ts';
import { credentialsFromControlApi, startStatefulMocks, type StatefulMock } from '../src/cli/commands/stateful.ts';
import { stopMocks } from '../src/cli/commands/mock.ts';
import { discoverApis, selectApis } from '../src/core/contract/discover.ts';
import { loadContract } from '../src/core/contract/load.ts';
import { freePort } from '../src/core/net.ts';
import { projectPaths } from '../src/core/paths.ts';
import { runCliInProcess as cli } from './helpers/cli.ts';
import { yamlLine } from './helpers/yaml-line.ts';

const API = 'defender-iot-sensor';
const knownApis = discoverApis(projectPaths()).map((a) => a.name);


const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'config-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Writes a file under the test folder and returns its path. */
function write(name: string, text: string): string {
  const file = path.join(tmp, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

/** What differs between two runs of the same checks: timings, ports and report paths. */
function comparable(stdout: string): string {
  return stdout
    .split('\n')
    .filter((l) => !l.startsWith('report: '))
    .join('\n')
    .replace(/\d+(\.\d+)?\s?m?s\b/g, '<t>');
}

function comparableReport(file: string): unknown {
  return JSON.parse(JSON.stringify(JSON.parse(fs.readFileSync(file, 'utf8')), (key, value) => (/duration|At$|time/i.test(key) ? '<t>' : value)));
}

describe('contracts test with a config file', () => {
  let mock: StatefulMock;
  let configFile: string;
  const saved = { SENSOR_ADMIN_TOKEN: process.env.SENSOR_ADMIN_TOKEN, SENSOR_VIEWER_TOKEN: process.env.SENSOR_VIEWER_TOKEN };
  beforeAll(async () => {
    mock = (await startStatefulMocks(selectApis(projectPaths(), [API]), () => freePort(), { rateLimit: false }))[0]!;
    // The credential lives in the environment; the config and the credentials file only name it.
    process.env.SENSOR_ADMIN_TOKEN = (await credentialsFromControlApi(mock!.url)).valid;
    process.env.SENSOR_VIEWER_TOKEN = 'a-token-this-mock-never-issued';
    write('ci/credentials.yaml', `${API}:\n  viewer: { value: env:SENSOR_VIEWER_TOKEN }\n  admin: { value: env:SENSOR_ADMIN_TOKEN }\n`);
    configFile = write(
      'ci/contracts.config.yaml',
      [
        '# yaml-language-server: $schema=../../schemas/contracts.config.schema.json',
        'defaults:',
        '  timeout: 5000',
        '  concurrency: 2',
        'apis:',
        `  ${API}:`,
        '    include: [listAlertsV1, listDevices]',
        'environments:',
        '  staging:',
        '    apis:',
        `      ${API}:`,
        `        target: ${mock!.url}`,
        '        credentials: credentials.yaml',
        '        credential: admin',
        '        reports: [json:out/staging.json]',
        '',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await stopMocks([mock]);
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('runs against the environment\'s target exactly as the same options on the command line do', async () => {
    const fromFile = await cli(['--config', configFile, '--env', 'staging', 'test']);
    expect(fromFile.stderr).toBe('');
    expect(fromFile.code).toBe(0);
    // Paths in the file are relative to the file.
    const reportFromFile = path.join(tmp, 'ci/out/staging.json');
    expect(fs.existsSync(reportFromFile)).toBe(true);
    expect(fromFile.stdout).toContain(`${API} `);
    expect(fromFile.stdout).toContain(`against ${mock.url}: 2 operations`);

    const reportByHand = path.join(tmp, 'by-hand.json');
    const byHand = await cli([
      'test', API, '--target', mock.url, '--credentials', path.join(tmp, 'ci/credentials.yaml'), '--credential', 'admin',
      '--include', 'listAlertsV1', '--include', 'listDevices', '--timeout', '5000', '--concurrency', '2', '--report', `json:${reportByHand}`,
    ]);
    expect(byHand.code).toBe(0);
    expect(comparable(fromFile.stdout)).toBe(comparable(byHand.stdout));
    expect(comparableReport(reportFromFile)).toEqual(comparableReport(reportByHand));
  });

  it('lets the command line override the file', async () => {
    const report = path.join(tmp, 'override.json');
    const r = await cli(['test', '--config', configFile, '--env', 'staging', '--include', 'listDevices', '--report', `json:${report}`]);
    expect(r.code).toBe(0);
    const json = JSON.parse(fs.readFileSync(report, 'utf8'));
    const operations = new Set(json.results.map((x: { operationId: string }) => x.operationId));
    expect([...operations]).toEqual(['listDevices']);
    // The file's report is replaced, not added to.
    expect(r.stdout).not.toContain('staging.json');

    // A credential named on the command line replaces the file's: this one the mock refuses.
    const other = await cli(['test', '--config', configFile, '--env', 'staging', '--include', 'listDevices', '--credential', 'viewer']);
    expect(other.code).toBe(1);
    expect(other.stdout).toMatch(/FAIL\s+listDevices/);
    expect(other.stdout).toContain('401');
  });

  it('without --env and without API names, tests the APIs the file names, on the mocks, with their selectors', async () => {
    const r = await cli(['--config', configFile, 'test']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^${API} .* against http://127\\.0\\.0\\.1:\\d+: 2 operations`, 'm'));
    expect(r.stdout).not.toContain('defguard');
  });
});

describe('several APIs from one config file', () => {
  it('shares a report the APIs both name, and judges each API\'s own min-coverage', async () => {
    const file = write(
      'two/contracts.config.yaml',
      [
        'defaults:',
        '  reports: [json:out/both.json]',
        'apis:',
        `  ${API}: { include: [downloadAlertPcap, listDevices], min-coverage: 100 }`,
        '  defender-iot-management: { include: listAppliancesV1, min-coverage: 50 }',
        '',
      ].join('\n'),
    );
    const r = await cli(['--config', file, 'test']);
    // A packet capture has no schema to judge its body by: the sensor's coverage is 1 of 2.
    expect(r.stdout).toContain(`${API}: coverage 50% is below --min-coverage 100%`);
    expect(r.stdout).not.toContain('defender-iot-management: coverage');
    expect(r.code).toBe(1);
    const report = JSON.parse(fs.readFileSync(path.join(tmp, 'two/out/both.json'), 'utf8')) as Array<{ api: string }>;
    expect(report.map((x) => x.api)).toEqual([API, 'defender-iot-management']);
  });
});

describe('config file mistakes: one line naming file, line and key, exit 2', () => {
  const cases: Array<{ name: string; text: string; args?: string[]; line: (text: string) => number; expected: string }> = [
    {
      name: 'a YAML syntax error',
      text: `apis:\n  ${API}:\n    include: [listDevices\n`,
      line: () => 4,
      expected: 'YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
    },
    {
      name: 'a wrong type',
      text: `defaults:\n  concurrency: 2\napis:\n  defguard:\n    timeout: 1.5\n`,
      line: (t) => yamlLine(t, ['apis', 'defguard', 'timeout']),
      expected: 'apis.defguard.timeout: must be a whole number of milliseconds',
    },
    {
      name: 'an unknown key (a typo)',
      text: `apis:\n  defguard:\n    timout: 5000\n`,
      line: (t) => yamlLine(t, ['apis', 'defguard', 'timout']),
      expected: 'apis.defguard.timout: unknown key; did you mean timeout?',
    },
    {
      name: 'a setting put directly under an environment',
      text: `environments:\n  staging:\n    target: https://staging.example.com\n`,
      line: (t) => yamlLine(t, ['environments', 'staging', 'target']),
      expected: 'environments.staging.target: unknown key; known keys: defaults, apis',
    },
    {
      name: 'an unknown API',
      text: `environments:\n  prod:\n    apis:\n      defgaurd:\n        target: https://dg.example.com\n`,
      line: (t) => yamlLine(t, ['environments', 'prod', 'apis', 'defgaurd']),
      expected: 'environments.prod.apis.defgaurd: unknown API; did you mean defguard?',
    },
    {
      name: 'an unknown environment',
      text: `environments:\n  staging:\n    apis:\n      defguard: { target: https://dg.example.com }\n`,
      args: ['--env', 'prod'],
      line: (t) => yamlLine(t, ['environments']),
      expected: "environments: no environment 'prod' (--env); environments: staging",
    },
    {
      name: 'a report in an unknown format',
      text: `defaults:\n  reports:\n    - json:out/r.json\n    - xml:out/r.xml\n`,
      line: (t) => yamlLine(t, ['defaults', 'reports']) + 2,
      expected: 'defaults.reports.1: must be <format>:<path> with format json, junit, sarif or html',
    },
    {
      name: 'a mock port out of range',
      text: `mock:\n  port: 70000\n`,
      line: (t) => yamlLine(t, ['mock', 'port']),
      expected: 'mock.port: must be a port number from 1 to 65535',
    },
  ];

  it.each(cases)('$name', async ({ name, text, args = [], line, expected }) => {
    const file = write(`bad/${name.replace(/\W+/g, '-')}.yaml`, text);
    const r = await cli(['--config', file, ...args, 'test']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    // Outside the working folder, the file is named by its absolute path.
    expect(r.stderr).toBe(`${file}:${line(text)}: ${expected}\n`);
  });

  it('an explicit --config that does not exist', async () => {
    const r = await cli(['--config', 'no-such.config.yaml', 'test']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('no-such.config.yaml: file not found (--config)\n');
  });

  it('reads contracts.config.yaml from the working folder, and names it as the user sees it', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'cwd-'));
    fs.writeFileSync(path.join(dir, 'contracts.config.yaml'), 'defaults:\n  insecure: "yes"\n');
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const r = await cli(['test', API]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('contracts.config.yaml:2: defaults.insecure: must be true or false\n');
    } finally {
      process.chdir(cwd);
    }
  });

  it('a missing default file is not an error, but --env without any file is', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'empty-'));
    expect(loadConfig({ cwd: dir, knownApis })).toBeUndefined();
    expect(() => loadConfig({ cwd: dir, env: 'staging', knownApis })).toThrow('--env staging needs a config file: contracts.config.yaml in this folder, or --config <file>');
  });
});

describe('contracts mock with a config file', () => {
  it('takes port, stateful and seed from the file; the command line overrides them', async () => {
    const port = await freePort();
    // The mock's own starting state, as GET /__control/state gives it, is a valid seed.
    const app = await buildStatefulMockFor(await loadContract(selectApis(projectPaths(), [API])[0]!));
    const seed = write('mock/seeds/sensor.json', (await app.inject({ method: 'GET', url: '/__control/state' })).body);
    await app.close();
    const file = write('mock/contracts.config.yaml', `mock:\n  port: ${port}\n  stateful: true\n  seed: seeds/sensor.json\n`);
    expect(loadConfig({ explicit: file, knownApis })!.mock).toEqual({ port: String(port), stateful: true, seed });
    const child = spawn(process.execPath, [path.join(projectPaths().root, 'bin/contracts.js'), '--config', file, 'mock', API], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const printed = await new Promise<string>((resolve, reject) => {
        let text = '';
        child.stdout.on('data', (d) => {
          text += d;
          if (text.includes('Press Ctrl+C')) resolve(text);
        });
        child.stderr.on('data', (d) => (text += d));
        child.once('exit', () => reject(new Error(`mock exited: ${text}`)));
      });
      expect(printed).toContain(`http://127.0.0.1:${port}`);
      // Only the stateful mocks print a control API.
      expect(printed).toContain('__control');
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    // --no-stateful on the command line wins; the file's seed is then not used (no "--seed needs --stateful").
    const prism = await cli(['--config', file, 'mock', API, '--no-stateful', '--seed', seed]);
    expect(prism.code).toBe(2);
    expect(prism.stderr.trim()).toBe('contracts: --seed needs --stateful');
  });
});

describe('loadConfig', () => {
  it('layers defaults, environment defaults, the API and the environment\'s API, and resolves paths against the file', () => {
    const file = write(
      'layers/contracts.config.yaml',
      [
        'defaults: { timeout: 1000, concurrency: 2, include: Devices, rate-limit: 30/min }',
        'apis:',
        '  defguard: { timeout: 2000, baseline: baselines/defguard.json, exclude: [Enterprise], min-coverage: 80 }',
        '  defender-cloud-apps:   # named, with no settings of its own',
        'environments:',
        '  prod:',
        '    defaults: { concurrency: 1, allow-mutations: false, rate-limit: 20 }',
        '    apis:',
        '      defguard: { target: https://dg.example.com, ca: ../certs/ca.pem, credentials: creds.yaml, reports: [sarif:out/dg.sarif] }',
        'mock: { port: 4100, seed: seeds/demo.yaml, stateful: true }',
        '',
      ].join('\n'),
    );
    const dir = path.dirname(file);
    const config = loadConfig({ explicit: file, env: 'prod', knownApis })!;
    expect(config.apis).toEqual(['defguard', 'defender-cloud-apps']);
    expect(config.testOptions('defguard')).toEqual({
      timeout: '2000',
      concurrency: '1',
      include: ['Devices'],
      exclude: ['Enterprise'],
      rateLimit: '20',
      allowMutations: false,
      minCoverage: '80',
      baseline: path.join(dir, 'baselines/defguard.json'),
      target: 'https://dg.example.com',
      ca: path.join(tmp, 'certs/ca.pem'),
      credentials: path.join(dir, 'creds.yaml'),
      report: [`sarif:${path.join(dir, 'out/dg.sarif')}`],
    });
    // Another API gets the defaults only.
    expect(config.testOptions(API)).toEqual({ timeout: '1000', concurrency: '1', include: ['Devices'], rateLimit: '20', allowMutations: false });
    expect(config.mock).toEqual({ port: '4100', seed: path.join(dir, 'seeds/demo.yaml'), stateful: true });
    // Without --env, the environments are not read.
    expect(loadConfig({ explicit: file, knownApis })!.testOptions('defguard')).toMatchObject({ concurrency: '2', rateLimit: '30/min' });
  });

  it('accepts the README\'s example as written, for each environment', () => {
    const readme = fs.readFileSync(path.join(projectPaths().root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Configuration file'));
    const example = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
    const file = write('readme/contracts.config.yaml', example);
    const prod = loadConfig({ explicit: file, env: 'prod', knownApis })!;
    expect(prod.apis).toEqual(['defguard', 'defender-iot-sensor']);
    expect(prod.testOptions('defguard')).toMatchObject({ target: 'https://defguard.example.com', credential: 'readonly', exclude: ['Enterprise'], rateLimit: '30/min', allowMutations: false });
    expect(loadConfig({ explicit: file, env: 'staging', knownApis })!.testOptions('defguard')).toMatchObject({ insecure: true, credential: 'admin' });
  });

  it('--help of test and mock says the command line overrides the file', async () => {
    for (const command of ['test', 'mock']) {
      const r = await cli([command, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('--config <file>');
      expect(r.stdout).toContain('an option given here overrides the file');
    }
  });

  it('the shipped schema is what validates the file (editors use the same one)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(projectPaths().root, 'package.json'), 'utf8'));
    expect(pkg.files).toContain('schemas');
    const schema = JSON.parse(fs.readFileSync(path.join(projectPaths().root, 'schemas/contracts.config.schema.json'), 'utf8'));
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(Object.keys(schema.$defs.test.properties)).toContain('baseline');
  });
});
