/**
 * `contracts docs`: the static reference site, built once, then opened in a real headless Chromium.
 * Without a startable Chromium the browser tests are skipped with the reason printed, never passed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { runBuildDocs, serveStatic, type StaticServer } from '../src/engines/docs/build.ts';
import { discoverApis } from '../src/core/contract/discover.ts';
import { loadContract } from '../src/core/contract/load.ts';
import type { Contract, SecurityScheme } from '../src/core/contract/model.ts';
import { annotateDocument, credentialShape } from '../src/engines/docs/annotate.ts';
import { authContractProblems } from '../src/engines/docs/auth-contract.ts';
import { findExternalReferences, makeOffline } from '../src/engines/docs/site.ts';
import { ContractsError } from '../src/core/errors.ts';
import { packageRoot, projectPaths } from '../src/core/paths.ts';
import { runCli, type CliResult } from './helpers/cli.ts';
import { tempProject, writeFile } from './helpers/project.ts';

const SITE = path.join(packageRoot, 'docs-site');
const SHOTS = path.join(SITE, 'screenshots');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** One operation per API whose auth block the browser must show. */
const KNOWN: Record<string, string> = {
  'defender-iot-sensor': 'setPasswordByAdmin',
  'defender-iot-management': 'setPasswordByAdmin',
  'defender-cloud-apps': 'listActivities',
  defguard: 'fetchApiTokens',
};

// Whether Chromium can start is found out before the tests are collected, so that `skipIf` knows;
// the browser used by the tests is started after the build, so that it does not compete with it.
async function launchChromium(userDataDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
    timeout: 30_000,
  });
}
/**
 * Removes a Chromium profile folder. Chromium's helper processes may still be writing into it for a
 * moment after the browser closed (ENOTEMPTY), so the removal is retried; a temporary folder that
 * still cannot be removed is not a test failure.
 */
function removeProfile(dir: string): void {
  try {
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  } catch (err) {
    console.warn(`docs.test.ts: could not remove ${dir}: ${(err as Error).message}`);
  }
}
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'contracts-docs-chromium-'));
let browser: BrowserContext | undefined;
let skipReason: string | undefined;
if (!fs.existsSync(CHROMIUM)) {
  skipReason = `${CHROMIUM} not found (install the Debian package 'chromium')`;
} else {
  const probeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'contracts-docs-probe-'));
  try {
    await (await launchChromium(probeDir)).close();
  } catch (err) {
    skipReason = `Chromium could not start: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`;
  } finally {
    removeProfile(probeDir);
  }
}
if (skipReason) console.warn(`docs.test.ts: browser tests SKIPPED — ${skipReason}`);

const apis = discoverApis(projectPaths());
let contracts: Contract[] = [];
let build: CliResult;
let unknownApi: CliResult;
let buildMs = 0;
let server: StaticServer;

beforeAll(async () => {
  const started = performance.now();
  // The bad-input run needs no build, so it runs alongside it.
  [build, unknownApi] = await Promise.all([
    runCli(['docs']).then((r) => ((buildMs = performance.now() - started), r)),
    runCli(['docs', 'no-such-api']),
  ]);
  contracts = await Promise.all(apis.map((a) => loadContract(a)));
  server = await serveStatic(SITE);
  fs.mkdirSync(SHOTS, { recursive: true });
  if (!skipReason) browser = await launchChromium(userDataDir);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  removeProfile(userDataDir);
});

