import fs from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, stringify, type Node } from 'yaml';
import { UsageError } from '../src/core/errors.ts';
import { findingFingerprint } from './fingerprint.ts';
import type { ReportedResult, ReportedRun } from './reporters/results.ts';
import type { BaselineEntry, BaselineState, Finding, FindingBaseline, RunBaseline } from './types.ts';

export type { BaselineEntry, BaselineState, FindingBaseline, RunBaseline };

/**
 * Baselines: findings a team has accepted for now (a service adopted with known faults). A baseline
 * file lists them by fingerprint (conformance/fingerprint.ts); a run reports them as known and
 * fails only on new ones. An entry past its `expires` date counts again; an entry that matches
 * nothing any more is reported as fixed, so the file can be pruned.
 */
export interface Baseline {
  file: string;
  entries: BaselineEntry[];
}

const KEYS = new Set(['fingerprint', 'api', 'operation', 'check', 'message', 'reason', 'expires']);

/** Reads and validates a baseline file; any problem is one `file:line: problem` usage error (exit 2). */
export function loadBaseline(file: string): Baseline {
  const shown = path.relative(process.cwd(), path.resolve(file)) || file;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`${shown}: cannot read the baseline file (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const fail = (node: Node | undefined | null, problem: string): never => {
    const line = node?.range ? lines.linePos(node.range[0]).line : 1;
    throw new UsageError(`${shown}:${line}: ${problem}`);
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new UsageError(`${shown}:${e.linePos?.[0]?.line ?? 1}: not valid YAML or JSON: ${e.message.split('\n')[0]}`);
  }
  const root = doc.contents;
  if (!isMap(root)) return fail(root, 'a baseline is a mapping with `findings:` (a list of entries); see `contracts test --write-baseline`');
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (key !== 'version' && key !== 'findings') fail(pair.key as Node, `unknown key '${key}' (a baseline has version and findings)`);
  }
  const version = doc.get('version', true) as Node | undefined;
  if (version !== undefined && !(isScalar(version) && version.value === 1)) fail(version, 'version must be 1');
  const list = doc.get('findings', true) as Node | undefined;
  if (list === undefined || (isScalar(list) && list.value === null)) return { file, entries: [] };
  if (!isSeq(list)) return fail(list, '`findings` must be a list of entries');
  const entries: BaselineEntry[] = [];
  const seen = new Map<string, number>();
  for (const item of list.items as Node[]) {
    if (!isMap(item)) return fail(item, 'each entry is a mapping with at least `fingerprint`');
    const entry: Partial<Record<keyof BaselineEntry, string>> = {};
    for (const pair of item.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!KEYS.has(key)) fail(pair.key as Node, `unknown key '${key}' (entries take ${[...KEYS].join(', ')})`);
      const value = pair.value as Node | null;
      if (!isScalar(value) || (typeof value.value !== 'string' && typeof value.value !== 'number')) return fail(value ?? (pair.key as Node), `'${key}' must be text`);
      entry[key as keyof BaselineEntry] = String(value.value);
    }
    const line = lines.linePos(item.range![0]).line;
    const fingerprint = entry.fingerprint;
    if (!fingerprint) return fail(item, 'entry has no fingerprint');
    if (!/^[0-9a-f]{32}$/.test(fingerprint)) fail(item, `fingerprint must be 32 hex digits as reports print it, got '${fingerprint}'`);
    if (entry.expires !== undefined && !isDate(entry.expires)) fail(item, `expires must be a date YYYY-MM-DD, got '${entry.expires}'`);
    if (seen.has(fingerprint)) fail(item, `fingerprint ${fingerprint} is listed twice (also on line ${seen.get(fingerprint)})`);
    seen.set(fingerprint, line);
    entries.push({ ...entry, fingerprint });
  }
  return { file, entries };
}

function isDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/** Today as `YYYY-MM-DD` (UTC): an entry expiring today still holds; it counts again from tomorrow. */
export function today(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/**
 * Marks every finding of failed results new, known or expired, and records on each run the
 * entries of its operations that matched nothing (fixed). Mutates the runs' findings.
 */
export function applyBaseline(runs: ReportedRun[], baseline: Baseline, now = today()): void {
  const byFingerprint = new Map(baseline.entries.map((e) => [e.fingerprint, e]));
  const matched = new Set<string>();
  for (const run of runs) {
    for (const r of run.results) {
      for (const f of r.findings) {
        const fp = findingFingerprint(run.api, r, f);
        const entry = byFingerprint.get(fp);
        if (entry) matched.add(fp);
        f.baseline = !entry
          ? { state: 'new' }
          : { state: entry.expires !== undefined && entry.expires < now ? 'expired' : 'known', ...(entry.reason ? { reason: entry.reason } : {}), ...(entry.expires ? { expires: entry.expires } : {}) };
      }
    }
  }
  for (const run of runs) {
    // A run over some operations (a shard, --include) can only call fixed what it would have seen.
    const covered = run.coverage ? new Set(run.coverage.operations.map((c) => c.operationId)) : undefined;
    const fixed = baseline.entries.filter((e) => !matched.has(e.fingerprint) && e.api === run.api && (!covered || (e.operation !== undefined && covered.has(e.operation))));
    run.baseline = { file: baseline.file, fixed };
  }
}

/** A failed result fails the run unless every one of its findings is known to the baseline. */
export function failsRun(r: Pick<ReportedResult, 'status' | 'findings'>): boolean {
  return r.status === 'failed' && (r.findings.length === 0 || r.findings.some((f) => f.baseline?.state !== 'known'));
}

/** Counts of the findings of failed results by baseline state (all `new` without a baseline). */
export function baselineCounts(runs: ReportedRun[]): Record<BaselineState, number> & { fixed: number } {
  const counts = { new: 0, known: 0, expired: 0, fixed: 0 };
  for (const run of runs) {
    for (const r of run.results) if (r.status === 'failed') for (const f of r.findings) counts[f.baseline?.state ?? 'new']++;
    counts.fixed += run.baseline?.fixed.length ?? 0;
  }
  return counts;
}

/** How a finding's baseline state reads in text reports: '' for a new one. */
export function baselineLabel(f: Pick<Finding, 'baseline'>): string {
  const b = f.baseline;
  if (!b || b.state === 'new') return '';
  if (b.state === 'expired') return `[baseline entry expired ${b.expires}] `;
  return `[known${b.reason ? `: ${b.reason}` : ''}] `;
}

/**
 * Writes every finding of the runs' failed results as a baseline entry, one per fingerprint, sorted
 * so the file diffs well. `reason` and `expires` of entries already in `previous` are kept.
 */
export function writeBaseline(file: string, runs: ReportedRun[], previous?: Baseline): number {
  const kept = new Map((previous?.entries ?? []).map((e) => [e.fingerprint, e]));
  const entries = new Map<string, BaselineEntry>();
  for (const run of runs) {
    for (const r of run.results) {
      if (r.status !== 'failed') continue;
      for (const f of r.findings) {
        const fingerprint = findingFingerprint(run.api, r, f);
        if (entries.has(fingerprint)) continue;
        const old = kept.get(fingerprint);
        entries.set(fingerprint, {
          fingerprint,
          api: run.api,
          operation: r.operationId,
          check: r.check,
          message: `${r.mutation ? `[${r.mutation}] ` : r.credentialClass ? `[${r.credentialClass}] ` : ''}${f.message}`,
          ...(old?.reason ? { reason: old.reason } : {}),
          ...(old?.expires ? { expires: old.expires } : {}),
        });
      }
    }
  }
  const sorted = [...entries.values()].sort((a, b) => `${a.api} ${a.operation} ${a.check} ${a.fingerprint}`.localeCompare(`${b.api} ${b.operation} ${b.check} ${b.fingerprint}`));
  const header = [
    '# Findings accepted for now: `contracts test --baseline <this file>` reports them as known and fails only on new ones.',
    '# Matched by fingerprint; api, operation, check and message are for reading. Add `reason:` and',
    '# `expires: YYYY-MM-DD` (after that day the finding fails the run again). Written by --write-baseline.',
  ].join('\n');
  const text = `${header}\n${stringify({ version: 1, findings: sorted }, { lineWidth: 0 })}`;
  try {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, text);
  } catch (err) {
    throw new UsageError(`cannot write the baseline to ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  return sorted.length;
}
