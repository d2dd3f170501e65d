import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../src/core/paths.ts';
import { runCli } from './helpers/cli.ts';
import { add, AT, remove, rename, replace, specWith, tempDir, writeSpec, type Edit } from './helpers/diff-spec.ts';

const oneLine = (stderr: string) => stderr.trim().split('\n');
const dir = tempDir('contracts-diff-cli-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The base contract and an edited copy, written as files for the CLI. */
function sides(name: string, ...edits: Edit[]): [string, string] {
  return [writeSpec(path.join(dir, name), 'before', specWith()), writeSpec(path.join(dir, name), 'after', specWith(...edits))];
}

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

  it('a broken spec on either side: one line naming the side and the place', async () => {
    const broken = path.join(dir, 'broken.yaml');
    fs.writeFileSync(broken, "openapi: 3.1.0\ninfo: {title: x, version: 1.0.0}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          $ref: '#/components/responses/Nope'\n");
    const [before] = sides('broken');
    const r = await runCli(['diff', before, broken]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/broken\.yaml: .*broken\.yaml:7:\d+ .*Can't resolve \$ref/);
  });

  it('rejects an unknown --format, --fail-on and --report', async () => {
    const [before, after] = sides('options');
    const format = await runCli(['diff', before, after, '--format', 'junit']);
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/unknown --format 'junit'; use one of text, json, markdown \(junit, sarif, html and json files: --report <format>:<path>\)/);
    const failOn = await runCli(['diff', before, after, '--fail-on', 'info']);
    expect(failOn.code).toBe(2);
    expect(failOn.stderr).toMatch(/unknown --fail-on 'info'/);
    const report = await runCli(['diff', before, after, '--report', 'pdf:x.pdf']);
    expect(report.code).toBe(2);
    expect(report.stderr).toMatch(/--report takes <format>:<path> with format one of json, junit, sarif, html/);
  });
});