describe('contracts docs (build)', () => {
  it('builds the index and one page per API', () => {
    expect(build.stderr).toBe('');
    expect(build.code).toBe(0);
    expect(fs.existsSync(path.join(SITE, 'index.html'))).toBe(true);
    for (const api of apis) expect(fs.existsSync(path.join(SITE, `${api.name}.html`)), api.name).toBe(true);
    console.log(`docs build: ${(buildMs / 1000).toFixed(1)}s`);
  });

  it('index lists every API with versions, operation counts and auth schemes', () => {
    const index = fs.readFileSync(path.join(SITE, 'index.html'), 'utf8');
    for (const c of contracts) {
      const row = new RegExp(`<tr data-api="${c.api}">([\\s\\S]*?)</tr>`).exec(index)?.[1] ?? '';
      expect(row, c.api).toContain(`href="${c.api}.html"`);
      expect(row).toContain(`data-operations="${c.operations.length}"`);
      expect(row).toContain(c.version);
      for (const v of new Set(c.operations.map((o) => o.apiVersion).filter(Boolean))) expect(row).toContain(`<code>${v}</code>`);
      for (const s of Object.keys(c.securitySchemes)) expect(row).toContain(`<code>${s}</code>`);
    }
  });

  it('no page references anything on the network (src, href, @import, url(http…))', () => {
    for (const file of ['index.html', ...apis.map((a) => `${a.name}.html`)]) {
      const html = fs.readFileSync(path.join(SITE, file), 'utf8');
      expect(findExternalReferences(html), file).toEqual([]);
      expect(html, file).not.toMatch(/fonts\.googleapis|fonts\.gstatic/);
    }
  });

  it('the reference finder catches every kind of external reference, and makeOffline removes them', () => {
    const html = `<head><link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">
      <style>@import url("https://x.test/a.css"); .a { background: url(//cdn.test/i.png) }</style></head>
      <img src="https://cdn.redoc.ly/redoc/logo-mini.svg"><script src="http://x.test/s.js"></script>
      <a href="https://redocly.com/redoc/">by</a><img src="data:image/png;base64,AA"><a href="#/x">ok</a>`;
    expect(findExternalReferences(html).map((r) => r.kind).sort()).toEqual(['@import', 'href', 'href', 'src', 'src', 'url()', 'url()']);
    const offline = makeOffline(html);
    expect(findExternalReferences(offline).map((r) => r.url)).toEqual(['//cdn.test/i.png']);
    expect(offline).toContain('<link rel="icon" href="data:,">');
  });

  it('unknown API: exit 2, one line', () => {
    const r = unknownApi;
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/unknown API 'no-such-api'/);
  });

  it('a renderer failure is one clear line with exit code 2', async () => {
    const err = await runBuildDocs('broken', path.join(os.tmpdir(), 'contracts-no-such-file.json'), path.join(os.tmpdir(), 'never.html'), 'x').catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ContractsError);
    expect((err as ContractsError).exitCode).toBe(2);
    expect((err as Error).message).toMatch(/^docs: Redocly build-docs failed for 'broken' \(exit \d+\): \S/);
    expect((err as Error).message).not.toContain('\n');
  });
});

