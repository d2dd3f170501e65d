import fs from 'node:fs';
import path from 'node:path';
import { reporters, type RuleInfo } from '../../../conformance/reporters/index.ts';
import type { ReportedRun } from '../../../conformance/reporters/results.ts';
import { scrubSecrets } from '../../../conformance/redact.ts';
import type { UnsupportedChecks } from '../../../conformance/judge.ts';
import { runContract, type RunResult } from '../../../conformance/run.ts';
import type { CheckId } from '../../../conformance/types.ts';
import { selectOperations } from '../../../conformance/select.ts';
import { parseShard, shardInfo, shardOperations, supportingCreations } from '../../../conformance/shard.ts';
import type { ApiEntry } from '../../core/contract/discover.ts';
import { loadContract } from '../../core/contract/load.ts';
import { resolveRunCredentials, tokenVariable } from '../../../conformance/credentials.ts';
import type { CredentialClass } from '../../core/contract/model.ts';
import type { OtherUserPair } from '../../../conformance/other-user.ts';
import { UsageError } from '../../core/errors.ts';

export interface TestOptions {
  tokenEnv?: string;
  credentials?: string;
  credential?: string;
  apiVersion?: string;
  include?: string[];
  exclude?: string[];
  timeout?: string;
  concurrency?: string;
  rateLimit?: string;
  ca?: string;
  insecure?: boolean;
  allowMutations?: boolean;
  /** Percent (0–100) of operations whose success response must be judged, or the run exits 1. */
  minCoverage?: string;
  /** `i/n`: run only the operations of shard i of n (conformance/shard.ts). */
  shard?: string;
  /** Baseline file: findings it lists are reported as known and do not fail the run (conformance/baseline.ts). */
  baseline?: string;
  /** Write the run's findings to this baseline file. */
  writeBaseline?: string;
}

export interface ReportRequest {
  format: string;
  file: string;
}

/** `--report json:out/report.json` → {format, file}; the format must be one we write. */
export function parseReport(spec: string): ReportRequest {
  const i = spec.indexOf(':');
  const format = i > 0 ? spec.slice(0, i) : '';
  const file = i > 0 ? spec.slice(i + 1) : '';
  if (!reporters[format] || !file) {
    throw new UsageError(`--report takes <format>:<path> with format one of ${Object.keys(reporters).join(', ')} (path - for standard output); got '${spec}'`);
  }
  return { format, file: file === '-' ? '-' : path.resolve(file) };
}

function positiveInt(name: string, value: string | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`${name} must be a whole number from 1 to ${max}, got '${value}'`);
  return n;
}

/** `--min-coverage 80` → 80: a percent from 0 to 100 (decimals allowed). */
export function parseMinCoverage(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d+(\.\d+)?%?$/.test(value.trim()) ? Number(value.trim().replace(/%$/, '')) : NaN;
  if (!(n >= 0 && n <= 100)) throw new UsageError(`--min-coverage takes a percent from 0 to 100, got '${value}'`);
  return n;
}

/** `30/min`, `30/m` or `30` → 30 requests per minute. */
export function parseRateLimit(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+)(?:\/(?:min|m|minute))?$/.exec(value.trim());
  if (!m || Number(m[1]) < 1) throw new UsageError(`--rate-limit takes <n>/min, got '${value}'`);
  return Number(m[1]);
}

