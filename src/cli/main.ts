import { Command, CommanderError, Option } from 'commander';
import path from 'node:path';
import { formatRun, totals } from '../../conformance/reporters/console.ts';
import type { RunResult } from '../../conformance/run.ts';
import { bundleApis } from '../commands/bundle.ts';
import { generateTypes } from '../commands/generate.ts';
import { formatLintFinding, lintApis } from '../commands/lint.ts';
import { formatMockTable, parsePort, startMocks, stopMocks } from '../commands/mock.ts';
import { smokeApi } from '../commands/smoke.ts';
import { selectApis } from '../contract/discover.ts';
import { ContractsError, UsageError } from '../errors.ts';
import { freePort } from '../net.ts';
import { packageRoot, projectPaths, relativeToRoot, type ProjectPaths } from '../paths.ts';

const DEFAULT_FIRST_PORT = 4010;

/** Runs the CLI and returns the exit code: 0 passed, 1 a check failed, 2 usage/spec/target error. */
export async function main(argv: string[]): Promise<number> {
  const out = (text: string) => process.stdout.write(`${text}\n`);
  const err = (text: string) => process.stderr.write(`${text}\n`);
  let exitCode = 0;
  const program = new Command('contracts')
    .description('API contracts for security products: lint, types, mocks and conformance checks.')
    .option('--root <dir>', 'project folder holding specs/ and generated/', packageRoot)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  const paths = (): ProjectPaths => projectPaths(path.resolve(program.opts<{ root: string }>().root));

  program
    .command('lint')
    .description('lint every contract (Redocly recommended-strict plus the contract rules)')
    .argument('[apis...]', 'API names (folders under specs/); all when omitted')
    .action(async (names: string[]) => {
      exitCode = await runLint(paths(), names, out);
    });

  program
    .command('generate')
    .description('write TypeScript types of each contract to generated/<api>.ts')
    .argument('[apis...]', 'API names; all when omitted')
    .option('--check', 'do not write; fail when generated types are stale')
    .action(async (names: string[], opts: { check?: boolean }) => {
      exitCode = await runGenerate(paths(), names, opts.check === true, out);
    });

  program
    .command('bundle')
    .description('write one bundled, self-contained document per API')
    .argument('[apis...]', 'API names; all when omitted')
    .option('--out <dir>', 'output folder (default: build/)')
    .action(async (names: string[], opts: { out?: string }) => {
      const p = paths();
      const written = await bundleApis(p, selectApis(p, names), opts.out ? path.resolve(opts.out) : undefined);
      for (const [api, file] of written) out(`${api}  ${relativeToRoot(p, file)}`);
    });

  program
    .command('mock')
    .description('serve Prism mocks of one API, or of all with --all, until interrupted')
    .argument('[apis...]', 'API names')
    .option('--all', 'serve every API, on consecutive ports')
    .option('--port <n>', 'port of the first mock', String(DEFAULT_FIRST_PORT))
    .action(async (names: string[], opts: { all?: boolean; port: string }) => {
      if (names.length === 0 && !opts.all) throw new UsageError('name an API to mock, or pass --all');
      if (names.length > 0 && opts.all) throw new UsageError('pass either API names or --all, not both');
      const p = paths();
      const first = parsePort(opts.port);
      const mocks = await startMocks(p, selectApis(p, names), (i) => first + i);
      out(formatMockTable(mocks));
      out('Press Ctrl+C to stop.');
      await waitForSignal();
      await stopMocks(mocks);
    });

  program
    .command('smoke')
    .description('call every operation once and check the responses against the contract')
    .argument('[apis...]', 'API names; all when omitted')
    .option('--target <url>', 'base URL of the implementation (one API); default: start Prism mocks')
    .option('--allow-mutations', 'send state-changing requests to a non-local target')
    .action(async (names: string[], opts: { target?: string; allowMutations?: boolean }) => {
      exitCode = await runSmoke(paths(), names, opts, out);
    });

  program
    .command('start')
    .description('the main job: lint, check generated types, start mocks, smoke-check every API')
    .action(async () => {
      exitCode = await runStart(paths(), out);
    });

  program.addOption(new Option('--debug', 'print stack traces of internal errors').hideHelp());

  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof ContractsError) {
      err(`contracts: ${e.message}`);
      return e.exitCode;
    }
    err(`contracts: internal error: ${e instanceof Error ? e.message : String(e)}`);
    if (process.env.CONTRACTS_DEBUG || argv.includes('--debug')) err(String((e as Error).stack));
    else err('contracts: set CONTRACTS_DEBUG=1 for details');
    return 2;
  }
}

