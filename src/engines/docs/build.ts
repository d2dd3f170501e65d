import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { ApiEntry } from '../../core/contract/discover.ts';
import { loadContract } from '../../core/contract/load.ts';
import type { Contract } from '../../core/contract/model.ts';
import { annotateDocument } from './annotate.ts';
import { authContractProblems } from './auth-contract.ts';
import { findExternalReferences, makeOffline, pageFileName, renderIndex, summarize, type ApiSummary } from './site.ts';
import { ContractsError, SpecError } from '../../core/errors.ts';
import type { ProjectPaths } from '../../core/paths.ts';

const require = createRequire(import.meta.url);
const BUILD_TIMEOUT_MS = 120_000;

export interface DocsBuildOptions {
  /** Output folder (default: `<root>/docs-site`). */
  outDir?: string;
  /** API name → mock URL, injected as the first server of that API's page. */
  mockUrls?: Map<string, string>;
  /** How many renderer processes run at once (default 2). */
  concurrency?: number;
}

export interface DocsSite {
  outDir: string;
  index: string;
  apis: (ApiSummary & { file: string })[];
}

export function docsSiteDir(paths: ProjectPaths): string {
  return path.join(paths.root, 'docs-site');
}

/**
 * Builds the static reference site: one page per API (Redocly build-docs, from an annotated copy of
 * the bundled contract) and an index. Every page is made offline-safe and then checked: a page that
 * still references a remote host fails the build.
 */
export async function buildDocs(paths: ProjectPaths, apis: ApiEntry[], options: DocsBuildOptions = {}): Promise<DocsSite> {
  const outDir = options.outDir ?? docsSiteDir(paths);
  fs.mkdirSync(outDir, { recursive: true });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'contracts-docs-'));
  try {
    const contracts = await Promise.all(apis.map((api) => loadContract(api)));
    refuseUnreadableAuthContracts(contracts);
    const jobs = contracts.map((contract) => async () => {
      const mockUrl = options.mockUrls?.get(contract.api);
      const annotated = annotateDocument(contract, { mockUrl });
      const input = path.join(work, `${contract.api}.openapi.json`);
      fs.writeFileSync(input, JSON.stringify(annotated));
      const raw = path.join(work, pageFileName(contract.api));
      await runBuildDocs(contract.api, input, raw, contract.title);
      const html = makeOffline(fs.readFileSync(raw, 'utf8'));
      const external = findExternalReferences(html);
      if (external.length > 0) {
        const first = external[0]!;
        throw new ContractsError(
          `docs: the page of '${contract.api}' still references ${external.length} remote resource(s), first ${first.kind} ${first.url}`,
        );
      }
      const file = path.join(outDir, pageFileName(contract.api));
      fs.writeFileSync(file, html);
      return { ...summarize(contract, mockUrl), file };
    });
    const pages = await runLimited(jobs, options.concurrency ?? 2);
    const index = path.join(outDir, 'index.html');
    fs.writeFileSync(index, renderIndex(pages));
    return { outDir, index, apis: pages };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/**
 * A page must not show an auth contract the rest of the suite reads differently: an `x-auth-contract`
 * lint rejects stops the build before anything is rendered, naming each place to fix.
 */
function refuseUnreadableAuthContracts(contracts: Contract[]): void {
  const problems = contracts.flatMap((c) => authContractProblems(c));
  if (problems.length === 0) return;
  throw new SpecError(
    `docs: ${problems.length} x-auth-contract problem(s); fix them (\`contracts lint\` reports the same) before building the docs:\n  ${problems.join('\n  ')}`,
  );
}

function redoclyEntry(): string {
  const pkgFile = require.resolve('@redocly/cli/package.json');
  const pkg = require(pkgFile) as { bin: Record<string, string> | string };
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin.redocly;
  if (!bin) throw new ContractsError('docs: @redocly/cli has no redocly executable');
  return path.join(path.dirname(pkgFile), bin);
}

/** Runs `redocly build-docs` with the Redoc bundle inlined and every phone-home switched off. */
export function runBuildDocs(api: string, input: string, output: string, title: string): Promise<void> {
  const args = [redoclyEntry(), 'build-docs', input, '--output', output, '--title', title, '--inlineBundle'];
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Not the project root: its redocly.yaml holds lint rules, not docs options.
    cwd: fs.existsSync(path.dirname(input)) ? path.dirname(input) : os.tmpdir(),
    env: {
      ...process.env,
      // Sets `disableTelemetry` in the page (no OpenTelemetry beacons from the browser) and stops the
      // CLI's own usage report; no update check against the npm registry.
      REDOCLY_TELEMETRY: 'off',
      REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
      REDOCLY_SUPPRESS_NOTIFICATIONS: 'true',
      NO_COLOR: '1',
      FORCE_COLOR: '0',
    },
  });
  let output_ = '';
  child.stdout.on('data', (d) => (output_ += d));
  child.stderr.on('data', (d) => (output_ += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new ContractsError(`docs: Redocly build-docs for '${api}' did not finish within ${BUILD_TIMEOUT_MS / 1000}s`));
    }, BUILD_TIMEOUT_MS);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new ContractsError(`docs: cannot start Redocly build-docs for '${api}': ${err.message}`));
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      if (code === 0 && fs.existsSync(output)) resolve();
      else reject(new ContractsError(`docs: Redocly build-docs failed for '${api}' (exit ${code}): ${reason(output_)}`));
    });
  });
}

/** The one line of the renderer's output that says what went wrong. */
function reason(text: string): string {
  const lines = text
    .replace(/\x1b\[[0-9;]*m/g, '')
    .split('\n')
    .map((l) => l.replace(/[║╔╗╚╝═]/g, '').trim())
    .filter((l) => l && !/deprecation warning|node\.js|update node|redocly cli releases|prerendering docs/i.test(l));
  const error = lines.find((l) => /error|cannot|failed|invalid|unexpected/i.test(l));
  return (error ?? lines.at(-1) ?? 'no output').slice(0, 300);
}

async function runLimited<T>(jobs: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, jobs.length)) }, worker));
  return results;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.png': 'image/png',
  '.json': 'application/json',
  '.css': 'text/css',
  '.js': 'text/javascript',
};

export interface StaticServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves a folder read-only on 127.0.0.1 (GET/HEAD only, no directory listing, no path escapes). */
export function serveStatic(dir: string, port = 0): Promise<StaticServer> {
  const root = path.resolve(dir);
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    let file = path.resolve(root, `.${pathname}`);
    if (file !== root && !file.startsWith(root + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
    if (req.method === 'HEAD') res.end();
    else fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new ContractsError(`docs: cannot serve on 127.0.0.1:${port}: ${err.code ?? err.message}`)),
    );
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      resolve({
        url: `http://127.0.0.1:${actual}`,
        port: actual,
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            // A browser keeps idle keep-alive connections open; do not wait for it to drop them.
            server.closeAllConnections();
          }),
      });
    });
  });
}

export function formatDocsTable(site: DocsSite, baseUrl: string): string {
  const rows = site.apis.map((a) => [a.api, `${baseUrl}/${a.page}`, a.mockUrl ?? '—']);
  const all = [['API', 'docs', 'mock'], ...rows, ['(index)', `${baseUrl}/`, '']];
  const w0 = Math.max(...all.map((r) => r[0]!.length));
  const w1 = Math.max(...all.map((r) => r[1]!.length));
  return all.map((r) => `${r[0]!.padEnd(w0)}  ${r[1]!.padEnd(w1)}  ${r[2]}`.trimEnd()).join('\n');
}