/** Runs every check of one API against one target and returns the result (secrets already redacted). */
export async function testApi(
  api: ApiEntry,
  target: string,
  opts: TestOptions,
  io: {
    env?: NodeJS.ProcessEnv;
    note?: (line: string) => void;
    onProgress?: (done: number, total: number) => void;
    /** Classes the target cannot honour (a contract-only mock), and why. */
    unsupportedClasses?: { classes: ReadonlySet<CredentialClass>; reason: string };
    /** Checks the target cannot be judged by (a mock with static answers), and why. */
    unsupportedChecks?: UnsupportedChecks;
    /** Credentials obtained elsewhere (a stateful mock's control API) instead of the environment. */
    issued?: { valid: string; session?: string; classCredentials: Partial<Record<CredentialClass, string>>; otherUser?: OtherUserPair };
    /** Stops the run (Ctrl+C); what it created is still removed. */
    signal?: AbortSignal;
  } = {},
): Promise<{ run: RunResult; secrets: string[] }> {
  let base: URL;
  try {
    base = new URL(target);
  } catch {
    throw new UsageError(`--target must be a URL such as https://10.1.0.2, got '${target}'`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new UsageError(`--target must be http or https, got '${target}'`);
  const timeoutMs = positiveInt('--timeout', opts.timeout, 10_000);
  const concurrency = positiveInt('--concurrency', opts.concurrency, 4, 64);
  const ratePerMinute = parseRateLimit(opts.rateLimit);
  const credential = io.issued
    ? {
        value: io.issued.valid,
        variable: tokenVariable(api.name),
        classCredentials: io.issued.classCredentials,
        classSecrets: Object.entries(io.issued.classCredentials).map(([cls, value]) => ({ value: value!, variable: `${tokenVariable(api.name)}_${cls.replace(/\W+/g, '_').toUpperCase()}` })),
        otherUser: io.issued.otherUser,
        note: undefined,
      }
    : resolveRunCredentials({
        api: api.name,
        target,
        env: io.env ?? process.env,
        tokenEnv: opts.tokenEnv,
        credentialsFile: opts.credentials,
        pick: opts.credential,
      });
  if (credential.note) io.note?.(credential.note);
  const contract = await loadContract(api);
  const selected = selectOperations(contract.operations, { apiVersion: opts.apiVersion, include: opts.include, exclude: opts.exclude });
  const shard = parseShard(opts.shard);
  const operations = shard ? shardOperations(api.name, selected, shard) : selected;
  const run = await runContract(contract, {
    baseUrl: target,
    operations,
    supportOperations: shard ? supportingCreations(selected, operations) : undefined,
    // A route whose scheme is a session cookie gets the mock's browser session where one was issued,
    // and no credential otherwise: an API token is not a session (such a route's cases are then
    // reported as not sent, see conformance/plan.ts).
    credentials: (scheme) => (scheme.in === 'cookie' ? io.issued?.session : credential.value),
    secretVariable: credential.variable,
    classCredentials: credential.classCredentials,
    extraSecrets: credential.classSecrets,
    unsupportedClasses: io.unsupportedClasses,
    unsupportedChecks: io.unsupportedChecks,
    timeoutMs,
    concurrency,
    ratePerMinute,
    caFile: opts.ca,
    insecure: opts.insecure,
    allowMutations: opts.allowMutations,
    onProgress: io.onProgress,
    signal: io.signal,
    otherUser: credential.otherUser,
  });
  if (shard) run.shard = shardInfo(api.name, selected, shard);
  const sweepSecrets = credential.otherUser ? [credential.otherUser.owner.value, credential.otherUser.other.value] : [];
  return { run, secrets: [credential.value, ...credential.classSecrets.map((s) => s.value), ...sweepSecrets] };
}

/**
 * What a contract-only mock (Prism behind the credential gate) can honour: a missing credential
 * and a wrong scheme word. It cannot tell any other class from a valid credential.
 */
export const PRISM_UNSUPPORTED_CLASSES = {
  classes: new Set<CredentialClass>(['malformed', 'unknown', 'revoked', 'expired', 'deprovisioned', 'insufficient', 'other-tenant', 'other-user']),
  reason: 'the contract-only mock accepts any credential with the right scheme word, so it cannot honour this class (the stateful mock can)',
};

/** Prism answers with static examples: whether a page follows from the request, or a created or deleted object shows, cannot be judged there. */
export const PRISM_UNSUPPORTED_CHECKS: UnsupportedChecks = {
  ids: new Set<CheckId>(['pagination-consistent', 'created-readable', 'deleted-gone']),
  reason: 'the contract-only mock answers with static examples, which do not follow from the request (the stateful mock pages for real and keeps what is created and deleted)',
};

/**
 * Writes each requested report; every text is scrubbed of the run's secrets before it is written.
 * `rules` describes the checks when they are not the runner's (a contract diff's rules). A report
 * to `-` goes to standard output. Returns the files written. Paths inside reports are relative to
 * `root` (src/core/paths.ts `reportRoot`).
 */
export function writeReports(requests: ReportRequest[], runs: ReportedRun[], root: string, secrets: string[], rules?: readonly RuleInfo[]): string[] {
  return requests.flatMap(({ format, file }) => {
    const text = scrubSecrets(reporters[format]!(runs, root, rules), secrets);
    if (file === '-') {
      process.stdout.write(text);
      return [];
    }
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
    } catch (err) {
      throw new UsageError(`cannot write ${format} report to ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    return [file];
  });
}
