import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';

const fixture = (name: string, side: 'before' | 'after') => `test/fixtures/diff/${name}/${side}.yaml`;
const oneLine = (stderr: string) => stderr.trim().split('\n');

describe.concurrent('contracts diff — input errors exit 2 with one line', () => {
  it.each([
    ['unknown API', ['no-such-api', 'defguard'], /unknown API 'no-such-api'; known APIs: .*defguard/],
    ['unknown API at a ref', ['no-such-api@HEAD', 'defguard'], /no specs\/no-such-api\/openapi\.yaml at that ref/],
    ['bad git ref', ['defender-iot-sensor@no-such-ref~9', 'defender-iot-sensor'], /unknown git ref 'no-such-ref~9'/],
    ['unreleased version', ['defender-iot-sensor@9.9.9', 'defender-iot-sensor'], /no release tag 'defender-iot-sensor@9\.9\.9'/],
    ['file not found', ['specs/nowhere/openapi.yaml', 'defguard'], /specs\/nowhere\/openapi\.yaml: file not found/],
    ['option-like ref', ['defguard@--output=x', 'defguard'], /unknown git ref/],
  ])('%s', async (_name, args, message) => {
    const r = await runCli(['diff', ...args]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('rejects an unknown --format and --fail-on', async () => {
    const a = await runCli(['diff', fixture('no-change', 'before'), fixture('no-change', 'after'), '--format', 'xml']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/unknown --format 'xml'/);
    const b = await runCli(['diff', fixture('no-change', 'before'), fixture('no-change', 'after'), '--fail-on', 'info']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/unknown --fail-on 'info'/);
  });
});

describe.concurrent('contracts diff — output and exit codes', () => {
  it('--format json has a stable shape', async () => {
    const r = await runCli(['diff', fixture('response-property-renamed', 'before'), fixture('response-property-renamed', 'after'), '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report)).toEqual(['old', 'new', 'failOn', 'failed', 'summary', 'changes']);
    expect(report.summary).toEqual({ breaking: 1, 'non-breaking': 1, info: 0 });
    expect(report.failOn).toBe('breaking');
    expect(report.failed).toBe(true);
    expect(report.changes[0]).toEqual({
      id: 'response-property-removed',
      severity: 'breaking',
      message: expect.stringContaining("property 'size' removed"),
      operation: expect.stringMatching(/^GET \/things/),
      operations: expect.arrayContaining(['GET /things (listThings)', 'POST /things (createThing)', 'GET /things/{id} (getThing)']),
      oldPointer: '#/components/schemas/Thing/properties/size',
      newPointer: '#/components/schemas/Thing',
    });
    expect(report.changes[1]).toMatchObject({ id: 'response-property-added', severity: 'non-breaking', oldPointer: '#/components/schemas/Thing', newPointer: '#/components/schemas/Thing/properties/dimension' });
  });

  it('--fail-on: breaking by default, non-breaking on request', async () => {
    const args = ['diff', fixture('request-optional-property-added', 'before'), fixture('request-optional-property-added', 'after')];
    const byDefault = await runCli(args);
    expect(byDefault.code).toBe(0);
    expect(byDefault.stdout).toContain('0 breaking, 1 non-breaking, 0 info');
    const strict = await runCli([...args, '--fail-on', 'non-breaking']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('fails on non-breaking');
    const breaking = await runCli(['diff', fixture('required-role-changed', 'before'), fixture('required-role-changed', 'after')]);
    expect(breaking.code).toBe(1);
    expect(breaking.stdout).toMatch(/breaking\s+required-role-changed\s+DELETE \/things\/\{id\} \(deleteThing\)/);
  });

  it('markdown and junit', async () => {
    const args = ['diff', fixture('auth-contract-status-changed', 'before'), fixture('auth-contract-status-changed', 'after')];
    const md = await runCli([...args, '--format', 'markdown']);
    expect(md.stdout).toMatch(/^### Contract diff: /);
    expect(md.stdout).toContain('| 🔴 breaking | `auth-contract-outcome-changed` |');
    const junit = await runCli([...args, '--format', 'junit']);
    expect(junit.stdout).toMatch(/<testsuites name="contracts diff" tests="1" failures="1"/);
    expect(junit.stdout).toContain('<failure message="x-auth-contract classes/insufficient/status: 403 → 404" type="breaking">');
  });

  it('--operation compares the sensor v1 and v2 alert lists', async () => {
    const r = await runCli(['diff', 'defender-iot-sensor', 'defender-iot-sensor', '--operation', 'listAlertsV1=GET /api/v2/alerts', '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.summary.breaking).toBe(0);
    const ids = report.changes.map((c: { id: string }) => c.id);
    expect(ids).toContain('response-property-added');
    expect(ids).toContain('operation-id-changed');
    const bad = await runCli(['diff', 'defender-iot-sensor', 'defender-iot-sensor', '--operation', 'listAlertsV1=nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no operation 'nope' in the new contract/);
  });
});

/** A throw-away git repository holding one API, so that refs, tags and releases can be exercised. */
describe('git refs, release tags and release-check', () => {
  let root: string;
  const git = (...args: string[]) => execFileSync('git', ['-C', root, '-c', 'user.name=test', '-c', 'user.email=test@example.test', ...args], { encoding: 'utf8' });
  const spec = () => path.join(root, 'specs/things/openapi.yaml');
  const edit = (from: string, to: string) => fs.writeFileSync(spec(), fs.readFileSync(spec(), 'utf8').replace(from, to));
  const changelog = (versions: string[]) => fs.writeFileSync(path.join(root, 'specs/things/CHANGELOG.md'), versions.map((v) => `## ${v}\n\n- Something.\n`).join('\n'));

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'contracts-diff-git-'));
    fs.mkdirSync(path.join(root, 'specs/things'), { recursive: true });
    fs.mkdirSync(path.join(root, 'specs/shared'), { recursive: true });
    fs.copyFileSync(fixture('no-change', 'before'), spec());
    fs.writeFileSync(path.join(root, 'specs/shared/README.md'), 'shared pieces\n');
    changelog(['1.0.0']);
    git('init', '-q');
    git('add', '-A');
    git('commit', '-q', '-m', 'things 1.0.0');
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('release-check passes with a message when no release tag exists', async () => {
    const r = await runCli(['--root', root, 'release-check']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no release tag things@* yet: nothing to compare');
  });

  it('release-check fails without a CHANGELOG entry for the current version', async () => {
    changelog(['0.9.0']);
    const r = await runCli(['--root', root, 'release-check', 'things']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('CHANGELOG.md has no entry for 1.0.0');
    changelog(['1.0.0']);
  });

  it('diffs a released version and a git ref against the working tree', async () => {
    git('tag', 'things@1.0.0');
    edit("      - name\n", '');
    const released = await runCli(['--root', root, 'diff', 'things@1.0.0', 'things']);
    expect(released.code).toBe(1);
    expect(released.stdout).toMatch(/^diff things@1\.0\.0 \(tag things@1\.0\.0, [0-9a-f]{7}\) → things \(working tree\)/);
    expect(released.stdout).toContain('response-property-made-optional');
    const head = await runCli(['--root', root, 'diff', 'things@HEAD', 'things', '--format', 'json']);
    expect(JSON.parse(head.stdout).summary.breaking).toBe(1);
  });

  it('release-check: changed contract, same version → fails', async () => {
    const r = await runCli(['--root', root, 'release-check']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('the contract changed since things@1.0.0 but info.version is still 1.0.0');
  });

  it('release-check: breaking change with a minor bump → fails; major bump with CHANGELOG → passes', async () => {
    edit('version: 1.0.0', 'version: 1.1.0');
    changelog(['1.1.0', '1.0.0']);
    const minor = await runCli(['--root', root, 'release-check']);
    expect(minor.code).toBe(1);
    expect(minor.stdout).toContain('1 breaking change(s) since things@1.0.0 need version 2.0.0 or higher, not 1.1.0');
    expect(minor.stdout).toContain('breaking response-property-made-optional');
    edit('version: 1.1.0', 'version: 2.0.0');
    changelog(['2.0.0', '1.0.0']);
    const major = await runCli(['--root', root, 'release-check']);
    expect(major.stdout).toContain('changed since things@1.0.0: 1 breaking');
    expect(major.code).toBe(0);
  });

  it('release-check compares against the highest release tag', async () => {
    git('add', '-A');
    git('commit', '-q', '-m', 'things 2.0.0');
    git('tag', 'things@2.0.0');
    git('tag', 'things@1.5.0', 'HEAD~1');
    const r = await runCli(['--root', root, 'release-check']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('(last release things@2.0.0)');
    expect(r.stdout).toContain('unchanged since things@2.0.0');
  });
});
