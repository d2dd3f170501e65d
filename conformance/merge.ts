import fs from 'node:fs';
import path from 'node:path';
import type { SourceLocation } from '../src/core/contract/location.ts';
import { UsageError } from '../src/core/errors.ts';
import type { BaselineEntry } from './baseline.ts';
import { coverageTotals } from './coverage.ts';
import { findingFingerprint } from './fingerprint.ts';
import type { RunResult } from './run.ts';
import type { ShardInfo } from './shard.ts';
import type { CheckResult } from './types.ts';

interface Loaded {
  file: string;
  run: RunResult;
}

/**
 * Reads the JSON reports of a sharded run (`contracts test --shard i/n --report json:…`) and puts
 * each API's shards back together, as one run per API that the reporters and the exit code treat
 * like the unsharded run. Refuses (usage error, exit 2) what cannot be one run: a file that is
 * missing or not a report, a shard missing or given twice, shards of different splits, selections
 * or contract versions, sharded and unsharded reports mixed. Paths in the reports are relative to
 * `root`, the project root (src/core/paths.ts `reportRoot`).
 */
export function readShardReports(files: readonly string[], root: string): RunResult[] {
  if (files.length === 0) throw new UsageError('merge-reports needs the JSON reports of the shards');
  const loaded = files.flatMap((file) => readReport(file, root));
  const byApi = new Map<string, Loaded[]>();
  for (const l of loaded) byApi.set(l.run.api, [...(byApi.get(l.run.api) ?? []), l]);
  return [...byApi.entries()].map(([api, parts]) => mergeApi(api, parts));
}

function readReport(file: string, root: string): Loaded[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`${file}: cannot read the report (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file}: not JSON (${(err as Error).message}); merge-reports reads reports written with --report json:<path>`);
  }
  const docs = Array.isArray(doc) ? doc : [doc];
  if (docs.length === 0) throw new UsageError(`${file}: the report holds no run`);
  return docs.map((d, i) => ({ file, run: toRun(d, `${file}${Array.isArray(doc) ? `[${i}]` : ''}`, root) }));
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A JSON report's run back as the runner's result (what reporters read); the shape is checked as far as merging relies on it. */
function toRun(d: unknown, where: string, root: string): RunResult {
  if (!isObj(d) || typeof d.api !== 'string' || !Array.isArray(d.results) || !isObj(d.summary)) {
    throw new UsageError(`${where}: not a report of contracts test (expected api, summary and results)`);
  }
  const loc = (l: unknown, what: string): SourceLocation => {
    if (!isObj(l) || typeof l.file !== 'string' || typeof l.pointer !== 'string') throw new UsageError(`${where}: ${what} has no location`);
    return { file: path.resolve(root, l.file), pointer: l.pointer, ...(typeof l.line === 'number' ? { line: l.line } : {}), ...(typeof l.column === 'number' ? { column: l.column } : {}) };
  };
  const results = d.results.map((r: unknown, i: number): CheckResult => {
    const what = `results[${i}]`;
    if (!isObj(r) || typeof r.check !== 'string' || typeof r.operationId !== 'string' || typeof r.case !== 'string' || !['passed', 'failed', 'skipped'].includes(r.status as string) || !Array.isArray(r.findings)) {
      throw new UsageError(`${where}: ${what} is not a check result`);
    }
    return {
      check: r.check as CheckResult['check'],
      operationId: r.operationId,
      method: String(r.method ?? ''),
      path: String(r.path ?? ''),
      case: r.case as CheckResult['case'],
      ...(typeof r.mutation === 'string' ? { mutation: r.mutation } : {}),
      ...(typeof r.credentialClass === 'string' ? { credentialClass: r.credentialClass as CheckResult['credentialClass'] } : {}),
      ...(typeof r.valueOrigin === 'string' ? { valueOrigin: r.valueOrigin as CheckResult['valueOrigin'] } : {}),
      api: d.api as string,
      status: r.status as CheckResult['status'],
      ...(typeof r.message === 'string' ? { message: r.message } : {}),
      findings: r.findings.map((f: unknown, j: number) => {
        if (!isObj(f) || typeof f.message !== 'string') throw new UsageError(`${where}: ${what}.findings[${j}] is not a finding`);
        return {
          message: f.message,
          ...(typeof f.bodyPointer === 'string' ? { bodyPointer: f.bodyPointer } : {}),
          ...(isObj(f.baseline) ? { baseline: f.baseline as never } : {}),
          location: loc(f.location, `${what}.findings[${j}]`),
        };
      }),
      request: (isObj(r.request) ? r.request : { method: String(r.method ?? ''), url: String(r.path ?? ''), headers: {} }) as unknown as CheckResult['request'],
      ...(isObj(r.response) ? { response: r.response as CheckResult['response'] } : {}),
      location: loc(r.location, what),
      ...(typeof r.curl === 'string' ? { curl: r.curl } : {}),
    };
  });
  const summary = d.summary;
  const baseline = isObj(d.baseline) && typeof d.baseline.file === 'string' ? { file: d.baseline.file, fixed: (Array.isArray(d.baseline.fixed) ? d.baseline.fixed : []) as BaselineEntry[] } : undefined;
  return {
    api: d.api,
    baseUrl: String(d.target ?? ''),
    contractVersion: String(d.contractVersion ?? ''),
    results,
    durationMs: typeof summary.durationMs === 'number' ? summary.durationMs : 0,
    ...(isObj(d.coverage) ? { coverage: d.coverage as unknown as RunResult['coverage'] } : {}),
    ...(isObj(d.discovery) ? { discovery: d.discovery as unknown as RunResult['discovery'] } : {}),
    ...(isObj(d.cleanup) ? { cleanup: d.cleanup as unknown as RunResult['cleanup'] } : {}),
    ...(d.interrupted === true ? { interrupted: true } : {}),
    ...(isObj(d.shard) ? { shard: d.shard as unknown as ShardInfo } : {}),
    ...(baseline ? { baseline } : {}),
  };
}

