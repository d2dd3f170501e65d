import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunningMock } from '../mocks/prism/prism.ts';
import { buildStatefulMockFor } from '../mocks/registry.ts';
import { readSeedFile, startStatefulMocks } from '../src/cli/commands/stateful.ts';
import { selectApis } from '../src/core/contract/discover.ts';
import { loadContract } from '../src/core/contract/load.ts';
import { MockError } from '../src/core/errors.ts';
import { freePort } from '../src/core/net.ts';
import { projectPaths } from '../src/core/paths.ts';
import { runCli } from './helpers/cli.ts';

const paths = projectPaths();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stateful-seed-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

type State = Record<string, unknown[]>;

/** What GET /__control/state gives for an API's mock started from its built-in seed. */
async function builtInState(api: string): Promise<State> {
  const app = await buildStatefulMockFor(await loadContract(selectApis(paths, [api])[0]!));
  const state = (await app.inject({ method: 'GET', url: '/__control/state' })).json() as State;
  await app.close();
  return state;
}

function write(name: string, doc: unknown, as: 'json' | 'yaml' = 'json'): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, as === 'json' ? JSON.stringify(doc, null, 2) : YAML.stringify(doc));
  return file;
}

async function start(apis: string[], file: string): Promise<RunningMock[]> {
  return startStatefulMocks(selectApis(paths, apis), () => freePort(), { seed: readSeedFile(file), rateLimit: false });
}

async function refusal(apis: string[], file: string): Promise<string> {
  const err = await start(apis, file).then(
    async (mocks) => {
      await Promise.all(mocks.map((m) => m.stop()));
      return undefined;
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MockError);
  return (err as MockError).message;
}

const stateOf = async (mock: RunningMock) => (await fetch(`${mock.url}/__control/state`)).json();

describe('--seed: the two forms', () => {
  it('reads the bare state GET /__control/state returns, when one API is mocked', async () => {
    const state = await builtInState('defguard');
    state.users = state.users!.slice(0, 2);
    const [mock] = await start(['defguard'], write('bare.json', state));
    try {
      expect(((await stateOf(mock!)) as State).users).toEqual(state.users);
    } finally {
      await mock!.stop();
    }
  });

  it('reads { <api>: <state> } for several APIs, each API its own part', async () => {
    const sensor = await builtInState('defender-iot-sensor');
    sensor.alerts = [];
    const cloud = await builtInState('defender-cloud-apps');
    cloud.files = cloud.files!.slice(0, 1);
    const mocks = await start(['defender-iot-sensor', 'defender-cloud-apps'], write('keyed.yaml', { 'defender-iot-sensor': sensor, 'defender-cloud-apps': cloud }, 'yaml'));
    try {
      expect(((await stateOf(mocks[0]!)) as State).alerts).toEqual([]);
      expect(((await stateOf(mocks[1]!)) as State).files).toEqual(cloud.files);
    } finally {
      await Promise.all(mocks.map((m) => m.stop()));
    }
  });

  it('refuses a bare state while several APIs are mocked', async () => {
    const file = write('bare-two.json', await builtInState('defguard'));
    expect(await refusal(['defguard', 'defender-cloud-apps'], file)).toMatch(/bare-two\.json: a bare state \(users, .*\) needs exactly one API mocked, here 2/);
  });

  it('refuses a seed for an API that is not being mocked', async () => {
    const file = write('other-api.json', { 'defender-cloud-apps': { alerts: [] } });
    expect(await refusal(['defguard'], file)).toMatch(/other-api\.json:\d+: a seed for 'defender-cloud-apps', which is not being mocked \(mocked: defguard\)/);
  });

  it('refuses the bare state of another API, naming the key that is not a collection of the mocked one', async () => {
    const file = write('wrong-bare.json', { alerts: [], activities: [] });
    expect(await refusal(['defguard'], file)).toMatch(/wrong-bare\.json:\d+: 'alerts' is neither an API name nor a collection of 'defguard' \(its collections: users, groups/);
  });

  it('refuses an unknown collection inside an API part, naming the API', async () => {
    const file = write('unknown-collection.json', { defguard: { users: [], usres: [] } });
    expect(await refusal(['defguard'], file)).toMatch(/unknown-collection\.json:\d+ \(defguard\): 'usres' is not a collection of 'defguard'/);
  });

  it('refuses a document that mixes API names and collections', async () => {
    const file = write('mixed.json', { defguard: {}, users: [] });
    expect(await refusal(['defguard'], file)).toMatch(/mixed\.json: mixes API names \(defguard\) with other keys \(users\)/);
  });

  it('refuses a seed that is not a map, or is empty', async () => {
    expect(await refusal(['defguard'], write('list.json', [1]))).toMatch(/list\.json: a seed is a map/);
    expect(await refusal(['defguard'], write('empty.json', {}))).toMatch(/empty\.json: the seed is empty/);
  });

  it('names file and line, API, collection, record index and field of a record that does not follow its schema, in either form', async () => {
    const state = await builtInState('defguard');
    (state.networks![1] as Record<string, unknown>).port = 'fifty-one';
    const bareFile = write('bad-bare.json', state);
    const bare = await refusal(['defguard'], bareFile);
    expect(bare).toMatch(/bad-bare\.json:(\d+) \(defguard\): networks\[1\] does not follow #\/components\/schemas\/WireguardNetwork: field 'port' must be integer \(got "fifty-one"\)/);
    const line = Number(/bad-bare\.json:(\d+)/.exec(bare)![1]);
    expect(fs.readFileSync(bareFile, 'utf8').split('\n')[line - 1]).toContain('"port": "fifty-one"');
    const keyed = await refusal(['defguard'], write('bad-keyed.yaml', { defguard: state }, 'yaml'));
    expect(keyed).toMatch(/bad-keyed\.yaml:\d+ \(defguard\): networks\[1\] does not follow .*field 'port'/);
  });

  it('the CLI prints one line and exits 2 on a bad --seed', async () => {
    const file = write('cli-other-api.json', { 'defender-cloud-apps': { alerts: [] } });
    const result = await runCli(['mock', 'defguard', '--stateful', '--seed', file, '--port', String(await freePort())]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`${file}:2: a seed for 'defender-cloud-apps', which is not being mocked`);
  }, 60_000);
});
