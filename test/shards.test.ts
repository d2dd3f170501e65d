import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseShard, shardOf, shardOperations, supportingCreations } from '../conformance/shard.ts';
import { selectApis } from '../src/core/contract/discover.ts';
import { loadContract } from '../src/core/contract/load.ts';
import { projectPaths } from '../src/core/paths.ts';
import { runCli } from './helpers/cli.ts';

const paths = projectPaths();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contracts-shards-'));
const file = (name: string) => path.join(dir, name);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

type JsonRun = { results: Array<{ operationId: string; check: string; case: string; mutation?: string; credentialClass?: string }>; coverage: { totals: unknown } };
const read = (name: string): JsonRun => JSON.parse(fs.readFileSync(file(name), 'utf8'));
/** What makes a case itself: the same in every run, whatever values or answers it got. */
const identities = (run: JsonRun) => run.results.map((r) => [r.operationId, r.check, r.case, r.mutation ?? '', r.credentialClass ?? ''].join(' | ')).sort();

describe('--shard i/n: parsing and assignment', () => {
  it.each(['3/2', '0/2', 'a/b', '1/0', '2', '1/2/3', '-1/2', ''])('refuses %j', (value) => {
    expect(() => parseShard(value)).toThrow(/--shard takes <i>\/<n> with 1 ≤ i ≤ n/);
  });

  it('accepts i/n with 1 ≤ i ≤ n', () => {
    expect(parseShard('1/1')).toEqual({ index: 1, count: 1 });
    expect(parseShard(' 4 / 4 ')).toEqual({ index: 4, count: 4 });
  });

  it('puts every operation in exactly one shard, and keeps it there when other operations come and go', async () => {
    const contract = await loadContract(selectApis(paths, ['defguard'])[0]!);
    const ops = contract.operations;
    const shards = [1, 2, 3, 4].map((index) => shardOperations('defguard', ops, { index, count: 4 }));
    expect(shards.flat().map((o) => o.id).sort()).toEqual(ops.map((o) => o.id).sort());
    for (const s of shards) expect(s.length).toBeGreaterThan(ops.length / 8);
    // Half the operations gone (a filter, or a smaller contract): the rest stay where they were.
    const half = ops.filter((_, i) => i % 2 === 0);
    for (const op of half) expect(shardOf('defguard', op.id, 4)).toBe(shards.findIndex((s) => s.includes(op)));
    // The API is part of the key: the same operationId in another API may go elsewhere.
    expect(new Set(['a', 'b', 'c', 'd', 'e', 'f'].map((api) => shardOf(api, 'listUsers', 4))).size).toBeGreaterThan(1);
  });

  it('names the creations a shard still sends because its own operations work on what they create', async () => {
    const contract = await loadContract(selectApis(paths, ['defguard'])[0]!);
    const byId = (id: string) => contract.operations.find((o) => o.id === id)!;
    const support = supportingCreations(contract.operations, [byId('deleteNetwork')]);
    expect(support.map((o) => `${o.method} ${o.path}`)).toContain('post /api/v1/network');
    expect(supportingCreations(contract.operations, [byId('deleteNetwork'), byId('createNetwork')]).map((o) => o.id)).not.toContain('createNetwork');
  });
});