/** One API's shards as one run; or its one unsharded report as it is. */
function mergeApi(api: string, parts: Loaded[]): RunResult {
  const sharded = parts.filter((p) => p.run.shard);
  const whole = parts.filter((p) => !p.run.shard);
  if (sharded.length > 0 && whole.length > 0) {
    throw new UsageError(`mixed runs: ${whole[0]!.file} is an unsharded report of ${api}, ${sharded[0]!.file} a shard's (merge the shards of one run only)`);
  }
  if (whole.length > 0) {
    if (whole.length > 1) throw new UsageError(`mixed runs: ${whole[0]!.file} and ${whole[1]!.file} are both complete reports of ${api}`);
    return whole[0]!.run;
  }
  const first = sharded[0]!;
  const s0 = first.run.shard!;
  const byIndex = new Map<number, Loaded>();
  for (const p of sharded) {
    const s = p.run.shard!;
    if (s.count !== s0.count) throw new UsageError(`mixed runs: ${first.file} is shard ${s0.index}/${s0.count} of ${api}, ${p.file} shard ${s.index}/${s.count}`);
    if (s.selection !== s0.selection) throw new UsageError(`mixed runs: ${first.file} and ${p.file} selected different operations of ${api} (other filters or contract)`);
    if (p.run.contractVersion !== first.run.contractVersion) throw new UsageError(`mixed runs: ${first.file} checked ${api} ${first.run.contractVersion}, ${p.file} ${p.run.contractVersion}`);
    const twice = byIndex.get(s.index);
    if (twice) throw new UsageError(`shard ${s.index}/${s.count} of ${api} is given twice: ${twice.file} and ${p.file}`);
    byIndex.set(s.index, p);
  }
  const missing = Array.from({ length: s0.count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0) throw new UsageError(`shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${s0.count}`).join(', ')} of ${api} missing: a merge without every shard would pass what it never ran`);
  const runs = [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, p]) => p.run);
  const results = runs.flatMap((r) => r.results);
  const coverageOps = runs.flatMap((r) => r.coverage?.operations ?? []);
  const discoveries = runs.flatMap((r) => (r.discovery ? [r.discovery] : []));
  const cleanups = runs.flatMap((r) => (r.cleanup ? [r.cleanup] : []));
  const withBaseline = runs.filter((r) => r.baseline);
  // Each shard calls fixed only the entries of its own operations nobody matched; across shards a
  // finding another shard produced (a read-back is reported under the read operation) is not fixed.
  const seen = new Set(results.flatMap((r) => r.findings.map((f) => findingFingerprint(api, r, f))));
  const fixed = new Map(withBaseline.flatMap((r) => r.baseline!.fixed).filter((e) => !seen.has(e.fingerprint)).map((e) => [e.fingerprint, e]));
  return {
    api,
    baseUrl: [...new Set(runs.map((r) => r.baseUrl))].join(', '),
    contractVersion: first.run.contractVersion,
    results,
    // Shards run side by side: the merged run took as long as the slowest.
    durationMs: Math.max(...runs.map((r) => r.durationMs)),
    ...(runs.some((r) => r.coverage) ? { coverage: { operations: coverageOps, totals: coverageTotals(coverageOps) } } : {}),
    ...(discoveries.length > 0
      ? {
          discovery: {
            reads: sum(discoveries.map((d) => d.reads)),
            answered: sum(discoveries.map((d) => d.answered)),
            operationsWithPathParameters: discoveries[0]!.operationsWithPathParameters,
            operationsWithValues: Math.max(...discoveries.map((d) => d.operationsWithValues)),
          },
        }
      : {}),
    ...(cleanups.length > 0 ? { cleanup: { removed: sum(cleanups.map((c) => c.removed)), leftovers: cleanups.flatMap((c) => c.leftovers) } } : {}),
    ...(runs.some((r) => r.interrupted) ? { interrupted: true } : {}),
    ...(withBaseline.length > 0 ? { baseline: { file: withBaseline[0]!.baseline!.file, fixed: [...fixed.values()] } } : {}),
  };
}

function sum(ns: number[]): number {
  return ns.reduce((a, b) => a + b, 0);
}
