import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { MockError } from '../../src/core/errors.ts';

const require = createRequire(import.meta.url);
const READY = /Prism is listening on (http:\/\/\S+)/;
const START_TIMEOUT_MS = 60_000;

export interface RunningMock {
  api: string;
  url: string;
  port: number;
  /** Milliseconds from spawn to "listening". */
  startupMs: number;
  stop(): Promise<void>;
}

function prismEntry(): string {
  const pkgFile = require.resolve('@stoplight/prism-cli/package.json');
  const pkg = require(pkgFile) as { bin: Record<string, string> | string };
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin.prism;
  if (!bin) throw new MockError('@stoplight/prism-cli has no prism executable');
  return path.join(path.dirname(pkgFile), bin);
}

/**
 * Starts Prism's mock server for one bundled document on 127.0.0.1:port and resolves once it
 * listens. Prism validates requests against the contract (including the presence of credentials)
 * and answers from the contract's examples.
 */
export function startPrism(api: string, bundledFile: string, port: number): Promise<RunningMock> {
  const started = performance.now();
  const child = spawn(process.execPath, [prismEntry(), 'mock', bundledFile, '--host', '127.0.0.1', '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  let output = '';
  return new Promise<RunningMock>((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      const tail = lastLines(output, 5);
      reject(new MockError(`Prism mock for '${api}' on port ${port} ${why}${tail ? `:\n${tail}` : ''}`));
    };
    const timer = setTimeout(() => fail(`did not start within ${START_TIMEOUT_MS / 1000}s`), START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = READY.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stderr?.off('data', onData);
        // Keep draining so a chatty Prism never blocks on a full pipe.
        child.stdout?.resume();
        child.stderr?.resume();
        child.off('exit', onExit);
        resolve({
          api,
          url: `http://127.0.0.1:${port}`,
          port,
          startupMs: Math.round(performance.now() - started),
          stop: () => stopChild(child),
        });
      }
    };
    const onExit = (code: number | null) => fail(`exited with code ${code} before listening`);
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', (err) => fail(`could not be spawned (${err.message})`));
  });
}

/** Stops a child process: SIGTERM, then SIGKILL if it has not exited within 5 s. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function lastLines(text: string, n: number): string {
  return text
    .replace(/\x1b\[[0-9;]*m/g, '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-n)
    .map((l) => `  ${l}`)
    .join('\n');
}