describe('contracts test --shard and merge-reports against the stateful mocks', () => {
  const api = 'defender-iot-sensor';
  const full = { code: 0 as number | null, stdout: '' };
  beforeAll(async () => {
    const r = await runCli(['test', api, '--report', `json:${file('full.json')}`, '--report', `junit:${file('full.xml')}`]);
    Object.assign(full, r);
    for (const i of [1, 2, 3]) {
      const s = await runCli(['test', api, '--shard', `${i}/3`, '--report', `json:${file(`s${i}.json`)}`]);
      expect(s.code, s.stderr).toBe(0);
    }
  });

  it('the shards together run exactly the cases of the unsharded run: none lost, none twice', () => {
    expect(full.code).toBe(0);
    const whole = identities(read('full.json'));
    const shards = [1, 2, 3].map((i) => identities(read(`s${i}.json`)));
    expect(new Set(whole).size).toBe(whole.length);
    expect(shards.flat().sort()).toEqual(whole);
    for (const s of shards) expect(s.length).toBeGreaterThan(0);
  });

  it('merges the shards into every format, with the unsharded run\'s cases, coverage and exit code', async () => {
    const r = await runCli([
      'merge-reports', file('s1.json'), file('s2.json'), file('s3.json'),
      '--report', `json:${file('merged.json')}`, '--report', `junit:${file('merged.xml')}`, '--report', `sarif:${file('merged.sarif')}`,
      '--report', `html:${file('merged.html')}`, '--report', 'github:-',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\d+ passed, 0 failed/);
    const merged = read('merged.json');
    expect(identities(merged)).toEqual(identities(read('full.json')));
    expect(merged.coverage.totals).toEqual(read('full.json').coverage.totals);
    expect(fs.readFileSync(file('merged.xml'), 'utf8').match(/<testcase /g)!.length).toBe(fs.readFileSync(file('full.xml'), 'utf8').match(/<testcase /g)!.length);
    // No report names the machine's folders: every path is relative to the project root.
    for (const name of ['merged.json', 'merged.xml', 'merged.sarif', 'merged.html', 's1.json', 'full.json']) {
      expect(fs.readFileSync(file(name), 'utf8'), name).not.toContain(paths.root);
    }
    expect(JSON.stringify(merged.results[0])).toMatch(/"file":"specs\/defender-iot-sensor\//);
  });

  it('gives the unsharded exit code for --min-coverage on the merge', async () => {
    const unsharded = await runCli(['merge-reports', file('full.json'), '--min-coverage', '100']);
    const merged = await runCli(['merge-reports', file('s1.json'), file('s2.json'), file('s3.json'), '--min-coverage', '100']);
    expect(unsharded.code).toBe(1);
    expect(merged.code).toBe(1);
    expect(merged.stdout).toMatch(/coverage 82\.3% is below --min-coverage 100%/);
    expect((await runCli(['merge-reports', file('s1.json'), file('s2.json'), file('s3.json'), '--min-coverage', '80'])).code).toBe(0);
  });

  it.each([
    ['a shard missing', () => [file('s1.json'), file('s3.json')], /shard 2\/3 of defender-iot-sensor missing/],
    ['a shard twice', () => [file('s1.json'), file('s1.json'), file('s2.json'), file('s3.json')], /shard 1\/3 of defender-iot-sensor is given twice/],
    ['shards and an unsharded report mixed', () => [file('full.json'), file('s1.json'), file('s2.json'), file('s3.json')], /mixed runs: .*full\.json is an unsharded report/],
    ['a missing file', () => [file('nope.json')], /nope\.json: cannot read the report \(ENOENT\)/],
    ['malformed JSON', () => [write('bad.json', '{"api": "x", "results": [')], /bad\.json: not JSON/],
    ['JSON that is not a report', () => [write('other.json', '{"hello": 1}')], /other\.json: not a report of contracts test/],
    ['shards of different splits', () => [file('s1.json'), write('s2of2.json', fs.readFileSync(file('s2.json'), 'utf8').replace('"count": 3', '"count": 2'))], /mixed runs: .* shard 1\/3 .* shard 2\/2/],
  ])('refuses %s with one line and exit 2', async (_name, files, message) => {
    const r = await runCli(['merge-reports', ...files()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses a bad --shard before starting anything', async () => {
    for (const bad of ['3/2', '0/2', 'a/b']) {
      const r = await runCli(['test', api, '--shard', bad]);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toContain(`--shard takes <i>/<n> with 1 ≤ i ≤ n (e.g. 1/4), got '${bad}'`);
    }
    const none = await runCli(['merge-reports']);
    expect(none.code).toBe(2);
  });
});

function write(name: string, text: string): string {
  fs.writeFileSync(file(name), text);
  return file(name);
}
