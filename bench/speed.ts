/**
 * Speed head-to-head:
 *  - mock: our stateful mock against Prism's mock, same contract, same read endpoint (the sensor's
 *    GET /api/v1/devices with a credential), autocannon with 10 connections for 10 s each after a
 *    2 s warm-up; req/s and p50/p99 latency. Prism runs twice: as started by default, and with
 *    `-m` (the log processing in its own process, which its CLI help calls faster); the better
 *    Prism figure is the one compared.
 *  - full conformance run: wall time and peak RSS (GNU time) of Dredd over every operation, then of
 *    our CLI on the operations Dredd exercised, each in its own process against a fresh stateful mock
 *    (Dredd's run on the correct mock also gives its false positives for the detection table).
 *  - validation throughput: bench/validation.ts, as it is.
 *
 *   node --import tsx bench/speed.ts      (bench/head-to-head.ts runs it as part of the whole bench)
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import YAML from 'yaml';
import { credentialsFromControlApi } from '../src/cli/commands/stateful.ts';
import { selectApis } from '../src/core/contract/discover.ts';
import { loadContract } from '../src/core/contract/load.ts';
import { freePort } from '../src/core/net.ts';
import { packageRoot, projectPaths } from '../src/core/paths.ts';
import { dreddFullRun, type FalsePositives } from './detection.ts';
import { COMPILED_CLI, ensureCompiled, runTimed, startPrism, startStatefulProcess, tmpDir, type Service } from './procs.ts';

const require = createRequire(import.meta.url);

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number; max: number };
  throughput: { average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (opts: { url: string; connections: number; duration: number; headers?: Record<string, string> }) => Promise<AutocannonResult>;
const autocannon = require('autocannon') as Autocannon;

const log = (line: string) => process.stderr.write(`[speed] ${line}\n`);

export interface MockLoad {
  server: string;
  /** Medians over the rounds (each round measures every server once, in turn). */
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Lowest and highest req/s of the rounds: how much the shared machine moved the figure. */
  reqPerSecRange: [number, number];
  rounds: number;
  bytesPerResponse: number;
  non2xx: number;
  errors: number;
}

export const MOCK_API = 'defender-iot-sensor';
export const MOCK_PATH = '/api/v1/devices';
export const MOCK_ROUNDS = 3;
export const MOCK_ROUND_SECONDS = 5;

interface Sample {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  bytesPerResponse: number;
  non2xx: number;
  errors: number;
}

