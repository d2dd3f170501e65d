/**
 * Detection head-to-head: faulty variants of each stateful mock (response faults from
 * mocks/kit/faults.ts, switched on through the control API for one representative operation
 * per API), judged by our runner, Dredd 14.1 and Prism's validation proxy.
 *
 * A tool *detects* a fault when, with the fault on, it reports a failure on the target operation
 * that it does not report against the correct mock. A fault is *not expressible* for a tool when the
 * tool, configured as its docs recommend, never sends (or never lets through) the request that
 * triggers it. *False positives* are every failure a tool reports against the correct mock, over
 * all of the API's operations.
 *
 *   node --import tsx bench/detection.ts          (prints the table; bench/head-to-head.ts writes it)
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { planCases } from '../conformance/plan.ts';
import { Sender } from '../conformance/send.ts';
import { credentialsFromControlApi } from '../src/cli/commands/stateful.ts';
import { testApi } from '../src/cli/commands/test.ts';
import { selectApis, type ApiEntry } from '../src/core/contract/discover.ts';
import { loadContract } from '../src/core/contract/load.ts';
import { type Contract, type CredentialClass, type JsonObject, type OperationModel, type SecurityScheme } from '../src/core/contract/model.ts';
import { isSecured } from '../src/core/auth/index.ts';
import { isObject, resolveLocal } from '../src/core/contract/pointer.ts';
import { freePort } from '../src/core/net.ts';
import { packageRoot, projectPaths } from '../src/core/paths.ts';
import { validators } from '../src/core/validate/cache.ts';
import { RESPONSE_FAULT_KINDS, type ResponseFaultKind } from '../mocks/kit/faults.ts';
import { onlyOperations, pruneComponents, toOpenApi30 } from './oas30.ts';
import { locateDredd, prismVersion, runTimed, startPrism, startStatefulProcess, tmpDir, type Service } from './procs.ts';

/** One representative operation per API: a list with auth rules, where the API has one with totals. */
export const TARGETS: Record<string, string> = {
  'defender-iot-sensor': 'listDevices',
  'defender-iot-management': 'listDevices',
  'defender-cloud-apps': 'queryAlerts',
  defguard: 'listUsers',
};

/**
 * Faults that cannot show on the representative operation, and the operation they are measured on
 * instead: ignoring ownership shows only where an object belongs to one user (`x-owned-by`).
 */
export const FAULT_TARGETS: Partial<Record<ResponseFaultKind, Record<string, string>>> = {
  'ignores-ownership': { defguard: 'getDevice' },
};

export const TOOLS = ['ours', 'dredd', 'prism'] as const;
export type ToolName = (typeof TOOLS)[number];
export type Outcome = 'detected' | 'missed' | 'not expressible' | 'n/a' | 'error';

export const FAULT_LABELS: Record<ResponseFaultKind, string> = {
  'wrong-field-type': 'wrong field type',
  'missing-required-field': 'missing required field',
  'undeclared-status': 'extra (undeclared) status',
  'wrong-content-type': 'wrong content type',
  'server-error-on-bad-input': '500 on bad input',
  'ignores-auth': 'ignores auth (refused credential gets 200)',
  'accepts-revoked': 'accepts revoked token',
  'unauthenticated-instead-of-forbidden': '401 instead of 403',
  'other-tenant-leak': 'other-tenant leak',
  'wrong-pagination-totals': 'wrong pagination totals',
  'ignores-ownership': "ignores ownership (another user's object served)",
};

/** Why a tool, configured as documented, never sends or never lets through the triggering request. */
const NOT_EXPRESSIBLE: Partial<Record<ToolName, Partial<Record<ResponseFaultKind, string>>>> = {
  dredd: {
    'server-error-on-bad-input': 'Dredd sends only the documented example request; it makes no invalid input',
    'accepts-revoked': 'one transaction per documented status: the 401 transaction is spent on the missing credential; a revoked token needs hand-written per-operation hooks',
    'other-tenant-leak': 'Dredd has one credential (--header) plus what hooks set; no second tenant without hand-written per-operation hooks',
    'ignores-ownership': "Dredd sends one credential (--header) with the documented example id; asking for one user's object with a second user's session needs hand-written per-operation hooks that discover ids and swap cookies",
  },
  prism: {
    'server-error-on-bad-input': 'with --errors Prism answers an invalid request itself (422) and never forwards it, so the upstream fault is never triggered',
  },
};

