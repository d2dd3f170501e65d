/** Child processes for the head-to-head bench: stateful mocks, Prism, Dredd, and timed runs. */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { stopChild } from '../mocks/prism/prism.ts';
import { packageRoot } from '../src/core/paths.ts';

const require = createRequire(import.meta.url);

export interface Service {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/** Spawns a long-running process and resolves once its output matches `ready` (group 1 = URL, or `url`). */
export function startService(cmd: string, args: string[], ready: RegExp, opts: { url?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<Service> {
  const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', ...opts.env } });
  let out = '';
  const keep = (d: Buffer) => {
    out += d.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${path.basename(args[0] ?? cmd)} did not start within ${(opts.timeoutMs ?? 90_000) / 1000}s:\n${out.slice(-800)}`));
    }, opts.timeoutMs ?? 90_000);
    const poll = setInterval(() => {
      const m = ready.exec(out);
      if (!m) return;
      clearInterval(poll);
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve({ url: opts.url ?? m[1]!, child, output: () => out, stop: () => stopChild(child) });
    }, 50);
    const onExit = (code: number | null) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`${path.basename(args[0] ?? cmd)} exited (${code}) before it was ready:\n${out.slice(-800)}`));
    };
    child.once('exit', onExit);
  });
}

/** The CLI as published (compiled JavaScript), which the benches time: see compiled-cli.mjs. */
export const COMPILED_CLI = path.join(packageRoot, 'bench/compiled-cli.mjs');

/** Builds dist/ unless it is there and newer than every source file, so a bench never times stale code. */
export function ensureCompiled(): void {
  const built = path.join(packageRoot, 'dist/src/cli/main.js');
  const newest = (dir: string): number =>
    fs.readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
      const full = path.join(dir, e.name);
      return Math.max(m, e.isDirectory() ? newest(full) : e.name.endsWith('.ts') || e.name.endsWith('.yaml') ? fs.statSync(full).mtimeMs : 0);
    }, 0);
  const sources = Math.max(...['src', 'conformance', 'mocks', 'specs'].map((d) => newest(path.join(packageRoot, d))));
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= sources) return;
  console.error('[bench] building dist/ (npm run build) so the compiled CLI is timed');
  execFileSync('npm', ['run', 'build'], { cwd: packageRoot, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** The stateful mock of one API, in its own process. */
export function startStatefulProcess(api: string, port = 0): Promise<Service> {
  return startService(process.execPath, ['--import', 'tsx', path.join(packageRoot, 'bench/serve-stateful.ts'), api, String(port)], /"url":"(http:\/\/[^"]+)"/);
}

export function prismEntry(): string {
  const pkgFile = require.resolve('@stoplight/prism-cli/package.json');
  const pkg = require(pkgFile) as { bin: Record<string, string> | string };
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin.prism!;
  return path.join(path.dirname(pkgFile), bin);
}

export function prismVersion(): string {
  return (require(require.resolve('@stoplight/prism-cli/package.json')) as { version: string }).version;
}

export function startPrism(args: string[], port: number): Promise<Service> {
  return startService(process.execPath, [prismEntry(), ...args, '--host', '127.0.0.1', '--port', String(port)], /Prism is listening on (http:\/\/\S+)/, { timeoutMs: 120_000 });
}

/** Dredd 14.1's CLI: in the project's devDependencies, else /tmp/dredd (a --prefix install), else undefined. */
export function locateDredd(): { bin: string; version: string } | { missing: string } {
  const candidates = [path.join(packageRoot, 'node_modules/dredd'), '/tmp/dredd/node_modules/dredd'];
  for (const dir of candidates) {
    const pkgFile = path.join(dir, 'package.json');
    if (!fs.existsSync(pkgFile)) continue;
    const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as { version: string; bin: Record<string, string> | string };
    const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin.dredd!;
    return { bin: path.join(dir, bin), version: pkg.version };
  }
  return { missing: `dredd is not installed (looked in ${candidates.join(' and ')}); npm install --save-dev dredd@14.1.0` };
}

export interface Timed {
  code: number | null;
  stdout: string;
  stderr: string;
  wallSeconds: number;
  peakRssMb: number;
}

/** Runs a command to completion under GNU time (`%M` peak RSS KiB, `%e` wall seconds), if present. */
export function runTimed(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 300_000, opts: { stdoutToFile?: boolean } = {}): Promise<Timed> {
  const gnuTime = fs.existsSync('/usr/bin/time');
  const started = performance.now();
  // Some CLIs (Dredd) exit before a large output has gone through a pipe; a file gets all of it.
  const outFile = opts.stdoutToFile ? path.join(tmpDir('bench-out-'), 'stdout') : undefined;
  const outFd = outFile ? fs.openSync(outFile, 'w') : undefined;
  const spawnOpts = { env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env }, stdio: ['ignore', outFd ?? 'pipe', 'pipe'] as Array<'ignore' | 'pipe' | number> };
  const child = gnuTime ? spawn('/usr/bin/time', ['-f', 'BENCHTIME %M %e', cmd, ...args], spawnOpts) : spawn(cmd, args, spawnOpts);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      if (outFile) {
        fs.closeSync(outFd!);
        stdout = fs.readFileSync(outFile, 'utf8');
        fs.rmSync(path.dirname(outFile), { recursive: true, force: true });
      }
      const m = /BENCHTIME (\d+) ([\d.]+)\s*$/.exec(stderr);
      if (m) stderr = stderr.slice(0, m.index);
      resolve({
        code,
        stdout,
        stderr,
        wallSeconds: m ? Number(m[2]) : (performance.now() - started) / 1000,
        peakRssMb: m ? Number(m[1]) / 1024 : NaN,
      });
    });
  });
}

export function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
