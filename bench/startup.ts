/**
 * `npm run bench:startup`: how long `contracts --help` takes to start, next to a bare `node -e 0`
 * and the peers' own CLIs, in one run. The published package runs compiled JavaScript (dist/); a
 * checkout runs the TypeScript sources through tsx — both are timed, so the cost of each is visible.
 * Builds dist/ first when it is missing. Prints a table of medians and ratios to bare node, and
 * writes bench/results/startup.json. Not part of `npm test`.
 *
 *   node --import tsx bench/startup.ts [--runs N]
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../src/core/paths.ts';
import { COMPILED_CLI, ensureCompiled, locateDredd, prismEntry } from './procs.ts';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 15;
ensureCompiled();

interface Subject {
  name: string;
  cmd: string;
  args: string[];
  missing?: string;
}

const dredd = locateDredd();
const specmaticJar = ['node_modules/specmatic/specmatic.jar', 'node_modules/specmatic/lib/specmatic.jar'].map((f) => path.join(packageRoot, f)).find((f) => fs.existsSync(f));
const subjects: Subject[] = [
  { name: 'node -e 0 (bare Node)', cmd: process.execPath, args: ['-e', '0'] },
  { name: 'contracts --help (compiled, as published)', cmd: process.execPath, args: [COMPILED_CLI, '--help'] },
  { name: 'contracts --help (sources through tsx, a checkout)', cmd: process.execPath, args: [path.join(packageRoot, 'bin/contracts.js'), '--help'] },
  { name: `prism --help (Prism)`, cmd: process.execPath, args: [prismEntry(), '--help'] },
  'missing' in dredd
    ? { name: 'dredd --help (Dredd)', cmd: '', args: [], missing: dredd.missing }
    : { name: 'dredd --help (Dredd)', cmd: dredd.bin, args: ['--help'] },
  specmaticJar
    ? { name: 'specmatic --version (Specmatic, Java)', cmd: 'java', args: ['-jar', specmaticJar, '--version'] }
    : { name: 'specmatic --version (Specmatic, Java)', cmd: '', args: [], missing: 'specmatic is not installed (npm i specmatic)' },
];

function timeOnce(s: Subject): number {
  const started = performance.now();
  const r = spawnSync(s.cmd, s.args, { stdio: 'ignore', cwd: packageRoot, env: { ...process.env, NO_COLOR: '1' } });
  if (r.status !== 0) throw new Error(`${s.name} exited with ${r.status}`);
  return performance.now() - started;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const results: { name: string; medianMs?: number; ratioToNode?: number; missing?: string }[] = [];
// Interleaved rounds: a burst of load on the machine hits every subject alike.
const times = new Map<string, number[]>(subjects.map((s) => [s.name, []]));
for (const s of subjects) if (!s.missing) timeOnce(s); // warm the file cache
for (let i = 0; i < RUNS; i++) for (const s of subjects) if (!s.missing) times.get(s.name)!.push(timeOnce(s));
const bare = median(times.get(subjects[0]!.name)!);
for (const s of subjects) {
  if (s.missing) results.push({ name: s.name, missing: s.missing });
  else {
    const m = median(times.get(s.name)!);
    results.push({ name: s.name, medianMs: Math.round(m), ratioToNode: Number((m / bare).toFixed(2)) });
  }
}

console.log(`start-up, median of ${RUNS} runs (${os.cpus().length} cores, Node ${process.version}, load ${os.loadavg()[0]!.toFixed(2)})`);
console.log('| command | median ms | × bare node |\n|---|---:|---:|');
for (const r of results) console.log(r.missing ? `| ${r.name} | not run: ${r.missing} | |` : `| ${r.name} | ${r.medianMs} | ${r.ratioToNode}× |`);
const file = path.join(packageRoot, 'bench/results/startup.json');
fs.writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), runs: RUNS, node: process.version, results }, null, 2)}\n`);
console.log(`written ${path.relative(process.cwd(), file)}`);