describe('annotate (from the loaded contract)', () => {
  const SPEC = `openapi: 3.1.0
info:
  title: t
  version: '1'
  x-doc-notes: [info note]
servers: [{url: 'https://real.example'}]
security: [{K: []}]
x-auth-contract:
  scheme: K
  classes:
    missing: {status: 401, wwwAuthenticate: forbidden, body: {msg: no key}}
    malformed: {status: [401, 403], inferred: true, x-doc-notes: [garbage and unknown keys look alike]}
    expired: {applies: false, reason: never expire}
  x-doc-notes: [default note]
components:
  securitySchemes:
    K: {type: apiKey, in: header, name: Authorization, x-scheme-prefix: 'Token '}
    C: {type: apiKey, in: cookie, name: sid}
  schemas:
    S:
      type: object
      properties:
        a: {type: string, x-doc-notes: [prop note]}
      example: {x-doc-notes: data}
  parameters:
    P: {name: p, in: query, schema: {type: string}, x-doc-notes: [param note]}
paths:
  /x:
    get:
      operationId: x
      security: [{K: []}, {C: []}]
      x-required-role: admin
      x-license-required: true
      x-doc-notes: [op note]
      x-auth-contract:
        classes:
          missing: {status: 404, x-doc-notes: [hides the route]}
        x-doc-notes: [override note]
      responses: {'200': {description: ok}}
    post:
      operationId: y
      security: [{}]
      responses: {'200': {description: ok}}
  /o:
    get:
      operationId: o
      security: []
      responses: {'200': {description: ok}}
  /z:
    get:
      operationId: z
      responses: {'200': {description: ok}}
`;
  let dir = '';
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  async function load(text: string, name: string): Promise<Contract> {
    dir ||= fs.mkdtempSync(path.join(os.tmpdir(), 'contracts-annotate-'));
    const rootFile = path.join(dir, name, 'openapi.yaml');
    fs.mkdirSync(path.dirname(rootFile), { recursive: true });
    fs.writeFileSync(rootFile, text);
    return loadContract({ name, rootFile });
  }

  it('turns role, license, credential shape, the effective auth contract and doc notes into description sections', async () => {
    const contract = await load(SPEC, 'good');
    const before = JSON.stringify(contract.document);
    const out = annotateDocument(contract, { mockUrl: 'http://127.0.0.1:4011' }) as any;
    expect(JSON.stringify(contract.document)).toBe(before); // the shared bundle is never changed
    expect(authContractProblems(contract)).toEqual([]);
    const d = out.paths['/x'].get.description as string;
    expect(d).toContain('**Required role:** `admin`');
    expect(d).toContain('**License required:** yes');
    expect(d).toContain('`Authorization: Token <key>` (scheme `K`)');
    expect(d).toContain('`Cookie: sid=<value>` (scheme `C`)');
    // The operation's entry replaces the default's for `missing` as a whole: no body, no header rule from it.
    expect(d).toMatch(/\| `missing` \| 404 \| overrides the API default; hides the route \|/);
    expect(d).toMatch(/\| `malformed` \| 401 or 403 \| inferred \(the vendor docs do not say\); garbage and unknown keys look alike \|/);
    expect(d).toMatch(/\| `expired` \| n\/a \| does not apply to this API; never expire \|/);
    expect(d).toContain('- Expectations are for a credential of scheme `K`.');
    expect(d).toContain('- override note');
    expect(d).toContain('- op note');
    expect(out.paths['/x'].post.description).toContain('no credential (anonymous access is allowed)');
    // Operations that need no credential do not get the API's default outcomes.
    expect(out.paths['/x'].post.description).not.toContain('credential class');
    expect(out.paths['/o'].get.description).toContain('`security` is empty');
    expect(out.paths['/o'].get.description).not.toContain('credential class');
    // An operation that does not override a class gets the document's entry for it.
    expect(out.paths['/z'].get.description).toMatch(/\| `missing` \| 401 \| WWW-Authenticate: must not be sent; body `\{"msg":"no key"\}` \|/);
    const info = out.info.description as string;
    expect(info).toContain('- info note');
    expect(info).toContain('Auth contract (default for every operation that needs a credential)');
    expect(info).toMatch(/\| `missing` \| 401 \| WWW-Authenticate: must not be sent; body `\{"msg":"no key"\}` \|/);
    expect(info).toContain('- Expectations are for a credential of scheme `K`.');
    expect(info).toContain('- default note');
    expect(out.components.schemas.S.properties.a.description).toContain('- prop note');
    expect(out.components.schemas.S.example).toEqual({ 'x-doc-notes': 'data' }); // examples are data
    expect(out.components.parameters.P.description).toContain('- param note');
    expect(out.components.securitySchemes.K.description).toContain('`Authorization: Token <key>`');
    expect(out.servers.map((s: { url: string }) => s.url)).toEqual(['http://127.0.0.1:4011', 'https://real.example']);
  });

  it('renders no table for a contract without x-auth-contract, and names every shape lint rejects instead of rendering it', async () => {
    const bare = await load('openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths:\n  /a:\n    get:\n      responses: {}\n', 'bare');
    const out = annotateDocument(bare) as any;
    expect(out.paths['/a'].get.description).toContain('**Auth contract**');
    expect(out.paths['/a'].get.description).not.toContain('credential class');

    // Shapes an older, tolerant reader accepted: a bare status, `expect`, `www-authenticate: must`, a list of classes.
    const tolerant = SPEC.replace('    missing: {status: 401, wwwAuthenticate: forbidden, body: {msg: no key}}', '    missing: 401\n    revoked: {expect: 401, www-authenticate: must}')
      .replace('        classes:\n          missing: {status: 404, x-doc-notes: [hides the route]}', '        classes:\n          - {class: missing, status: 404}')
      .replace('  x-doc-notes: [info note]', '  x-doc-notes: [info note]\n  x-auth-contract: {classes: {valid: {status: 200}}}')
      .replace('expired: {applies: false, reason: never expire}', 'expired: {applies: false, reason: never expire, status: 401}');
    const problems = authContractProblems(await load(tolerant, 'tolerant'));
    const file = path.join(dir, 'tolerant/openapi.yaml');
    expect(problems).toEqual([
      `${file}:6:3 #/info/x-auth-contract: \`x-auth-contract\` under \`info\` is not read; move it to the document root (beside \`paths\`)`,
      `${file}:12:5 #/x-auth-contract/classes/missing: \`x-auth-contract\`/classes/missing must be object`,
      `${file}:13:5 #/x-auth-contract/classes/revoked: \`x-auth-contract\`/classes/revoked must have required property 'status'`,
      `${file}:13:5 #/x-auth-contract/classes/revoked: \`x-auth-contract\`/classes/revoked must NOT have additional properties`,
      `${file}:15:5 #/x-auth-contract/classes/expired: \`x-auth-contract\`/classes/expired must not give \`status\` when \`applies\` is false`,
      `${file}:38:9 #/paths/~1x/get/x-auth-contract/classes: \`x-auth-contract\`/classes must be object`,
    ]);
  });

  it('a docs build of a contract with an invalid x-auth-contract fails before rendering, naming each place', async () => {
    const p = tempProject([]);
    try {
      writeFile(path.join(p.specs, 'broken/openapi.yaml'), SPEC.replace('    expired: {applies: false, reason: never expire}', '    expired: {applies: false}'));
      const r = await runCli(['--root', p.root, 'docs', 'broken']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('docs: 1 x-auth-contract problem(s); fix them (`contracts lint` reports the same) before building the docs:');
      expect(r.stderr).toMatch(/specs\/broken\/openapi\.yaml:\d+:\d+ #\/x-auth-contract\/classes\/expired: `x-auth-contract`\/classes\/expired must have required property 'reason'/);
      expect(fs.existsSync(path.join(p.root, 'docs-site/broken.html'))).toBe(false);
    } finally {
      p.cleanup();
    }
  });

  it('credential shapes come from the scheme model', () => {
    const scheme = (s: Partial<SecurityScheme>): SecurityScheme => ({ name: 'S', type: 'apiKey', prefix: '', ...s });
    expect(credentialShape(scheme({ in: 'cookie', paramName: 'sid' }))).toBe('`Cookie: sid=<value>`');
    expect(credentialShape(scheme({ in: 'header', paramName: 'Authorization' }))).toContain('raw key');
    expect(credentialShape(scheme({ in: 'header', paramName: 'X-Key' }))).toBe('`X-Key: <key>`');
    expect(credentialShape(scheme({ type: 'http', scheme: 'bearer', in: 'header', paramName: 'Authorization', prefix: 'Bearer ' }))).toBe('`Authorization: Bearer <token>`');
    expect(credentialShape(scheme({ type: 'http', scheme: 'basic', in: 'header', paramName: 'Authorization' }))).toBe('`Authorization: Basic <base64(user:password)>`');
  });
});

// Pages are independent: two at a time keep both cores busy.
describe.skipIf(skipReason !== undefined).concurrent('reference docs in headless Chromium', () => {
  interface Watch {
    problems: string[];
  }
  const origin = () => server.url;

  /** At most two pages at once (2 cores): a tiny semaphore, whatever vitest's maxConcurrency is. */
  let free = 2;
  const waiting: (() => void)[] = [];
  async function slot<T>(work: () => Promise<T>): Promise<T> {
    if (free > 0) free--;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free++;
    }
  }

  /** Console errors, page errors, failed requests and any request that leaves the loopback host. */
  function watch(page: Page): Watch {
    const w: Watch = { problems: [] };
    page.on('console', (m) => {
      if (m.type() === 'error') w.problems.push(`console error: ${m.text().slice(0, 200)}`);
    });
    page.on('pageerror', (e) => w.problems.push(`page error: ${e.message.slice(0, 200)}`));
    page.on('requestfailed', (r) => w.problems.push(`failed request: ${r.url().slice(0, 200)} (${r.failure()?.errorText})`));
    page.on('response', (r) => {
      if (r.status() >= 400) w.problems.push(`HTTP ${r.status()}: ${r.url().slice(0, 200)}`);
    });
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.protocol === 'data:' || url.protocol === 'blob:') return;
      if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) w.problems.push(`non-loopback request: ${r.url().slice(0, 200)}`);
    });
    return w;
  }

  /**
   * Operations the sidebar shows. Redocly's sidebar renders the operations of the open tag only, so
   * every tag is opened in turn (by its in-page route) and the operation links are collected:
   * `[data-component-name="Menu/MenuItem"].menu-item-type-operation`, one per operation.
   */
  async function visibleOperations(page: Page): Promise<Set<string>> {
    const groups = await page
      .locator('[data-component-name="Menu/MenuItem"].menu-item-type-group > a')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    const seen = new Set<string>();
    for (const group of groups) {
      await page.evaluate((h) => {
        location.hash = h;
      }, group);
      await page.waitForFunction(
        (h) => document.querySelector(`[data-component-name="Menu/MenuItem"].menu-item-type-operation > a[href^="#${h}/"]`) !== null,
        group,
        { timeout: 30_000 },
      );
      const hrefs = await page
        .locator('[data-component-name="Menu/MenuItem"].menu-item-type-operation > a')
        .evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
      for (const h of hrefs) seen.add(h);
    }
    return seen;
  }

  it('index page renders every API and links its page', () => slot(async () => {
    const page = await browser!.newPage();
    const w = watch(page);
    await page.goto(`${origin()}/`, { waitUntil: 'load' });
    for (const c of contracts) {
      const row = page.locator(`tr[data-api="${c.api}"]`);
      await expect(row.locator(`a[href="${c.api}.html"]`).isVisible()).resolves.toBe(true);
      await expect(row.locator('td.num').innerText()).resolves.toBe(String(c.operations.length));
    }
    await page.screenshot({ path: path.join(SHOTS, 'index.png') });
    expect(w.problems).toEqual([]);
    await page.close();
  }));

  for (const api of apis) {
    it(`${api.name}: every operation rendered, auth contract visible, offline, no errors`, () => slot(async () => {
      const contract = contracts.find((c) => c.api === api.name)!;
      const page = await browser!.newPage();
      const w = watch(page);
      await page.goto(`${origin()}/${api.name}.html`, { waitUntil: 'load' });
      await page.locator('[data-component-name="Menu/MenuItem"]').first().waitFor({ timeout: 30_000 });

      const hrefs = await visibleOperations(page);
      const slugs = new Set([...hrefs].map((h) => h.split('/').pop()!));
      expect(slugs.size).toBe(contract.operations.length);
      for (const op of contract.operations) expect(slugs.has(op.id.toLowerCase()), op.id).toBe(true);

      const opId = KNOWN[api.name] ?? contract.operations.find((o) => o.requiredRole)?.id ?? contract.operations[0]!.id;
      const op = contract.operations.find((o) => o.id === opId)!;
      const href = [...hrefs].find((h) => h.endsWith(`/${opId.toLowerCase()}`))!;
      expect(href, `${opId} in the sidebar`).toBeDefined();
      await page.evaluate((h) => {
        location.hash = h;
      }, href);
      // Each operation is one section of the long page, keyed by its route.
      const main = page.locator(`[data-section-id="${href.slice(1)}"]`).filter({ hasText: 'Auth contract' });
      await main.waitFor({ timeout: 30_000 });
      // The page renders sections lazily and may re-render the one just scrolled to: its text is read
      // once it holds the auth contract (an empty read of a section being replaced is not the answer).
      // (The check runs in the slot's queue, outside vitest's test context, so it polls by itself.)
      const sectionText = async () => (await main.innerText()).replace(/\s+/g, ' ');
      let text = await sectionText();
      for (const until = Date.now() + 30_000; !text.includes('Auth contract') && Date.now() < until; text = await sectionText()) await page.waitForTimeout(200);
      expect(text).toContain('Auth contract');
      expect(text).toContain(`Required role: ${op.requiredRole ?? 'none beyond a valid credential'}`);
      const raw = contract.document.paths as Record<string, Record<string, Record<string, unknown>>>;
      const source = raw[op.path]![op.method]!;
      if (source['x-license-required'] === true) expect(text).toContain('License required: yes');
      if (source['x-doc-notes']) expect(text).toContain('Doc notes');
      if (Object.keys(op.authContract?.classes ?? {}).length > 0) {
        expect(text).toMatch(/credential class expected status notes/i);
      }
      for (const alt of op.security) {
        for (const name of alt) {
          const s = contract.securitySchemes[name]!;
          if (s.in === 'header') expect(text).toContain(`${s.paramName}: ${s.prefix}<`);
        }
      }
      await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))));
      await page.screenshot({ path: path.join(SHOTS, `${api.name}.png`) });
      expect(w.problems).toEqual([]);
      await page.close();
    }), 300_000); // Defguard's page holds 191 operations: rendering it on 2 busy cores can pass two minutes.
  }
});
