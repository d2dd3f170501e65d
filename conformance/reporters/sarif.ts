import { reportPath, reportRoot } from '../../src/core/paths.ts';
import type { FindingBaseline } from '../baseline.ts';
import { checks } from '../checks/index.ts';
import { findingFingerprint, SARIF_FINGERPRINT_KEY } from '../fingerprint.ts';
import { coverageTotals } from '../coverage.ts';
import { OPERATION_UNKNOWN } from '../types.ts';
import type { ReportedRun } from './results.ts';

/** A rule (check) results may name: its id and what it checks. */
export interface RuleInfo {
  id: string;
  title: string;
}

/** The runner's checks, and what recorded traffic reports for a request no operation describes. */
const RUNNER_RULES: readonly RuleInfo[] = [...checks.values(), { id: OPERATION_UNKNOWN, title: 'An observed request matches an operation of the contract' }];

/**
 * SARIF 2.1.0 for GitHub code scanning: one result per failed check, located at the spec file and
 * line where the broken expectation is written (paths relative to the repository root). The rules
 * are the runner's checks unless the results come from another rule set (a contract diff's rules).
 */
export function sarifReport(runs: ReportedRun[], root: string = reportRoot(), catalogue: readonly RuleInfo[] = RUNNER_RULES): string {
  const rules = catalogue.map((c) => ({
    id: c.id,
    name: c.id.replace(/(^|-)(\w)/g, (_m, _d, ch: string) => ch.toUpperCase()),
    shortDescription: { text: c.title },
    defaultConfiguration: { level: 'error' },
  }));
  const results = runs.flatMap((run) =>
    run.results
      .filter((r) => r.status === 'failed')
      .flatMap((r) =>
        r.findings.map((f) => ({
          ruleId: r.check,
          ruleIndex: rules.findIndex((rule) => rule.id === r.check),
          // A finding the baseline knows is a note, so it does not gate; new and expired ones are errors.
          level: f.baseline?.state === 'known' ? 'note' : 'error',
          message: { text: `${r.operationId} (${r.method} ${r.path})${r.mutation ? ` [${r.mutation}]` : ''}: ${f.message}${r.curl ? `. Repeat: ${r.curl}` : ''}` },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: toUri(reportPath(root, f.location.file)), uriBaseId: '%SRCROOT%' },
                region: { startLine: f.location.line ?? 1, ...(f.location.column ? { startColumn: f.location.column } : {}) },
              },
              logicalLocations: [{ name: r.operationId, fullyQualifiedName: `${run.api}.${r.operationId}`, kind: 'function' }],
            },
          ],
          partialFingerprints: { [SARIF_FINGERPRINT_KEY]: findingFingerprint(run.api, r, f) },
          ...(f.baseline ? { baselineState: sarifBaselineState(f.baseline), properties: { baseline: f.baseline } } : {}),
        })),
      ),
  );
  const withCoverage = runs.filter((r) => r.coverage);
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'security-api-contracts', informationUri: 'https://www.npmjs.com/package/security-api-contracts', rules } },
        // %SRCROOT% is left for the consumer to resolve (GitHub: the repository root); paths are
        // relative to the project root, so the report does not carry the machine's own folders.
        results,
        // Coverage is context, not a finding: operations whose success response was not judged are counted here only.
        ...(withCoverage.length > 0 || runs.some((r) => r.baseline) ? {
              properties: {
                // Baseline entries that matched nothing: fixed, or no longer produced; prune them.
                ...(runs.some((r) => r.baseline) ? { baselineFixed: runs.flatMap((r) => r.baseline?.fixed ?? []) } : {}),
                ...(withCoverage.length > 0 ? { coverage: coverageTotals(withCoverage.flatMap((r) => r.coverage!.operations)) } : {}),
                coverageByApi: Object.fromEntries(withCoverage.map((r) => [r.api, r.coverage!.totals])),
                // What discovery learned and what the run could not clean up, per API.
                discoveryByApi: Object.fromEntries(runs.filter((r) => r.discovery).map((r) => [r.api, r.discovery])),
                cleanupByApi: Object.fromEntries(runs.filter((r) => r.cleanup).map((r) => [r.api, r.cleanup])),
                // The other-user sweep: objects of one user asked for with another's credential, per API.
                otherUserByApi: Object.fromEntries(runs.filter((r) => r.otherUser).map((r) => [r.api, r.otherUser])),
              },
            } : {}),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

function toUri(p: string): string {
  return p.split('/').map((s) => (s === '..' ? s : encodeURIComponent(s))).join('/');
}

/** SARIF's word for a finding compared with the baseline: a known one is `unchanged`; an expired entry no longer excuses, so `new`. */
function sarifBaselineState(b: FindingBaseline): 'new' | 'unchanged' {
  return b.state === 'known' ? 'unchanged' : 'new';
}
