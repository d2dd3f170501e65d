import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import YAML from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { buildStatefulMock } from '../mocks/kit/server.ts';
import { statefulModule } from '../mocks/registry.ts';
import { selectApis } from '../src/core/contract/discover.ts';
import { loadContract } from '../src/core/contract/load.ts';
import { MockError } from '../src/core/errors.ts';
import { freePort } from '../src/core/net.ts';
import { projectPaths } from '../src/core/paths.ts';
import { runCli } from './helpers/cli.ts';

const contract = await loadContract(selectApis(projectPaths(), ['defguard'])[0]!);
const defguard = await statefulModule('defguard');
const shipped = YAML.parse(fs.readFileSync(new URL('../mocks/defguard/seed.yaml', import.meta.url), 'utf8')) as Record<string, unknown[]>;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'defguard-seed-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The Defguard mock started from a seed file of our own (the shipped one with `change` applied). */
async function startWith(name: string, change: (seed: Record<string, unknown[]>) => unknown) {
  const seed = structuredClone(shipped);
  const file = path.join(tmp, name);
  fs.writeFileSync(file, YAML.stringify(change(seed) ?? seed));
  return buildStatefulMock(contract, { ...defguard, seed: { file: pathToFileURL(file) } });
}

async function failure(name: string, change: (seed: Record<string, unknown[]>) => unknown): Promise<string> {
  const err = await startWith(name, change).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MockError);
  return (err as MockError).message;
}

describe('Defguard seed data: validated against the contract at start-up', () => {
  it('the shipped seed.yaml starts the mock', async () => {
    const app = await startWith('shipped.yaml', () => undefined);
    expect((await app.inject({ method: 'GET', url: '/__control/state' })).json().users).toHaveLength(shipped.users!.length);
    await app.close();
  });

  it('a record missing a required field stops the start, naming file, line, collection, index and field', async () => {
    const message = await failure('missing.yaml', (seed) => {
      delete (seed.users![2] as Record<string, unknown>).email;
    });
    expect(message).toMatch(/missing\.yaml:\d+: users\[2\] does not follow #\/components\/schemas\/UserInfo: field 'email' is missing \(required\)/);
    // The line is the record's own (the field is not there to point at).
    const line = Number(/missing\.yaml:(\d+)/.exec(message)![1]);
    const text = fs.readFileSync(path.join(tmp, 'missing.yaml'), 'utf8').split('\n');
    expect(text.slice(line - 1, line + 18).join('\n')).toContain('username: bob');
  });

  it('a field of the wrong type names the field and the value it got, at the field’s line', async () => {
    const message = await failure('wrong-type.yaml', (seed) => {
      (seed.networks![1] as Record<string, unknown>).port = 'fifty-one thousand';
    });
    expect(message).toMatch(/wrong-type\.yaml:\d+: networks\[1\] does not follow #\/components\/schemas\/WireguardNetwork: field 'port' must be integer \(got "fifty-one thousand"\)/);
    const line = Number(/wrong-type\.yaml:(\d+)/.exec(message)![1]);
    expect(fs.readFileSync(path.join(tmp, 'wrong-type.yaml'), 'utf8').split('\n')[line - 1]).toContain('port: fifty-one thousand');
  });

  it('a nested field is named by its path', async () => {
    const message = await failure('nested.yaml', (seed) => {
      (seed.groups![0] as Record<string, unknown>).members = ['admin', 7];
    });
    expect(message).toContain("groups[0] does not follow #/components/schemas/GroupInfo: field 'members.1' must be string (got 7)");
  });

  it('a collection that is not a list, and a file that is not a map of collections, are refused', async () => {
    expect(await failure('not-a-list.yaml', (seed) => ({ ...seed, devices: { id: 1 } }))).toMatch(/not-a-list\.yaml:\d+: 'devices' must be a list of Device records/);
    expect(await failure('a-list.yaml', () => [1, 2])).toMatch(/a-list\.yaml: a seed file is a map of collections/);
  });

  it('fields the contract does not have are allowed where its schema allows them (the mock’s own addresses)', async () => {
    const app = await startWith('extra.yaml', (seed) => {
      (seed.devices![0] as Record<string, unknown>).addresses = [{ network_id: 1, wireguard_ips: ['10.10.0.50'] }];
    });
    const devices = (await app.inject({ method: 'GET', url: '/__control/state' })).json().devices as { id: number; addresses: unknown }[];
    expect(devices.find((d) => d.id === 1)!.addresses).toContainEqual({ network_id: 1, wireguard_ips: ['10.10.0.50'] });
    await app.close();
  });

  it('a --seed state is checked the same way, and the CLI exits 2 naming the file', async () => {
    const file = path.join(tmp, 'state.yaml');
    fs.writeFileSync(file, YAML.stringify({ defguard: { users: [{ ...(shipped.users![0] as object), is_active: 'yes' }] } }));
    const result = await runCli(['mock', 'defguard', '--stateful', '--seed', file, '--port', String(await freePort())]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file}:`);
    expect(result.stderr).toMatch(/:\d+ \(defguard\): users\[0\] does not follow #\/components\/schemas\/UserInfo: field 'is_active' must be boolean \(got "yes"\)/);
  }, 60_000);
});
