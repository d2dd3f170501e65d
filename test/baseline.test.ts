import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findingFingerprint } from '../conformance/fingerprint.ts';
import { annotation } from '../conformance/reporters/github.ts';
import { credentialsFromControlApi, startStatefulMocks } from '../src/cli/commands/stateful.ts';
import { selectApis } from '../src/core/contract/discover.ts';
import { freePort } from '../src/core/net.ts';
import { projectPaths } from '../src/core/paths.ts';
import { runCli } from './helpers/cli.ts';

const paths = projectPaths();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contracts-baseline-'));
const file = (name: string) => path.join(dir, name);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('fingerprints', () => {
  const result = { operationId: 'listDevices', check: 'response-schema', case: 'positive' as const, credentialClass: undefined, mutation: undefined };
  it('depend on what the finding is, not on its message, array positions or values', () => {
    const a = findingFingerprint('defender-iot-sensor', result, { bodyPointer: '/3/id' });
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(findingFingerprint('defender-iot-sensor', result, { bodyPointer: '/0/id' })).toBe(a);
    expect(findingFingerprint('defender-iot-sensor', result, { bodyPointer: '/0/name' })).not.toBe(a);
    expect(findingFingerprint('defender-iot-sensor', { ...result, case: 'auth' as const, credentialClass: 'revoked' as const }, { bodyPointer: '/0/id' })).not.toBe(a);
    expect(findingFingerprint('defguard', result, { bodyPointer: '/0/id' })).not.toBe(a);
  });
});

describe('github annotations', () => {
  it('escape messages and properties as the Actions runner reads them', () => {
    expect(annotation('error', { file: 'specs/a,b:c.yaml', line: 3, title: 'response-schema' }, '50% off\r\nnext: line, more')).toBe(
      '::error file=specs/a%2Cb%3Ac.yaml,line=3,title=response-schema::50%25 off%0D%0Anext: line, more',
    );
    expect(annotation('notice', { title: 'x', line: undefined }, 'm')).toBe('::notice title=x::m');
  });
});