async function runLint(p: ProjectPaths, names: string[], out: (s: string) => void): Promise<number> {
  const apis = selectApis(p, names);
  const result = await lintApis(p, apis);
  for (const f of result.findings) out(formatLintFinding(f, p.root));
  out(`lint: ${apis.length} APIs, ${result.errors} errors, ${result.warnings} warnings`);
  return result.errors > 0 ? 1 : 0;
}

async function runGenerate(p: ProjectPaths, names: string[], check: boolean, out: (s: string) => void): Promise<number> {
  const outcomes = await generateTypes(p, selectApis(p, names), { check, allApis: names.length === 0 });
  let bad = 0;
  for (const o of outcomes) {
    const file = relativeToRoot(p, o.file);
    if (o.status === 'stale') out(`${file}: stale — the ${o.api} contract changed; run \`contracts generate\``);
    else if (o.status === 'missing') out(`${file}: missing — run \`contracts generate\``);
    else if (o.status === 'orphaned') out(`${file}: no contract named '${o.api}' exists any more; delete the file`);
    else out(`${file}: ${o.status}`);
    if (o.status === 'stale' || o.status === 'missing' || o.status === 'orphaned') bad++;
  }
  if (check) out(bad === 0 ? 'generate --check: types are up to date' : `generate --check: ${bad} file(s) out of date`);
  return bad > 0 ? 1 : 0;
}

async function runSmoke(
  p: ProjectPaths,
  names: string[],
  opts: { target?: string; allowMutations?: boolean },
  out: (s: string) => void,
): Promise<number> {
  const apis = selectApis(p, names);
  if (opts.target) {
    if (apis.length !== 1) throw new UsageError('--target needs exactly one API name');
    const run = await smokeApi(apis[0]!, opts.target, { allowMutations: opts.allowMutations });
    return reportRuns([run], p, out);
  }
  const mocks = await startMocks(p, apis, () => freePort());
  try {
    const runs: RunResult[] = [];
    for (const [i, api] of apis.entries()) runs.push(await smokeApi(api, mocks[i]!.url));
    return reportRuns(runs, p, out);
  } finally {
    await stopMocks(mocks);
  }
}

function reportRuns(runs: RunResult[], p: ProjectPaths, out: (s: string) => void): number {
  for (const run of runs) out(formatRun(run, p.root));
  const t = totals(runs.flatMap((r) => r.results));
  out(`${t.passed} passed, ${t.failed} failed${t.skipped ? `, ${t.skipped} skipped` : ''}`);
  return t.failed > 0 ? 1 : 0;
}

async function runStart(p: ProjectPaths, out: (s: string) => void): Promise<number> {
  const started = performance.now();
  const step = (title: string) => out(`\n== ${title}`);
  step('lint');
  if ((await runLint(p, [], out)) !== 0) return 1;
  step('generated types');
  if ((await runGenerate(p, [], true, out)) !== 0) return 1;
  step('mocks');
  const apis = selectApis(p, []);
  const mocks = await startMocks(p, apis, () => freePort());
  try {
    out(formatMockTable(mocks));
    out(`Prism start-up: ${mocks.map((m) => `${m.api} ${(m.startupMs / 1000).toFixed(1)}s`).join(', ')}`);
    step('smoke check');
    const runs: RunResult[] = [];
    for (const [i, api] of apis.entries()) runs.push(await smokeApi(api, mocks[i]!.url));
    const code = reportRuns(runs, p, out);
    out(`start: finished in ${((performance.now() - started) / 1000).toFixed(1)}s`);
    return code;
  } finally {
    await stopMocks(mocks);
  }
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