/**
 * Findings on the unmodified mocks that are real disagreements between a mock and its contract,
 * not tool errors, by API and operationId with the reason: listed apart from false positives (for
 * every tool alike). Empty today: the ones found while this bench was written (cookie-only auth and
 * event-stream bodies in the Defguard mock, read-only routes of Cloud Apps that kept the API-wide
 * `insufficient → 403`) have been fixed in the mocks and contracts.
 */
export const KNOWN_MOCK_DISCREPANCIES: Record<string, Record<string, string>> = {};

export interface ToolRun {
  /** Failure signatures (stable across runs) → one example message. */
  failures: Map<string, string>;
  /** Requests or transactions actually sent. */
  sent: number;
  /** Operations (METHOD /template) the tool exercised, when it says. */
  operations?: Set<string>;
  /** Dredd only: wall time and peak RSS of its process (GNU time). */
  seconds?: number;
  peakRssMb?: number;
  error?: string;
}

export interface ApiDetection {
  api: string;
  operationId: string;
  outcomes: Record<ResponseFaultKind, Record<ToolName, { outcome: Outcome; evidence?: string; reason?: string }>>;
  falsePositives: Record<ToolName, { count: number; sent: number; examples: string[]; knownDiscrepancies: number; knownHits?: string[]; seconds: number; error?: string }>;
  /** Dredd on the target operation without the charset hook: failures on the correct mock. */
  dreddWithoutCharsetHook?: number;
  dreddOperations?: string[];
  dreddLossy?: Record<string, number>;
  mockUrl?: string;
}

interface Ctx {
  api: ApiEntry;
  contract: Contract;
  mock: Service;
  creds: { valid: string; classCredentials: Partial<Record<CredentialClass, string>> };
  scheme: SecurityScheme;
  proxy?: Service;
  dredd?: { bin: string; full: string; perOp: (opId: string) => string; lossy: Record<string, number> };
  tmp: string;
}

const log = (line: string) => process.stderr.write(`[detection] ${line}\n`);

// ---- applicability ---------------------------------------------------------------------------

function resolve(contract: Contract, s: unknown): JsonObject {
  const { node } = resolveLocal(contract.document, s, '');
  return isObject(node) ? node : {};
}

function hasTotals(contract: Contract, op: OperationModel): boolean {
  const ok = op.responses.find((r) => /^2\d\d$/.test(r.status))?.content[0]?.schema;
  if (!ok) return false;
  const s = resolve(contract, ok);
  const props = { ...((s.properties as JsonObject) ?? {}) };
  for (const part of (s.allOf as unknown[]) ?? []) Object.assign(props, (resolve(contract, part).properties as JsonObject) ?? {});
  return 'pagination' in props || 'total' in props;
}

/** Whether the fault can show up on this operation at all, and if not why. */
export function applicability(contract: Contract, op: OperationModel, kind: ResponseFaultKind): string | undefined {
  const classes = op.authContract?.classes ?? {};
  const applies = (c: CredentialClass) => classes[c]?.applies === true;
  switch (kind) {
    case 'undeclared-status':
      return op.responses.some((r) => r.status === '2XX' || r.status === 'default') ? 'every status is declared (2XX/default)' : undefined;
    case 'server-error-on-bad-input': {
      const negative = planCases(contract, { credentials: () => 'x', validators, operations: [op], kinds: ['negative'] });
      return negative.length === 0 ? 'the operation takes no input that can be made invalid' : undefined;
    }
    case 'ignores-auth':
      return !isSecured(op) ? 'the operation needs no credential' : undefined;
    case 'accepts-revoked':
      return applies('revoked') ? undefined : (classes.revoked?.reason ?? 'no revocable credentials');
    case 'other-tenant-leak':
      return applies('other-tenant') ? undefined : (classes['other-tenant']?.reason ?? 'single-tenant API');
    case 'unauthenticated-instead-of-forbidden':
      return (['insufficient', 'deprovisioned', 'other-tenant'] as const).some((c) => applies(c) && classes[c]!.statuses.includes('403'))
        ? undefined
        : 'the contract states no 403 refusal for this operation';
    case 'wrong-pagination-totals':
      return hasTotals(contract, op) ? undefined : 'the answer has no total or pagination';
    case 'ignores-ownership':
      if (op.ownedBy && applies('other-user')) return undefined;
      return classes['other-user']?.applies === false ? (classes['other-user'].reason ?? 'no object belongs to one user') : 'the operation reaches no object of one user (no x-owned-by)';
    default:
      return undefined;
  }
}

