import { formatRunSummary, totals } from '../../../conformance/reporters/console.ts';
import { selectApis } from '../../core/contract/discover.ts';
import type { ProjectPaths } from '../../core/paths.ts';
import { runGenerate } from './generate.ts';
import { runLint } from './lint.ts';
import { reportRuns, runAgainstPrism, runAgainstStateful } from './run.ts';

/**
 * `contracts start`, the main job on a fresh machine: lint every contract, check the generated
 * types are fresh, run every check (the full auth matrix included) against the stateful mocks, then
 * the same against Prism with what it cannot honour reported as skipped. The exit code is the
 * stateful run's.
 */
export async function runStart(p: ProjectPaths, out: (s: string) => void): Promise<number> {
  const started = performance.now();
  const step = (title: string) => out(`\n== ${title}`);
  step('lint');
  if ((await runLint(p, [], out)) !== 0) return 1;
  step('generated types');
  if ((await runGenerate(p, [], true, out)) !== 0) return 1;
  const apis = selectApis(p, []);
  step('conformance checks against the stateful mocks (every check, full auth matrix)');
  const stateful = await runAgainstStateful(apis, {}, () => undefined, p);
  const code = reportRuns(stateful.map((r) => r.run), p, out);
  step('the same checks against the contract-only Prism mocks (what Prism cannot honour is reported as skipped)');
  const prism = await runAgainstPrism(p, apis, {}, () => undefined);
  out(prism.map((r) => formatRunSummary(r.run)).join('\n'));
  out(`\nstart: finished in ${((performance.now() - started) / 1000).toFixed(1)}s`);
  // The exit code is the stateful run's: Prism's gaps are known limits, reported above.
  const t = totals(stateful.flatMap((r) => r.run.results));
  out(`${t.passed} passed, ${t.failed} failed${t.skipped ? `, ${t.skipped} skipped` : ''}`);
  return code;
}