describe('baselines against a faulty implementation (stateful mock with injected faults)', () => {
  const api = 'defender-iot-sensor';
  let url = '';
  let token = '';
  let stop: () => Promise<void>;
  beforeAll(async () => {
    const [mock] = await startStatefulMocks(selectApis(paths, [api]), () => freePort(), { rateLimit: false });
    url = mock!.url;
    stop = () => mock!.stop();
    token = (await credentialsFromControlApi(url)).valid;
  });
  afterAll(() => stop?.());
  beforeEach(async () => {
    await fetch(`${url}/__control/faults`, { method: 'DELETE' });
  });
  const fault = async (operationId: string, kind: string) => {
    const res = await fetch(`${url}/__control/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ operationId, kind }) });
    expect(res.status).toBe(200);
  };
  /** A run of two operations, with the mock's valid credential, and every report the baseline shows in. */
  const test = (...extra: string[]) =>
    runCli(
      ['test', api, '--target', url, '--token-env', 'BASELINE_TEST_TOKEN', '--include', 'listDevices', '--include', 'listEvents',
        '--report', `json:${file('r.json')}`, '--report', `sarif:${file('r.sarif')}`, '--report', 'github:-', '--report', `junit:${file('r.xml')}`, ...extra],
      { BASELINE_TEST_TOKEN: token },
    );
  const json = () => JSON.parse(fs.readFileSync(file('r.json'), 'utf8'));
  const findings = () => json().results.flatMap((r: { findings: Array<Record<string, unknown>>; operationId: string }) => r.findings.map((f) => ({ ...f, operationId: r.operationId })));
  const sarifResults = () => JSON.parse(fs.readFileSync(file('r.sarif'), 'utf8')).runs[0].results;

  it('records findings, passes when only known ones remain, fails on a new fault and on an expired entry, and reports fixed entries', async () => {
    await fault('listDevices', 'wrong-field-type');
    const first = await test();
    expect(first.code).toBe(1);
    const fps = findings().map((f: { fingerprint: string }) => f.fingerprint);
    expect(fps.length).toBeGreaterThan(0);

    const written = await test('--write-baseline', file('baseline.yaml'));
    expect(written.code, written.stdout).toBe(0);
    expect(written.stdout).toMatch(/baseline: wrote \d+ finding\(s\) to /);
    const text = fs.readFileSync(file('baseline.yaml'), 'utf8');
    // The same findings give the same fingerprints run after run (mock ids and values vary).
    for (const fp of fps) expect(text).toContain(`fingerprint: ${fp}`);
    expect(text).toMatch(/operation: listDevices\n\s+check: response-schema\n\s+message: /);

    // Known findings only: exit 0, every report says known.
    const known = await test('--baseline', file('baseline.yaml'));
    expect(known.code, known.stdout).toBe(0);
    expect(known.stdout).toMatch(/known listDevices/);
    expect(known.stdout).toMatch(/baseline .*baseline\.yaml: 0 new, \d+ known, 0 expired finding\(s\); 0 entries fixed/);
    expect(known.stdout).toMatch(/^::notice file=specs\/defender-iot-sensor\/[^,]+,line=\d+,col=\d+,title=response-schema \(known\)::known \(baseline\): /m);
    expect(known.stdout).not.toMatch(/^::error/m);
    expect(findings().every((f: { baseline: { state: string } }) => f.baseline.state === 'known')).toBe(true);
    expect(sarifResults().every((r: { baselineState: string; level: string; partialFingerprints: Record<string, string> }) => r.baselineState === 'unchanged' && r.level === 'note' && /^[0-9a-f]{32}$/.test(r.partialFingerprints['contractsFinding/v1']!))).toBe(true);
    expect(fs.readFileSync(file('r.xml'), 'utf8')).not.toContain('<failure');

    // A new fault fails the run; only it is new.
    await fault('listEvents', 'missing-required-field');
    const fresh = await test('--baseline', file('baseline.yaml'));
    expect(fresh.code).toBe(1);
    expect(fresh.stdout).toMatch(/FAIL listEvents/);
    expect(fresh.stdout).toMatch(/^::error file=specs\/defender-iot-sensor\/[^,]+,line=\d+,col=\d+,title=response-schema::defender-iot-sensor listEvents/m);
    const states = findings().map((f: { operationId: string; baseline: { state: string } }) => `${f.operationId} ${f.baseline.state}`);
    expect(new Set(states)).toEqual(new Set(['listDevices known', 'listEvents new']));
    expect(new Set(sarifResults().map((r: { baselineState: string }) => r.baselineState))).toEqual(new Set(['unchanged', 'new']));

    // An entry past its date counts again, and the output says it expired.
    await fetch(`${url}/__control/faults`, { method: 'DELETE' });
    await fault('listDevices', 'wrong-field-type');
    fs.writeFileSync(file('expired.yaml'), text.replace(/(\n\s+check: response-schema\n)/g, "$1    reason: vendor fix pending\n    expires: '2000-01-31'\n"));
    const expired = await test('--baseline', file('expired.yaml'));
    expect(expired.code).toBe(1);
    expect(expired.stdout).toContain('[baseline entry expired 2000-01-31]');
    expect(expired.stdout).toMatch(/^::error .*::baseline entry expired 2000-01-31: /m);
    expect(sarifResults().every((r: { baselineState: string }) => r.baselineState === 'new')).toBe(true);

    // Fixed: nothing matches the entries any more; they are reported so the file can be pruned.
    await fetch(`${url}/__control/faults`, { method: 'DELETE' });
    const fixed = await test('--baseline', file('baseline.yaml'));
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toMatch(new RegExp(`fixed \\(no longer found; remove from .*baseline\\.yaml\\): ${fps[0]}`));
    expect(json().baseline.fixed.map((e: { fingerprint: string }) => e.fingerprint)).toEqual(expect.arrayContaining(fps));
    expect(fixed.stdout).toMatch(/^::notice file=[^,]*baseline\.yaml,title=baseline entry fixed::/m);
  });

  it('merge-reports judges merged shards against a baseline as the unsharded run, and writes one', async () => {
    await fault('listDevices', 'wrong-field-type');
    const env = { BASELINE_TEST_TOKEN: token };
    const shard = (i: number) =>
      runCli(['test', api, '--target', url, '--token-env', 'BASELINE_TEST_TOKEN', '--include', 'listDevices', '--include', 'listEvents', '--shard', `${i}/2`, '--report', `json:${file(`b${i}.json`)}`], env);
    const codes = [(await shard(1)).code, (await shard(2)).code];
    expect(codes).toContain(1);
    const shards = [file('b1.json'), file('b2.json')];
    const unjudged = await runCli(['merge-reports', ...shards, '--write-baseline', file('merged-baseline.yaml')]);
    expect(unjudged.code, unjudged.stdout).toBe(0);
    expect(fs.readFileSync(file('merged-baseline.yaml'), 'utf8')).toContain('operation: listDevices');
    expect((await runCli(['merge-reports', ...shards])).code).toBe(1);
    const judged = await runCli(['merge-reports', ...shards, '--baseline', file('merged-baseline.yaml'), '--report', `sarif:${file('m.sarif')}`]);
    expect(judged.code, judged.stdout).toBe(0);
    expect(judged.stdout).toMatch(/0 new, \d+ known, 0 expired finding\(s\); 0 entries fixed/);
    const results = JSON.parse(fs.readFileSync(file('m.sarif'), 'utf8')).runs[0].results;
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((r: { baselineState: string }) => r.baselineState === 'unchanged')).toBe(true);
  });

  it.each([
    ['not YAML', 'findings:\n  - fingerprint: [unclosed\n', /bad\.yaml:\d+: not valid YAML or JSON/],
    ['no findings list', 'findings: 3\n', /bad\.yaml:1: `findings` must be a list/],
    ['a short fingerprint', 'version: 1\nfindings:\n  - fingerprint: abc\n', /bad\.yaml:3: fingerprint must be 32 hex digits/],
    ['a bad date', `findings:\n  - fingerprint: ${'a'.repeat(32)}\n  - fingerprint: ${'b'.repeat(32)}\n    expires: 2026-02-30\n`, /bad\.yaml:3: expires must be a date YYYY-MM-DD, got '2026-02-30'/],
    ['an unknown key', `findings:\n  - fingerprint: ${'a'.repeat(32)}\n    expire: 2026-01-01\n`, /bad\.yaml:3: unknown key 'expire'/],
    ['a fingerprint twice', `findings:\n  - fingerprint: ${'a'.repeat(32)}\n  - fingerprint: ${'a'.repeat(32)}\n`, /bad\.yaml:3: fingerprint a{32} is listed twice \(also on line 2\)/],
  ])('refuses a baseline with %s: one line with file:line, exit 2', async (_name, content, message) => {
    fs.writeFileSync(file('bad.yaml'), content);
    const r = await runCli(['test', api, '--baseline', file('bad.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses a baseline file that does not exist', async () => {
    const r = await runCli(['merge-reports', '--baseline', file('none.yaml'), file('r.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/none\.yaml: cannot read the baseline file \(ENOENT\)/);
  });
});