// ---- control API -------------------------------------------------------------------------------

async function control(base: string, method: string, route: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${base}/__control/${route}`, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  if (!res.ok) throw new Error(`control ${method} ${route}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function issue(base: string, cls: CredentialClass): Promise<string> {
  return ((await control(base, 'POST', 'credentials', { class: cls })) as { token: string }).token;
}

/** After a reset the store is empty: issue a fresh credential of every class. */
async function freshCredentials(ctx: Ctx): Promise<void> {
  await control(ctx.mock.url, 'POST', 'reset');
  ctx.creds = await credentialsFromControlApi(ctx.mock.url);
}

/** For Dredd's 403 transactions: per operation, a credential of a class the contract answers with 403. */
function forbiddenByOperation(ctx: Ctx): Record<string, string> {
  const out: Record<string, string> = {};
  for (const op of ctx.contract.operations) {
    const classes = op.authContract?.classes ?? {};
    const cls = (['insufficient', 'deprovisioned'] as const).find((c) => classes[c]?.applies && classes[c]!.statuses.includes('403'));
    const token = cls ? ctx.creds.classCredentials[cls] : undefined;
    if (token) out[`${op.method.toUpperCase()} ${op.path}`] = `${ctx.scheme.prefix}${token}`;
  }
  return out;
}

function headerScheme(contract: Contract): SecurityScheme {
  const schemes = Object.values(contract.securitySchemes);
  return schemes.find((s) => s.in === 'header' && (s.paramName ?? '').toLowerCase() === 'authorization') ?? schemes[0]!;
}

// ---- the three tools -----------------------------------------------------------------------------

async function runOurs(ctx: Ctx, operationIds?: string[]): Promise<ToolRun> {
  const { run } = await testApi(ctx.api, ctx.mock.url, { include: operationIds, concurrency: '8', timeout: '10000' }, { issued: ctx.creds });
  const failures = new Map<string, string>();
  // Every case kind is judged by status-declared once, so its results count the requests sent.
  const sent = run.results.filter((r) => r.check === 'status-declared' && r.status !== 'skipped').length;
  for (const r of run.results) {
    const key = `${r.operationId} ${r.case}:${r.mutation ?? r.credentialClass ?? ''}`;
    if (r.status !== 'failed') continue;
    failures.set(`${r.operationId} ${r.check} ${key}`, `${r.operationId} ${r.check}: ${r.message ?? ''}`.slice(0, 240));
  }
  return { failures, sent };
}

interface Violation {
  location?: string[];
  code?: string | number;
  message?: string;
  severity?: string;
}

/** Our runner's own request plan, sent through Prism's proxy: only Prism's response violations count. */
async function runPrism(ctx: Ctx, operationIds?: string[]): Promise<ToolRun> {
  const operations = operationIds ? ctx.contract.operations.filter((o) => operationIds.includes(o.id)) : ctx.contract.operations;
  const cases = planCases(ctx.contract, { credentials: () => ctx.creds.valid, validators, operations, classCredentials: ctx.creds.classCredentials }).filter((c) => !c.skipReason);
  const sender = new Sender({ baseUrl: ctx.proxy!.url, timeoutMs: 15_000 });
  const failures = new Map<string, string>();
  const one = async (rc: (typeof cases)[number]) => {
    const res = await sender.send(rc);
    const header = res.headers['sl-violations'];
    if (!header) return;
    let list: Violation[] = [];
    try {
      list = JSON.parse(header.replace(/^Too many violations! /, '')) as Violation[];
    } catch {
      list = [{ location: ['response'], message: header.slice(0, 200) }];
    }
    for (const v of list.filter((x) => x.location?.[0] === 'response')) {
      const key = `${rc.operation.id} ${rc.kind}:${rc.mutation ?? rc.credentialClass ?? ''} ${v.code ?? ''} ${(v.location ?? []).join('.')}`;
      failures.set(key, `${rc.operation.id} (${res.status}) ${(v.location ?? []).join('.')}: ${v.message ?? ''} [${v.severity ?? ''}]`.slice(0, 240));
    }
  };
  try {
    // Same concurrency as our runner gets here (8); deletes one at a time, last.
    const others = cases.filter((c) => c.operation.method !== 'delete');
    let next = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < others.length) await one(others[next++]!);
    }));
    for (const rc of cases.filter((c) => c.operation.method === 'delete')) await one(rc);
  } finally {
    await sender.close();
  }
  return { failures, sent: cases.length };
}

