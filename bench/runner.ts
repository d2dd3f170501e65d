/**
 * Full conformance run over every API against the local Prism mocks: wall time and peak RSS of the
 * runner process for each API (the mocks run in their own processes and are not counted).
 *
 *   node --import tsx bench/runner.ts
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { startMocks, stopMocks } from '../src/cli/commands/mock.ts';
import { discoverApis } from '../src/core/contract/discover.ts';
import { freePort } from '../src/core/net.ts';
import { packageRoot, projectPaths } from '../src/core/paths.ts';

const paths = projectPaths();
const apis = discoverApis(paths);
const mocks = await startMocks(paths, apis, () => freePort());
const rows: Array<{ api: string; seconds: number; peakRssMb: number; summary: string }> = [];
try {
  for (const [i, api] of apis.entries()) {
    // GNU time reports the child's own peak RSS (%M, KiB) and wall time (%e, s) on stderr.
    // Asynchronous: the mocks' credential gates live in this process and must keep answering.
    const r = await run('/usr/bin/time', ['-f', 'BENCH %M %e', process.execPath, path.join(packageRoot, 'bin/contracts.js'), 'test', api.name, '--target', mocks[i]!.url]);
    const m = /BENCH (\d+) ([\d.]+)/.exec(r.stderr);
    const summary = r.stdout.trim().split('\n').pop() ?? '';
    rows.push({ api: api.name, seconds: m ? Number(m[2]) : NaN, peakRssMb: m ? Number(m[1]) / 1024 : NaN, summary });
  }
} finally {
  await stopMocks(mocks);
}
function run(cmd: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.once('error', reject);
    child.once('close', () => resolve({ stdout, stderr }));
  });
}

const total = rows.reduce((s, r) => s + r.seconds, 0);
const peak = Math.max(...rows.map((r) => r.peakRssMb));
for (const r of rows) console.log(`${r.api.padEnd(26)} ${r.seconds.toFixed(1).padStart(6)} s  ${r.peakRssMb.toFixed(0).padStart(5)} MB  ${r.summary}`);
console.log(`all APIs: ${total.toFixed(1)} s wall (runner processes), peak RSS ${peak.toFixed(0)} MB`);
console.log(JSON.stringify({ bench: 'runner', totalSeconds: total, peakRssMb: peak, rows }));