async function sample(url: string, headers: Record<string, string>, seconds: number): Promise<Sample> {
  const r = await autocannon({ url, connections: 10, duration: seconds, headers });
  return {
    reqPerSec: Math.round(r.requests.average),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    bytesPerResponse: r.requests.average > 0 ? Math.round(r.throughput.average / r.requests.average) : 0,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * Our stateful mock and Prism's mock in both configurations, all running at once and measured in
 * turn for several rounds; each figure is the median of its rounds. Interleaving spreads the load
 * other processes put on the shared machine over every server alike, instead of on whichever
 * happened to run while it peaked.
 */
export async function mockThroughput(rounds = MOCK_ROUNDS): Promise<MockLoad[]> {
  const [api] = selectApis(projectPaths(), [MOCK_API]);
  const contract = await loadContract(api!);
  const tmp = tmpDir('bench-speed-mock-');
  const services: Service[] = [];
  try {
    const ours = await startStatefulProcess(MOCK_API);
    services.push(ours);
    const token = ((await (await fetch(`${ours.url}/__control/credentials`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"class":"valid"}' })).json()) as { token: string }).token;
    const bundle = path.join(tmp, `${MOCK_API}.openapi.json`);
    fs.writeFileSync(bundle, JSON.stringify(contract.document));
    // Prism checks only that the header is present; a token of the right shape is sent all the same.
    const prismHeaders = { authorization: '1234b734a9244d54ab8d40aedddcabcd' };
    const targets: Array<{ server: string; url: string; headers: Record<string, string> }> = [{ server: 'ours (stateful mock)', url: ours.url, headers: { authorization: token } }];
    for (const [label, extra] of [['Prism mock (default)', []], ['Prism mock (-m)', ['-m']]] as const) {
      const prism = await startPrism(['mock', bundle, ...extra], await freePort());
      services.push(prism);
      targets.push({ server: label, url: prism.url, headers: prismHeaders });
    }
    for (const t of targets) await sample(`${t.url}${MOCK_PATH}`, t.headers, 2); // warm-up, discarded
    const samples = new Map<string, Sample[]>(targets.map((t) => [t.server, []]));
    for (let round = 1; round <= rounds; round++) {
      for (const t of targets) {
        const s = await sample(`${t.url}${MOCK_PATH}`, t.headers, MOCK_ROUND_SECONDS);
        samples.get(t.server)!.push(s);
        log(`round ${round}: ${t.server}: ${s.reqPerSec} req/s, p50 ${s.p50Ms} ms, p99 ${s.p99Ms} ms, ${s.bytesPerResponse} B/response, non-2xx ${s.non2xx}, errors ${s.errors}`);
      }
    }
    return targets.map(({ server }) => {
      const list = samples.get(server)!;
      const rates = list.map((x) => x.reqPerSec);
      return {
        server,
        reqPerSec: median(rates),
        p50Ms: median(list.map((x) => x.p50Ms)),
        p99Ms: median(list.map((x) => x.p99Ms)),
        reqPerSecRange: [Math.min(...rates), Math.max(...rates)] as [number, number],
        rounds: list.length,
        bytesPerResponse: median(list.map((x) => x.bytesPerResponse)),
        non2xx: list.reduce((n, x) => n + x.non2xx, 0),
        errors: list.reduce((n, x) => n + x.errors, 0),
      };
    });
  } finally {
    await Promise.all(services.map((x) => x.stop()));
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export interface FullRun {
  api: string;
  operations: number;
  ours?: { seconds: number; peakRssMb: number; requests: number; failed: number; exit: number | null };
  dredd?: { seconds: number; peakRssMb: number; transactions: number };
  /** Dredd on the correct mock over every operation: its false positives (merged into the detection table). */
  dreddFalsePositives?: FalsePositives;
  dreddOperations?: string[];
  note?: string;
}

/**
 * Per API, one fresh stateful mock: Dredd over the whole (down-converted) contract, then our CLI on
 * the operations Dredd exercised; each timed in its own process, one after the other.
 */
export async function fullRuns(apis: string[]): Promise<FullRun[]> {
  ensureCompiled();
  const out: FullRun[] = [];
  for (const apiName of apis) {
    const [api] = selectApis(projectPaths(), [apiName]);
    const contract = await loadContract(api!);
    const row: FullRun = { api: apiName, operations: 0 };
    out.push(row);
    const tmp = tmpDir(`bench-speed-${apiName}-`);
    const mock = await startStatefulProcess(apiName);
    try {
      const d = await dreddFullRun(apiName, mock.url);
      if ('missing' in d) {
        row.note = d.missing;
        continue;
      }
      row.dreddFalsePositives = d.fp;
      row.dreddOperations = d.operations;
      if (d.fp.error) {
        row.note = d.fp.error;
        continue;
      }
      row.dredd = { seconds: d.seconds ?? NaN, peakRssMb: d.peakRssMb ?? NaN, transactions: d.fp.sent };
      const wanted = new Set(d.operations);
      const ops = contract.operations.filter((o) => wanted.has(`${o.method.toUpperCase()} ${o.path}`));
      row.operations = ops.length;
      if (ops.length === 0) {
        row.note = 'Dredd ran no operation of this API';
        continue;
      }
      // Ours: the real CLI, every check it has (positive, negative, auth classes) on those operations.
      const creds = await fresh(mock.url);
      const credFile = path.join(tmp, 'credentials.yaml');
      const entries: Record<string, { value: string; class: string }> = { valid: { value: creds.valid, class: 'valid' } };
      for (const [cls, value] of Object.entries(creds.classCredentials)) entries[cls] = { value: value!, class: cls };
      fs.writeFileSync(credFile, YAML.stringify({ [apiName]: entries }));
      const report = path.join(tmp, 'report.json');
      const args = [COMPILED_CLI, 'test', apiName, '--target', mock.url, '--credentials', credFile, '--report', `json:${report}`];
      for (const o of ops) args.push('--include', o.id);
      const ours = await runTimed(process.execPath, args);
      const parsed = fs.existsSync(report) ? (JSON.parse(fs.readFileSync(report, 'utf8')) as { results: Array<{ status: string; check: string }> }) : undefined;
      // Every case kind is judged by status-declared once, so its results count the requests sent.
      const sent = (parsed?.results ?? []).filter((r) => r.check === 'status-declared' && r.status !== 'skipped').length;
      row.ours = { seconds: ours.wallSeconds, peakRssMb: ours.peakRssMb, requests: sent, failed: (parsed?.results ?? []).filter((r) => r.status === 'failed').length, exit: ours.code };
      log(`${apiName} (${ops.length} operations): ours ${row.ours.seconds.toFixed(1)} s ${row.ours.peakRssMb.toFixed(0)} MB ${row.ours.requests} requests; Dredd ${row.dredd.seconds.toFixed(1)} s ${row.dredd.peakRssMb.toFixed(0)} MB ${row.dredd.transactions} transactions`);
    } finally {
      await mock.stop();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  return out;
}

async function fresh(base: string) {
  await fetch(`${base}/__control/reset`, { method: 'POST' });
  return credentialsFromControlApi(base);
}

export interface ValidationBench {
  schema: string;
  cachedPerSecond: number;
  uncachedPerSecond: number;
}

/** bench/validation.ts in its own process; its last line is the JSON summary. */
export async function validationThroughput(): Promise<ValidationBench | undefined> {
  const r = await runTimed(process.execPath, ['--import', 'tsx', path.join(packageRoot, 'bench/validation.ts')]);
  const line = r.stdout.trim().split('\n').reverse().find((l) => l.startsWith('{'));
  if (!line) {
    log(`validation bench printed no summary (exit ${r.code}): ${r.stderr.slice(-300)}`);
    return undefined;
  }
  const j = JSON.parse(line) as ValidationBench;
  log(`validation: ${j.cachedPerSecond} validations/s cached, ${j.uncachedPerSecond} compiling per call`);
  return j;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify({ mock: await mockThroughput(), validation: await validationThroughput() }, null, 1));
}
