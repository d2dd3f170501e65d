import { Command, CommanderError, Option } from 'commander';
import path from 'node:path';
import type { RunOptions } from './commands/run.ts';
import { DEFAULT_CONFIG_FILE } from './config-name.ts';
import { ConfigError, ContractsError, UsageError } from '../core/errors.ts';
import { packageRoot, projectPaths, relativeToRoot, type ProjectPaths } from '../core/paths.ts';

// Each command's modules are imported when the command runs, not here: `contracts --help` (and any
// one command) then loads only what it uses, which keeps start-up near a bare `node`.

const DEFAULT_FIRST_PORT = 4010;

/** Runs the CLI and returns the exit code: 0 passed, 1 a check failed, 2 usage/spec/target error. */
export async function main(argv: string[]): Promise<number> {
  const out = (text: string) => process.stdout.write(`${text}\n`);
  const err = (text: string) => process.stderr.write(`${text}\n`);
  let exitCode = 0;
  const program = new Command('contracts')
    .description('API contracts for security products: lint, types, mocks and conformance checks.')
    .option('--root <dir>', 'project folder holding specs/ and generated/', packageRoot)
    .option('--config <file>', `settings of test and mock per API and environment (default: ./${DEFAULT_CONFIG_FILE} when present); options on the command line override it`)
    .option('--env <name>', 'environment of the config file whose settings apply (e.g. staging, prod)')
    .exitOverride()
    // --config and --env belong to every command that reads the file; its help lists them.
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  const paths = (): ProjectPaths => projectPaths(path.resolve(program.opts<{ root: string }>().root));
  // Read only by the commands it has settings for, so a broken file does not stop `lint`.
  const config = async (p: ProjectPaths) => {
    const { config: explicit, env } = program.opts<{ config?: string; env?: string }>();
    const { loadConfig } = await import('./config.ts');
    const { discoverApis } = await import('../core/contract/discover.ts');
    return loadConfig({ explicit, env, knownApis: discoverApis(p).map((a) => a.name) });
  };
  const fromConfig = `\nSettings not given here come from ${DEFAULT_CONFIG_FILE} (or --config <file>; for --env <name>\nthose of that environment); an option given here overrides the file.`;

  program
    .command('lint')
    .description('lint every contract (Redocly recommended-strict plus the contract rules)')
    .argument('[apis...]', 'API names (folders under specs/); all when omitted')
    .action(async (names: string[]) => {
      const { runLint } = await import('./commands/lint.ts');
      exitCode = await runLint(paths(), names, out);
    });

  program
    .command('generate')
    .description('write TypeScript types of each contract to generated/<api>.ts, and generated/index.ts listing the APIs')
    .argument('[apis...]', 'API names; all when omitted')
    .option('--check', 'do not write; fail when generated types are stale')
    .action(async (names: string[], opts: { check?: boolean }) => {
      const { runGenerate } = await import('./commands/generate.ts');
      exitCode = await runGenerate(paths(), names, opts.check === true, out);
    });

  program
    .command('bundle')
    .description('write one bundled, self-contained document per API')
    .argument('[apis...]', 'API names; all when omitted')
    .option('--out <dir>', 'output folder (default: build/)')
    .action(async (names: string[], opts: { out?: string }) => {
      const { bundleApis } = await import('./commands/bundle.ts');
      const { selectApis } = await import('../core/contract/discover.ts');
      const p = paths();
      const written = await bundleApis(p, selectApis(p, names), opts.out ? path.resolve(opts.out) : undefined);
      for (const [api, file] of written) out(`${api}  ${relativeToRoot(p, file)}`);
    });

  program
    .command('mock')
    .description('serve mocks of one API, or of all with --all, until interrupted')
    .argument('[apis...]', 'API names')
    .option('--all', 'serve every API, on consecutive ports')
    .option('--port <n>', 'port of the first mock', String(DEFAULT_FIRST_PORT))
    .option('--stateful', 'serve the stateful mocks (remembering state, enforcing auth as the contract states) instead of Prism')
    .option('--no-stateful', 'serve Prism even when the config file says stateful')
    .option('--seed <file>', 'with --stateful: start from this state (JSON/YAML): GET /__control/state\'s answer when one API is mocked, or { <api>: <state>, ... }')
    .option('--no-rate-limit', 'with --stateful: do not apply the services\' request rate limits')
    .option('--no-cors', 'with --stateful: send no CORS headers (by default any browser origin may call the mock)')
    .addHelpText('after', fromConfig)
    .action(async (names: string[], given: { all?: boolean; port: string; stateful?: boolean; seed?: string; rateLimit: boolean; cors: boolean }, cmd: Command) => {
      if (names.length === 0 && !given.all) throw new UsageError('name an API to mock, or pass --all');
      if (names.length > 0 && given.all) throw new UsageError('pass either API names or --all, not both');
      const { formatMockTable, parsePort, startMocks, stopMocks } = await import('./commands/mock.ts');
      const { frontendGuide, readSeedFile, startStatefulMocks } = await import('./commands/stateful.ts');
      const { hasStatefulMock } = await import('../../mocks/registry.ts');
      const { selectApis } = await import('../core/contract/discover.ts');
      const { overlay } = await import('./config.ts');
      const p = paths();
      const file = (await config(p))?.mock ?? {};
      const opts = overlay({ port: file.port, stateful: file.stateful }, given, (key) => cmd.getOptionValueSource(key));
      // The file's seed is for the stateful mocks; one named on the command line asks for them.
      if (given.seed && !opts.stateful) throw new UsageError('--seed needs --stateful');
      if (opts.stateful && !opts.seed && file.seed) opts.seed = file.seed;
      const first = parsePort(opts.port);
      const selected = selectApis(p, names);
      // `--all --stateful` serves every API that has a stateful mock and says which have none; an
      // API named on the command line without one is an error (startStatefulMocks).
      const apis = opts.stateful && opts.all ? selected.filter((a) => hasStatefulMock(a.name)) : selected;
      const stateful = opts.stateful
        ? await startStatefulMocks(apis, (i) => first + i, { seed: opts.seed ? readSeedFile(opts.seed) : undefined, rateLimit: opts.rateLimit, cors: opts.cors })
        : undefined;
      const mocks = stateful ?? (await startMocks(p, apis, (i) => first + i));
      out(formatMockTable(mocks));
      if (stateful) {
        try {
          out(`\n${await frontendGuide(stateful)}\n`);
          const without = selected.filter((a) => !apis.includes(a)).map((a) => a.name);
          if (without.length > 0) out(`No stateful mock (serve the contract-only one with \`contracts mock <api>\`): ${without.join(', ')}\n`);
        } catch (e) {
          await stopMocks(mocks);
          throw e;
        }
      }
      out('Press Ctrl+C to stop.');
      await waitForSignal();
      await stopMocks(mocks);
    });

  program
    .command('docs')
    .description('build the reference docs (one page per API + index) into docs-site/; --serve also serves them next to Prism mocks')
    .argument('[apis...]', 'API names; all when omitted')
    .option('--serve', 'serve the site and a Prism mock of each API until interrupted')
    .option('--port <n>', 'port of the docs server with --serve; the mocks take the next ports', '4000')
    .action(async (names: string[], opts: { serve?: boolean; port: string }) => {
      const { buildDocs, formatDocsTable, serveStatic } = await import('../engines/docs/build.ts');
      const { parsePort, startMocks, stopMocks } = await import('./commands/mock.ts');
      const { selectApis } = await import('../core/contract/discover.ts');
      const p = paths();
      const apis = selectApis(p, names);
      const started = performance.now();
      if (!opts.serve) {
        const site = await buildDocs(p, apis);
        for (const a of site.apis) out(`${a.api}  ${relativeToRoot(p, a.file)}  (${a.operations} operations)`);
        out(`docs: ${relativeToRoot(p, site.index)} and ${site.apis.length} API pages in ${((performance.now() - started) / 1000).toFixed(1)}s`);
        return;
      }
      const port = parsePort(opts.port);
      const mocks = await startMocks(p, apis, (i) => port + 1 + i);
      try {
        const site = await buildDocs(p, apis, { mockUrls: new Map(mocks.map((m) => [m.api, m.url])) });
        const server = await serveStatic(site.outDir, port);
        out(formatDocsTable(site, server.url));
        out('Press Ctrl+C to stop.');
        await waitForSignal();
        await server.close();
      } finally {
        await stopMocks(mocks);
      }
    });

  const collect = (value: string, previous: string[] = []) => [...previous, value];
  program
    .command('test')
    .description('check an implementation (or, without --target, the mocks) against the contract')
    .argument('[apis...]', 'API names or paths to OpenAPI files; all when omitted (mocks only)')
    .option('--target <url>', 'base URL of the implementation (one API); default: start mocks')
    .option('--token-env <name>', 'environment variable holding the credential (default: <API>_TOKEN)')
    .option('--credentials <file>', 'YAML file of named credentials (values env:NAME or file:path)')
    .option('--credential <name>', 'which credential of the file to use (default: the first)')
    .option('--api-version <v>', 'only operations of this API version (none, v1, v2, ...)')
    .option('--include <selector>', 'only these operations: operationId, tag or path glob (repeatable)', collect)
    .option('--exclude <selector>', 'skip these operations: operationId, tag or path glob (repeatable)', collect)
    .option('--report <format:path>', 'also write a report: json, junit, sarif, html, github or console; path - for standard output (repeatable)', collect)
    .option('--timeout <ms>', 'per-request timeout', '10000')
    .option('--concurrency <n>', 'requests in flight at once', '4')
    .option('--rate-limit <n/min>', 'at most n requests per minute (429 + Retry-After is always honoured)')
    .option('--ca <file>', 'PEM file of CAs to trust for the target')
    .option('--insecure', 'do not verify the target\'s TLS certificate')
    .option('--no-insecure', 'verify it even when the config file says insecure')
    .option('--allow-mutations', 'send state-changing requests to a non-local target')
    .option('--no-allow-mutations', 'do not, even when the config file allows them')
    .option('--min-coverage <percent>', 'exit 1 when fewer than this share of operations had their success response judged')
    .option('--prism', 'without --target: run against the contract-only Prism mocks instead of the stateful ones')
    .option('--shard <i/n>', 'run only shard i of n (split by operation; merge the JSON reports with merge-reports)')
    .option('--baseline <file>', 'findings listed there are reported as known; exit 1 only on new ones (or expired entries)')
    .option('--write-baseline <file>', 'write the findings of this run to a baseline file (reason and expires of existing entries are kept)')
    .addHelpText('after', `${fromConfig}\nWithout API names, the APIs the file has settings for are tested (all when it names none).`)
    .action(async (names: string[], given: RunOptions, cmd: Command) => {
      const { runTest } = await import('./commands/run.ts');
      const { overlay } = await import('./config.ts');
      const p = paths();
      const file = await config(p);
      const sourceOf = (key: string) => cmd.getOptionValueSource(key);
      const optionsFor = (api: string) => overlay(file?.testOptions(api) ?? {}, given, sourceOf);
      exitCode = await runTest(p, names.length > 0 ? names : (file?.apis ?? []), optionsFor, out, err, { targetOnCommandLine: given.target !== undefined });
    });

  program
    .command('merge-reports')
    .description('merge the JSON reports of a sharded run (test --shard i/n) into one run: printed, written in any format, same exit code as unsharded')
    .argument('<json...>', 'JSON reports of every shard (--report json:<path>)')
    .option('--report <format:path>', 'write a report: json, junit, sarif, html, github or console; path - for standard output (repeatable)', collect)
    .option('--min-coverage <percent>', 'exit 1 when fewer than this share of operations had their success response judged')
    .option('--baseline <file>', 'judge the merged findings against this baseline (else as the shards were judged)')
    .option('--write-baseline <file>', 'write the merged findings to a baseline file')
    .action(async (files: string[], opts: { report?: string[]; minCoverage?: string; baseline?: string; writeBaseline?: string }) => {
      const { mergeReportsCommand } = await import('./commands/merge-reports.ts');
      exitCode = mergeReportsCommand(paths(), files, opts, out);
    });

  program
    .command('check-traffic')
    .description('validate recorded traffic (HAR 1.2) against the contract with the runner\'s checks')
    .argument('<api>', 'API name (folder under specs/)')
    .argument('<har>', 'HAR file (e.g. exported from browser dev tools or a proxy)')
    .option('--report <format:path>', 'also write a report: json, junit, sarif, html, github or console; path - for standard output (repeatable)', collect)
    .option('--ignore-unknown', 'leave out requests that match no operation instead of reporting operation-unknown')
    .option('--min-coverage <percent>', "exit 1 when the recording exercised fewer than this share of the contract's operations with a judged success answer")
    .action(async (api: string, har: string, opts: { report?: string[]; ignoreUnknown?: boolean; minCoverage?: string }) => {
      const { checkTrafficCommand } = await import('./commands/check-traffic.ts');
      exitCode = await checkTrafficCommand(paths(), api, har, opts, out);
    });

  program
    .command('diff')
    .description('classify the changes between two contracts: breaking, non-breaking, info')
    .argument('<old>', 'spec path, API name, <api>@<git ref> or <api>@<released version>')
    .argument('<new>', 'spec path, API name, <api>@<git ref> or <api>@<released version>')
    .option('--format <format>', 'standard output: text, json or markdown', 'text')
    .option('--report <format:path>', 'also write a report: json, junit, sarif, html, github or console; path - for standard output (repeatable)', collect)
    .option('--fail-on <level>', 'exit 1 when changes of this level (or worse) exist: breaking or non-breaking', 'breaking')
    .option('--operation <old=new>', 'compare only these operations (operationId or "GET /path" each side; repeatable)', collect)
    .action(async (oldSpec: string, newSpec: string, opts: { format: string; failOn: string; operation?: string[]; report?: string[] }) => {
      const { diffCommand } = await import('./commands/diff.ts');
      const r = await diffCommand(paths(), oldSpec, newSpec, opts);
      out(r.output);
      exitCode = r.exitCode;
    });

  program
    .command('release-check')
    .description('check each contract against its last release tag: version bump, CHANGELOG entry')
    .argument('[apis...]', 'API names; all when omitted')
    .action(async (names: string[]) => {
      const { releaseCheckCommand } = await import('./commands/diff.ts');
      const { selectApis } = await import('../core/contract/discover.ts');
      const p = paths();
      const r = await releaseCheckCommand(p, selectApis(p, names));
      for (const line of r.lines) out(line);
      exitCode = r.exitCode;
    });

  program
    .command('start')
    .description('the main job: lint, check generated types, start mocks, run every check against each')
    .action(async () => {
      const { runStart } = await import('./commands/start.ts');
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
      // A config mistake is `file:line: key: ...`, which editors and CI annotations read as a place.
      err(e instanceof ConfigError ? e.message : `contracts: ${e.message}`);
      return e.exitCode;
    }
    const tool = missingTool(e);
    if (tool) {
      err(`contracts: this command needs '${tool}', one of the command-line tools; install them with: npm install --save-dev security-api-contracts-cli`);
      return 2;
    }
    err(`contracts: internal error: ${e instanceof Error ? e.message : String(e)}`);
    if (process.env.CONTRACTS_DEBUG || argv.includes('--debug')) err(String((e as Error).stack));
    else err('contracts: set CONTRACTS_DEBUG=1 for details');
    return 2;
  }
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

/**
 * The package a command could not load, when it is one of the CLI's tools: the library package
 * installs without them (they come with security-api-contracts-cli), so `contracts lint` in a project
 * that has only the library says what to install instead of printing a module-resolution error.
 */
function missingTool(e: unknown): string | undefined {
  if ((e as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') return undefined;
  const name = /Cannot find package '([^']+)'/.exec(String((e as Error).message))?.[1];
  return name && !name.startsWith('.') && !name.startsWith('/') ? name : undefined;
}