/** Dredd on the 3.0 down-conversion, with the documented-practice hooks in bench/dredd-hooks.cjs. */
async function runDredd(ctx: Ctx, operationIds?: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<ToolRun> {
  const d = ctx.dredd!;
  const spec = operationIds ? d.perOp(operationIds[0]!) : d.full;
  const open = ctx.contract.operations.filter((o) => !isSecured(o)).map((o) => `${o.method.toUpperCase()} ${o.path}`);
  const args = [
    d.bin,
    spec,
    ctx.mock.url,
    `--hookfiles=${path.join(packageRoot, 'bench/dredd-hooks.cjs')}`,
    '--header',
    `Authorization: ${ctx.scheme.prefix}${ctx.creds.valid}`,
    '--loglevel=error',
    '--color=false',
  ];
  const env = {
    ...process.env,
    DREDD_OPEN_OPERATIONS: JSON.stringify(open),
    DREDD_FORBIDDEN_AUTHORIZATION: JSON.stringify(forbiddenByOperation(ctx)),
    DREDD_LOG_OPERATIONS: '1',
    NO_COLOR: '1',
    ...extraEnv,
  };
  // Asynchronous: the other detection lane keeps running in this process meanwhile.
  const r = await runTimed(process.execPath, args.slice(), env, 240_000, { stdoutToFile: true });
  const out = `${r.stdout}\n${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
  const complete = /complete: (\d+) passing, (\d+) failing, (\d+) errors, (\d+) skipped/.exec(out);
  if (!complete) {
    const why = out.split('\n').filter((l) => /^(error|fail):|Error|ECONN/.test(l)).slice(0, 3).join(' | ') || out.trim().split('\n').slice(-3).join(' | ');
    return { failures: new Map(), sent: 0, error: `Dredd did not complete (exit ${r.code}): ${why.slice(0, 400)}` };
  }
  // "fail: GET (200) /path duration: 5ms" opens each failure; its detail lines "fail: body: …" follow
  // in the summary at the end. One signature per transaction and detail message.
  const details = new Map<string, Set<string>>();
  // Further messages of the same failure follow on unprefixed lines, up to its "request:" block.
  let current: string | undefined;
  let inMessages = false;
  for (const line of out.split('\n')) {
    const head = /^(fail|error): (\w+) \((\d+)\) (\S+)/.exec(line);
    if (head) {
      current = `${head[2]} (${head[3]}) ${head[4]!.split('?')[0]}`;
      if (!details.has(current)) details.set(current, new Set());
      inMessages = false;
      continue;
    }
    if (/^request:/.test(line)) inMessages = false;
    const detail = /^(?:fail: )?(headers|body|statusCode|status|uri|method): (.+)$/.exec(line);
    if (detail && current && (line.startsWith('fail: ') || inMessages)) {
      details.get(current)!.add(`${detail[1]}: ${detail[2]}`);
      inMessages = true;
    }
  }
  const failures = new Map<string, string>();
  for (const [txn, messages] of details) {
    if (messages.size === 0) failures.set(txn, txn);
    for (const m of messages) failures.set(`${txn} ${m}`, `${txn} — ${m}`.slice(0, 240));
  }
  const operations = new Set([...out.matchAll(/^BENCH-DREDD-RAN (\S+) (\S+)$/gm)].map((m) => `${m[1]} ${m[2]}`));
  return { failures, sent: Number(complete[1]) + Number(complete[2]) + Number(complete[3]), operations, seconds: r.wallSeconds, peakRssMb: r.peakRssMb };
}

// ---- one API ----------------------------------------------------------------------------------

const without = (after: ToolRun, before: ToolRun) => [...after.failures].filter(([k]) => !before.failures.has(k));

export type FalsePositives = ApiDetection['falsePositives'][ToolName];

/** Splits a run on the correct mock into false positives and findings on known mock discrepancies. */
function classifyCorrectRun(apiName: string, contract: Contract, t: ToolName, r: ToolRun, seconds: number): FalsePositives {
  const known = KNOWN_MOCK_DISCREPANCIES[apiName] ?? {};
  const opOf = (sig: string) => (t === 'dredd' ? operationOfDredd(contract, sig) : sig.split(' ')[0]);
  const real = [...r.failures].filter(([sig]) => !(opOf(sig)! in known));
  const knownHits = [...new Set([...r.failures.keys()].map(opOf).filter((o): o is string => !!o && o in known))];
  log(`${apiName}: ${t} on the correct mock, all operations: ${real.length} false positive(s), ${r.failures.size - real.length} on known mock discrepancies, ${r.sent} sent, ${seconds.toFixed(1)} s${r.error ? ` — ${r.error}` : ''}`);
  return { count: real.length, sent: r.sent, examples: real.map(([, m]) => m).slice(0, 6), knownDiscrepancies: r.failures.size - real.length, knownHits, seconds, error: r.error };
}

/**
 * Dredd over every operation of one API against a running correct stateful mock (reset first):
 * its false positives, the operations it exercised, and its wall time and peak RSS.
 */
export async function dreddFullRun(apiName: string, mockUrl: string): Promise<{ fp: FalsePositives; operations: string[]; seconds?: number; peakRssMb?: number } | { missing: string }> {
  const found = locateDredd();
  if (!('bin' in found)) return { missing: found.missing };
  const [api] = selectApis(projectPaths(), [apiName]);
  const contract = await loadContract(api!);
  const tmp = tmpDir(`bench-dredd-${apiName}-`);
  try {
    const full = path.join(tmp, `${apiName}.oas30.json`);
    fs.writeFileSync(full, JSON.stringify(toOpenApi30(contract.document).document, null, 1));
    const ctx: Ctx = {
      api: api!,
      contract,
      mock: { url: mockUrl } as Service,
      creds: { valid: '', classCredentials: {} },
      scheme: headerScheme(contract),
      tmp,
      dredd: { bin: found.bin, full, perOp: () => full, lossy: {} },
    };
    await freshCredentials(ctx);
    const r = await runDredd(ctx);
    return { fp: classifyCorrectRun(apiName, contract, 'dredd', r, r.seconds ?? 0), operations: [...(r.operations ?? [])].sort(), seconds: r.seconds, peakRssMb: r.peakRssMb };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export async function detectApi(apiName: string, opts: { tools?: readonly ToolName[]; dreddFullRun?: boolean } = {}): Promise<ApiDetection> {
  const tools = opts.tools ?? TOOLS;
  const [api] = selectApis(projectPaths(), [apiName]);
  const contract = await loadContract(api!);
  const operationId = TARGETS[apiName]!;
  const op = contract.operations.find((o) => o.id === operationId);
  if (!op) throw new Error(`${apiName}: target operation ${operationId} not found`);
  const tmp = tmpDir(`bench-detect-${apiName}-`);
  const result: ApiDetection = {
    api: apiName,
    operationId,
    outcomes: {} as ApiDetection['outcomes'],
    falsePositives: {} as ApiDetection['falsePositives'],
  };
  const mock = await startStatefulProcess(apiName);
  const ctx: Ctx = { api: api!, contract, mock, creds: { valid: '', classCredentials: {} }, scheme: headerScheme(contract), tmp };
  try {
    await freshCredentials(ctx);
    if (tools.includes('prism')) {
      const bundle = path.join(tmp, `${apiName}.openapi.json`);
      fs.writeFileSync(bundle, JSON.stringify(contract.document));
      ctx.proxy = await startPrism(['proxy', bundle, mock.url, '--errors'], await freePort());
    }
    const dreddFound = locateDredd();
    if (tools.includes('dredd') && 'bin' in dreddFound) {
      const { document, lossy } = toOpenApi30(contract.document);
      const full = path.join(tmp, `${apiName}.oas30.json`);
      fs.writeFileSync(full, JSON.stringify(document, null, 1));
      const perOp = (id: string) => {
        const file = path.join(tmp, `${apiName}.${id}.oas30.json`);
        if (!fs.existsSync(file)) fs.writeFileSync(file, JSON.stringify(pruneComponents(onlyOperations(document, new Set([id]))), null, 1));
        return file;
      };
      ctx.dredd = { bin: dreddFound.bin, full, perOp, lossy };
      result.dreddLossy = lossy;
    }
    const available = (t: ToolName) => tools.includes(t) && (t !== 'dredd' || ctx.dredd !== undefined);
    const runTool = (t: ToolName, ids?: string[]) => (t === 'ours' ? runOurs(ctx, ids) : t === 'dredd' ? runDredd(ctx, ids) : runPrism(ctx, ids));

    // False positives: every operation, correct mock, fresh state before each tool.
    for (const t of TOOLS) {
      if (!available(t)) {
        result.falsePositives[t] = { count: 0, sent: 0, examples: [], knownDiscrepancies: 0, seconds: 0, error: t === 'dredd' ? ((dreddFound as { missing?: string }).missing ?? 'not run') : 'not run' };
        continue;
      }
      if (t === 'dredd' && opts.dreddFullRun === false) continue; // measured by the speed phase (bench/speed.ts)
      await freshCredentials(ctx);
      const started = performance.now();
      const r = await runTool(t);
      result.falsePositives[t] = classifyCorrectRun(apiName, contract, t, r, (performance.now() - started) / 1000);
      if (t === 'dredd') result.dreddOperations = [...(r.operations ?? [])].sort();
    }

    // Baseline on the target operation, then each fault on it.
    await freshCredentials(ctx);
    const baseline = new Map<ToolName, ToolRun>();
    for (const t of TOOLS) if (available(t)) baseline.set(t, await runTool(t, [operationId]));
    const baselines = new Map<string, Map<ToolName, ToolRun>>([[operationId, baseline]]);
    if (ctx.dredd) result.dreddWithoutCharsetHook = (await runDredd(ctx, [operationId], { DREDD_KEEP_CHARSET: '1' })).failures.size;
    for (const kind of RESPONSE_FAULT_KINDS) {
      const target = FAULT_TARGETS[kind]?.[apiName] ?? operationId;
      const targetOp = contract.operations.find((o) => o.id === target)!;
      const na = applicability(contract, targetOp, kind);
      const row = {} as ApiDetection['outcomes'][ResponseFaultKind];
      await control(mock.url, 'DELETE', 'faults');
      if (!na && target !== operationId && !baselines.has(target)) {
        // A fault measured on another operation is compared with that operation's own baseline.
        await freshCredentials(ctx);
        const own = new Map<ToolName, ToolRun>();
        for (const t of TOOLS) if (available(t)) own.set(t, await runTool(t, [target]));
        baselines.set(target, own);
      }
      if (!na) await control(mock.url, 'POST', 'faults', { operationId: target, kind });
      for (const t of TOOLS) {
        if (na) {
          row[t] = { outcome: 'n/a', reason: na };
          continue;
        }
        if (!available(t)) {
          row[t] = { outcome: 'error', reason: 'tool not available' };
          continue;
        }
        const r = await runTool(t, [target]);
        const fresh = without(r, baselines.get(target)!.get(t)!);
        if (r.error) row[t] = { outcome: 'error', reason: r.error };
        else if (fresh.length > 0) row[t] = { outcome: 'detected', evidence: fresh[0]![1] };
        else if (NOT_EXPRESSIBLE[t]?.[kind]) row[t] = { outcome: 'not expressible', reason: NOT_EXPRESSIBLE[t]![kind] };
        else row[t] = { outcome: 'missed' };
      }
      result.outcomes[kind] = row;
      log(`${apiName} ${target} ${kind}: ${TOOLS.map((t) => `${t} ${row[t].outcome}`).join(', ')}`);
    }
    await control(mock.url, 'DELETE', 'faults');
  } finally {
    await ctx.proxy?.stop();
    await mock.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return result;
}

/**
 * One fault kind on one API, every tool: the fault's target operation (FAULT_TARGETS, else the
 * API's representative one) run before and with the fault on. For measuring a new fault kind
 * without the full bench (`node --import tsx bench/detection.ts --fault ignores-ownership defguard`).
 */
export async function detectFault(apiName: string, kind: ResponseFaultKind): Promise<{ target: string; row: ApiDetection['outcomes'][ResponseFaultKind] }> {
  const [api] = selectApis(projectPaths(), [apiName]);
  const contract = await loadContract(api!);
  const target = FAULT_TARGETS[kind]?.[apiName] ?? TARGETS[apiName]!;
  const op = contract.operations.find((o) => o.id === target)!;
  const row = {} as ApiDetection['outcomes'][ResponseFaultKind];
  const na = applicability(contract, op, kind);
  if (na) {
    for (const t of TOOLS) row[t] = { outcome: 'n/a', reason: na };
    return { target, row };
  }
  const tmp = tmpDir(`bench-fault-${apiName}-`);
  const mock = await startStatefulProcess(apiName);
  const ctx: Ctx = { api: api!, contract, mock, creds: { valid: '', classCredentials: {} }, scheme: headerScheme(contract), tmp };
  try {
    const bundle = path.join(tmp, `${apiName}.openapi.json`);
    fs.writeFileSync(bundle, JSON.stringify(contract.document));
    ctx.proxy = await startPrism(['proxy', bundle, mock.url, '--errors'], await freePort());
    const dreddFound = locateDredd();
    if ('bin' in dreddFound) {
      const { document, lossy } = toOpenApi30(contract.document);
      const file = path.join(tmp, `${apiName}.${target}.oas30.json`);
      fs.writeFileSync(file, JSON.stringify(pruneComponents(onlyOperations(document, new Set([target]))), null, 1));
      ctx.dredd = { bin: dreddFound.bin, full: file, perOp: () => file, lossy };
    }
    const runTool = (t: ToolName) => (t === 'ours' ? runOurs(ctx, [target]) : t === 'dredd' ? runDredd(ctx, [target]) : runPrism(ctx, [target]));
    for (const t of TOOLS) {
      if (t === 'dredd' && !ctx.dredd) {
        row[t] = { outcome: 'error', reason: 'tool not available' };
        continue;
      }
      await freshCredentials(ctx);
      const before = await runTool(t);
      await control(mock.url, 'POST', 'faults', { operationId: target, kind });
      const after = await runTool(t);
      await control(mock.url, 'DELETE', 'faults');
      const fresh = without(after, before);
      if (after.error) row[t] = { outcome: 'error', reason: after.error };
      else if (fresh.length > 0) row[t] = { outcome: 'detected', evidence: fresh[0]![1] };
      else if (NOT_EXPRESSIBLE[t]?.[kind]) row[t] = { outcome: 'not expressible', reason: NOT_EXPRESSIBLE[t]![kind] };
      else row[t] = { outcome: 'missed' };
      log(`${apiName} ${target} ${kind}: ${t} ${row[t].outcome}`);
    }
  } finally {
    await ctx.proxy?.stop();
    await mock.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return { target, row };
}

/** Dredd's failure signature `GET (200) /api/v1/user/alice …` → the operation it belongs to. */
function operationOfDredd(contract: Contract, sig: string): string | undefined {
  const m = /^(\w+) \(\d+\) (\S+)/.exec(sig);
  if (!m) return undefined;
  const [, method, url] = m;
  const hit = contract.operations.find(
    (o) => o.method.toUpperCase() === method && new RegExp(`^${o.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`).test(url!),
  );
  return hit?.id;
}

/**
 * Every API, in two lanes (the largest contract alone, the three others in turn): the runs are
 * mostly waiting on child processes, and two lanes keep the whole bench well under ten minutes.
 */
export async function runDetection(apis = Object.keys(TARGETS), opts: { dreddFullRun?: boolean } = {}): Promise<ApiDetection[]> {
  const heavy = apis.filter((a) => a === 'defguard');
  const light = apis.filter((a) => a !== 'defguard');
  const lane = async (names: string[]) => {
    const out: ApiDetection[] = [];
    for (const api of names) out.push(await detectApi(api, opts));
    return out;
  };
  const [a, b] = await Promise.all([lane(heavy), lane(light)]);
  return apis.map((name) => [...a, ...b].find((r) => r.api === name)!);
}

// ---- tables ------------------------------------------------------------------------------------

const SYMBOL: Record<Outcome, string> = { detected: '✅', missed: '❌', 'not expressible': '⛔', 'n/a': '–', error: '⚠️' };

/** fault kind × tool: detected on how many of the APIs where the fault applies. */
export function detectionTable(results: ApiDetection[]): string {
  const lines = [`| fault kind | ${TOOLS.map(toolTitle).join(' | ')} |`, `|---|${TOOLS.map(() => '---').join('|')}|`];
  for (const kind of RESPONSE_FAULT_KINDS) {
    const cells = TOOLS.map((t) => {
      const outs = results.map((r) => r.outcomes[kind]?.[t]?.outcome).filter((o): o is Outcome => !!o && o !== 'n/a');
      if (outs.length === 0) return 'n/a';
      const n = (o: Outcome) => outs.filter((x) => x === o).length;
      const parts: string[] = [];
      if (n('detected')) parts.push(`detected ${n('detected')}/${outs.length}`);
      if (n('missed')) parts.push(`missed ${n('missed')}/${outs.length}`);
      if (n('not expressible')) parts.push(`not expressible ${n('not expressible')}/${outs.length}`);
      if (n('error')) parts.push(`error ${n('error')}/${outs.length}`);
      const symbol = n('detected') === outs.length ? '✅ ' : n('detected') === 0 ? (n('not expressible') === outs.length ? '⛔ ' : '❌ ') : '◐ ';
      return symbol + parts.join(', ');
    });
    lines.push(`| ${FAULT_LABELS[kind]} | ${cells.join(' | ')} |`);
  }
  const fp = TOOLS.map((t) => {
    const total = results.reduce((s, r) => s + (r.falsePositives[t]?.count ?? 0), 0);
    const known = results.reduce((s, r) => s + (r.falsePositives[t]?.knownDiscrepancies ?? 0), 0);
    const errs = results.filter((r) => r.falsePositives[t]?.error).map((r) => r.api);
    return `**${total}**${known ? ` (+${known} on known mock discrepancies)` : ''}${errs.length ? ` — did not run on ${errs.join(', ')}` : ''}`;
  });
  lines.push(`| *false positives on the correct mocks (all operations, 4 APIs)* | ${fp.join(' | ')} |`);
  return lines.join('\n');
}

/** Per API: each fault on its target operation, one symbol per tool (ours / Dredd / Prism). */
export function perApiTable(results: ApiDetection[]): string {
  const head = `| fault kind | ${results.map((r) => `${r.api} \`${r.operationId}\``).join(' | ')} |`;
  const lines = [head, `|---|${results.map(() => '---').join('|')}|`];
  for (const kind of RESPONSE_FAULT_KINDS) {
    lines.push(`| ${FAULT_LABELS[kind]} | ${results.map((r) => TOOLS.map((t) => SYMBOL[r.outcomes[kind]?.[t]?.outcome ?? 'error']).join(' ')).join(' | ')} |`);
  }
  lines.push(`| false positives (all operations) | ${results.map((r) => TOOLS.map((t) => (r.falsePositives[t]?.error ? '—' : String(r.falsePositives[t]?.count ?? '—'))).join(' / ')).join(' | ')} |`);
  lines.push(`| findings on known mock discrepancies | ${results.map((r) => TOOLS.map((t) => (r.falsePositives[t]?.error ? '—' : String(r.falsePositives[t]?.knownDiscrepancies ?? '—'))).join(' / ')).join(' | ')} |`);
  return lines.join('\n');
}

export function toolTitle(t: ToolName): string {
  if (t === 'ours') return 'ours (`contracts test`)';
  if (t === 'dredd') {
    const d = locateDredd();
    return `Dredd ${'version' in d ? d.version : '(missing)'}`;
  }
  return `Prism ${prismVersion()} proxy \`--errors\``;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href && process.argv[2] === '--fault') {
  const kind = process.argv[3] as ResponseFaultKind;
  if (!RESPONSE_FAULT_KINDS.includes(kind)) throw new Error(`--fault takes one of: ${RESPONSE_FAULT_KINDS.join(', ')}`);
  for (const api of process.argv.slice(4).length > 0 ? process.argv.slice(4) : Object.keys(TARGETS)) {
    const { target, row } = await detectFault(api, kind);
    console.log(`${api} ${target} ${kind}: ${TOOLS.map((t) => `${t} ${row[t].outcome}${row[t].reason ? ` (${row[t].reason})` : ''}${row[t].evidence ? ` — ${row[t].evidence}` : ''}`).join('; ')}`);
  }
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const apis = process.argv.slice(2);
  const results = await runDetection(apis.length > 0 ? apis : undefined);
  console.log(detectionTable(results));
  console.log();
  console.log(perApiTable(results));
  console.log(JSON.stringify(results, null, 1));
}
