import path from 'node:path';
import { formatRun, totals } from '../../../conformance/reporters/console.ts';
import { isBelowMinimum } from './run.ts';
import { scrubSecrets } from '../../../conformance/redact.ts';
import { selectApis } from '../../core/contract/discover.ts';
import { loadContract } from '../../core/contract/load.ts';
import { tokenVariable } from '../../../conformance/credentials.ts';
import { relativeToRoot, reportRoot, type ProjectPaths } from '../../core/paths.ts';
import { checkTraffic } from '../../engines/traffic/check.ts';
import { readHar } from '../../engines/traffic/har.ts';
import { parseMinCoverage, parseReport, writeReports } from './test.ts';

export interface CheckTrafficOptions {
  report?: string[];
  ignoreUnknown?: boolean;
  /** Percent of the contract's operations the recording must exercise with a judged success answer. */
  minCoverage?: string;
}

/**
 * `contracts check-traffic <api> <file.har>`: judges recorded traffic with the runner's checks and
 * prints the runner's console report. 0 when everything conforms, 1 on findings, 2 when the HAR is
 * malformed (HarError) or the API unknown. No credential from the HAR reaches any output.
 */
export async function checkTrafficCommand(
  p: ProjectPaths,
  apiName: string,
  harFile: string,
  opts: CheckTrafficOptions,
  out: (line: string) => void,
): Promise<number> {
  const reports = (opts.report ?? []).map(parseReport);
  const minCoverage = parseMinCoverage(opts.minCoverage);
  const [api] = selectApis(p, [apiName]);
  const entries = readHar(harFile);
  const contract = await loadContract(api!);
  const { run, secrets } = checkTraffic(contract, entries, {
    source: `har:${path.relative(process.cwd(), path.resolve(harFile)) || harFile}`,
    ignoreUnknown: opts.ignoreUnknown,
    secretVariable: tokenVariable(contract.api),
  });
  const say = (line: string) => out(scrubSecrets(line, secrets));
  say(formatRun(run, p.root));
  const t = totals(run.results);
  say(`${entries.length} entries: ${t.passed} passed, ${t.failed} failed${t.skipped ? `, ${t.skipped} skipped` : ''}`);
  for (const file of writeReports(reports, [run], reportRoot(), secrets)) say(`report: ${relativeToRoot(p, file)}`);
  const below = run.coverage ? isBelowMinimum(run.coverage.totals, minCoverage, say) : false;
  return t.failed > 0 || below ? 1 : 0;
}