describe.concurrent('contracts diff — output, reports and exit codes', () => {
  it('--format json has a stable shape, with file and line on both sides', async () => {
    const [before, after] = sides('renamed', rename(`${AT.thing}/properties/size`, 'dimension'));
    const r = await runCli(['diff', before, after, '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report)).toEqual(['old', 'new', 'failOn', 'failed', 'summary', 'changes']);
    expect(report).toMatchObject({ failOn: 'breaking', failed: true, summary: { breaking: 1, 'non-breaking': 1, info: 0 } });
    expect(report.changes[0]).toEqual({
      id: 'response-property-removed',
      severity: 'breaking',
      message: expect.stringContaining("property 'size' removed"),
      operation: expect.stringMatching(/^GET \/things/),
      operations: expect.arrayContaining(['GET /things (listThings)', 'POST /things (createThing)', 'GET /things/{id} (getThing)']),
      oldPointer: '#/components/schemas/Thing/properties/size',
      newPointer: '#/components/schemas/Thing',
      oldLocation: { file: before, line: expect.any(Number), pointer: '#/components/schemas/Thing/properties/size' },
      newLocation: { file: after, line: expect.any(Number), pointer: '#/components/schemas/Thing' },
    });
    const lines = (file: string) => fs.readFileSync(file, 'utf8').split('\n');
    expect(lines(before)[report.changes[0].oldLocation.line - 1]).toMatch(/^\s+size:$/);
    expect(lines(after)[report.changes[0].newLocation.line - 1]).toMatch(/^\s+Thing:$/);
    expect(report.changes[1]).toMatchObject({ id: 'response-property-added', severity: 'non-breaking', newPointer: '#/components/schemas/Thing/properties/dimension' });
  });

  it('text names the file and line of each side', async () => {
    const [before, after] = sides('text', replace(`${AT.del}/x-required-role`, 'owner'));
    const r = await runCli(['diff', before, after]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/breaking\s+required-role-changed\s+DELETE \/things\/\{id\} \(deleteThing\)/);
    expect(r.stdout).toMatch(/old \S*text\/before\.yaml:\d+:\d+ #\/paths\/~1things~1\{id\}\/delete\/x-required-role/);
    expect(r.stdout).toMatch(/new \S*text\/after\.yaml:\d+:\d+ #\/paths\/~1things~1\{id\}\/delete\/x-required-role/);
  });

  it('--fail-on: breaking by default, non-breaking on request', async () => {
    const args = ['diff', ...sides('fail-on', add(`${AT.list}/responses/429`, { description: 'Slow down.' }))];
    const byDefault = await runCli(args);
    expect(byDefault.code).toBe(0);
    expect(byDefault.stdout).toContain('0 breaking, 1 non-breaking, 0 info');
    const strict = await runCli([...args, '--fail-on', 'non-breaking']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('fails on non-breaking');
  });

  it('markdown for pull requests', async () => {
    const [before, after] = sides('markdown', add('/x-auth-contract', { classes: { insufficient: { status: 403 } } }));
    const md = await runCli(['diff', before, after, '--format', 'markdown']);
    expect(md.stdout).toMatch(/^### Contract diff: /);
    expect(md.stdout).toMatch(/\| 🟢 non-breaking \| `auth-contract-outcome-added` \| DELETE \/things\/\{id\} \(deleteThing\) \| .* \| `\S*before\.yaml:\d+` → `\S*after\.yaml:\d+` \|/);
  });

  it('--report writes SARIF, JUnit, JSON and HTML through the runner’s reporters', async () => {
    const [before, after] = sides('reports', add('/x-auth-contract', { classes: { insufficient: { status: 403 } } }), replace(`${AT.del}/x-required-role`, 'owner'));
    const out = path.join(dir, 'reports');
    const r = await runCli(['diff', before, after, ...['sarif', 'junit', 'json', 'html'].flatMap((f) => ['--report', `${f}:${out}/diff.${f}`])]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/report: .*diff\.sarif/);

    const sarif = JSON.parse(fs.readFileSync(`${out}/diff.sarif`, 'utf8')).runs[0];
    const rule = (id: string) => sarif.tool.driver.rules.findIndex((x: { id: string }) => x.id === id);
    expect(sarif.tool.driver.rules[rule('required-role-changed')].shortDescription.text).toBe('required role added or changed (breaking)');
    // Only the change at the --fail-on level is a result, located on the new side's line.
    expect(sarif.results).toHaveLength(1);
    const [result] = sarif.results;
    expect(result).toMatchObject({ ruleId: 'required-role-changed', ruleIndex: rule('required-role-changed'), level: 'error' });
    expect(result.message.text).toMatch(/^deleteThing \(DELETE \/things\/\{id\}\) .*breaking: x-required-role changed from 'admin' to 'owner'; before: \S*before\.yaml:\d+/);
    expect(result.message.text).not.toContain('Repeat');
    const written = fs.readFileSync(after, 'utf8').split('\n');
    expect(written[result.locations[0].physicalLocation.region.startLine - 1]).toMatch(/^\s+x-required-role: owner$/);

    const junit = fs.readFileSync(`${out}/diff.junit`, 'utf8');
    expect(junit).toMatch(/<testsuites name="contracts" tests="5" failures="1"/);
    expect(junit).toContain(`<failure message="breaking: x-required-role changed from &apos;admin&apos; to &apos;owner&apos;"`.replace(/&apos;/g, "'"));
    expect(junit).not.toContain('repeat:');

    const json = JSON.parse(fs.readFileSync(`${out}/diff.json`, 'utf8'));
    expect(json.summary).toMatchObject({ passed: 4, failed: 1 });
    expect(json.results.map((x: { check: string }) => x.check).sort()).toEqual(['auth-contract-outcome-added', 'auth-contract-outcome-added', 'auth-contract-outcome-added', 'auth-contract-outcome-added', 'required-role-changed']);
    // Report paths are relative to the project root (the git work tree the CLI runs in), here with `../` steps to the temp folder.
    expect(json.results.find((x: { status: string }) => x.status === 'failed')).toMatchObject({ location: { file: path.relative(packageRoot, after), line: expect.any(Number) }, curl: null });

    expect(fs.readFileSync(`${out}/diff.html`, 'utf8')).toContain('required-role-changed');
  });

  it('--operation compares the sensor v1 and v2 alert lists', async () => {
    const r = await runCli(['diff', 'defender-iot-sensor', 'defender-iot-sensor', '--operation', 'listAlertsV1=GET /api/v2/alerts', '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.summary.breaking).toBe(0);
    const ids = report.changes.map((c: { id: string }) => c.id);
    expect(ids).toContain('response-property-added');
    expect(ids).toContain('operation-id-changed');
    expect(report.changes[0].newLocation.file).toMatch(/specs\/defender-iot-sensor\/components\/schemas\.yaml$/);
    const bad = await runCli(['diff', 'defender-iot-sensor', 'defender-iot-sensor', '--operation', 'listAlertsV1=nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no operation 'nope' in the new contract/);
  });
});

/** A throw-away git repository holding one API, so that refs, tags and releases can be exercised. */
describe('git refs, release tags and release-check', () => {
  let root: string;
  const git = (...args: string[]) => execFileSync('git', ['-C', root, '-c', 'user.name=test', '-c', 'user.email=test@example.test', ...args], { encoding: 'utf8' });
  const specDir = () => path.join(root, 'specs/things');
  const write = (...edits: Edit[]) => writeSpec(specDir(), 'openapi', specWith(...edits));
  const changelog = (versions: string[]) => fs.writeFileSync(path.join(specDir(), 'CHANGELOG.md'), versions.map((v) => `## ${v}\n\n- Something.\n`).join('\n'));
  const nameOptional = remove(`${AT.thing}/required/1`);

  beforeAll(() => {
    root = fs.realpathSync(tempDir('contracts-diff-git-'));
    fs.mkdirSync(path.join(root, 'specs/shared'), { recursive: true });
    write();
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

  it('diffs a released version and a git ref against the working tree, locating the old side in the repository', async () => {
    git('tag', 'things@1.0.0');
    write(nameOptional);
    const released = await runCli(['--root', root, 'diff', 'things@1.0.0', 'things']);
    expect(released.code).toBe(1);
    expect(released.stdout).toMatch(/^diff things@1\.0\.0 \(tag things@1\.0\.0, [0-9a-f]{7}\) → things \(working tree\)/);
    expect(released.stdout).toContain('response-property-made-optional');
    const head = await runCli(['--root', root, 'diff', 'things@HEAD', 'things', '--format', 'json']);
    const report = JSON.parse(head.stdout);
    expect(report.summary.breaking).toBe(1);
    // The old side was read from a temporary copy; its place is named as the repository's file.
    expect(report.changes[0].oldLocation).toMatchObject({ file: path.join(root, 'specs/things/openapi.yaml'), line: expect.any(Number) });
  });

  it('release-check: changed contract, same version → fails', async () => {
    const r = await runCli(['--root', root, 'release-check']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('the contract changed since things@1.0.0 but info.version is still 1.0.0');
  });

  it('release-check: breaking change with a minor bump → fails; major bump with CHANGELOG → passes', async () => {
    write(nameOptional, replace('/info/version', '1.1.0'));
    changelog(['1.1.0', '1.0.0']);
    const minor = await runCli(['--root', root, 'release-check']);
    expect(minor.code).toBe(1);
    expect(minor.stdout).toContain('1 breaking change(s) since things@1.0.0 need version 2.0.0 or higher, not 1.1.0');
    expect(minor.stdout).toContain('breaking response-property-made-optional');
    write(nameOptional, replace('/info/version', '2.0.0'));
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
