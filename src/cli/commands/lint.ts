import type { ProjectPaths } from '../../core/paths.ts';
import { selectApis } from '../../core/contract/discover.ts';
import { formatLintFinding, lintApis } from '../../engines/lint/run.ts';

/** `contracts lint`: every finding on its own line (file:line pointer, severity, rule), then a count; 1 on any error. */
export async function runLint(p: ProjectPaths, names: string[], out: (s: string) => void): Promise<number> {
  const apis = selectApis(p, names);
  const result = await lintApis(p, apis);
  for (const f of result.findings) out(formatLintFinding(f, p.root));
  out(`lint: ${apis.length} APIs, ${result.errors} errors, ${result.warnings} warnings`);
  return result.errors > 0 ? 1 : 0;
}
