import { reportPath, reportRoot } from '../../src/core/paths.ts';
import { baselineLabel, failsRun } from '../baseline.ts';
import type { ReportedRun } from './results.ts';
import { totals } from './summary.ts';

/** The name of the testcase that stands for an operation whose success response was not judged. */
export const UNCOVERED_CASE = 'success-response-judged';

/**
 * JUnit XML as Jenkins, GitLab and GitHub test reporters read it: one <testsuite> per API, one
 * <testcase> per check × case, <failure> and <skipped> children. Each operation whose success
 * response was not judged is one more testcase, skipped with the reason: test reporters list
 * skipped testcases with their message, while suite properties are hidden or dropped by most.
 */
export function junitReport(judged: ReportedRun[], root: string = reportRoot()): string {
  // A failure every finding of which the baseline knows is reported as skipped, so the test report
  // agrees with the exit code; its message says it is known.
  const runs = judged.map((run) => ({
    ...run,
    results: run.results.map((r) => (r.status === 'failed' && !failsRun(r) ? { ...r, status: 'skipped' as const, message: `known finding (baseline): ${r.findings.map((f) => `${baselineLabel(f)}${f.message}`).join('; ')}` } : r)),
  }));
  const all = runs.flatMap((r) => r.results);
  const t = totals(all);
  const uncoveredOf = (run: ReportedRun) => run.coverage?.operations.filter((c) => c.reason) ?? [];
  const uncoveredCount = runs.reduce((n, run) => n + uncoveredOf(run).length + (run.cleanup?.leftovers.length ?? 0), 0);
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const suites = runs.map((run) => {
    const rt = totals(run.results);
    const cases = run.results.map((r) => {
      const name = `${r.check} ${r.method} ${r.path}${r.mutation ? ` [${r.mutation}]` : r.case !== 'positive' ? ` [${r.case}]` : ''}`;
      const open = `    <testcase classname="${xml(`${run.api}.${r.operationId}`)}" name="${xml(name)}" file="${xml(reportPath(root, r.location.file))}"${r.location.line ? ` line="${r.location.line}"` : ''}`;
      if (r.status === 'passed') return `${open}/>`;
      if (r.status === 'skipped') return `${open}>\n      <skipped message="${xml(r.message ?? '')}"/>\n    </testcase>`;
      const detail = [...r.findings.map((f) => `${baselineLabel(f)}${f.message}\n  at ${reportPath(root, f.location.file)}${f.location.line ? `:${f.location.line}` : ''} ${f.location.pointer}`), ...(r.curl ? [`repeat: ${r.curl}`] : [])].join('\n');
      return `${open}>\n      <failure message="${xml(r.message ?? 'failed')}" type="${xml(r.check)}">${xml(detail)}</failure>\n    </testcase>`;
    });
    const uncovered = uncoveredOf(run).map(
      (c) =>
        `    <testcase classname="${xml(`${run.api}.${c.operationId}`)}" name="${xml(`${UNCOVERED_CASE} ${c.method} ${c.path}`)}">\n      <skipped message="${xml(`${c.reason!.id}: ${c.reason!.detail}`)}"/>\n    </testcase>`,
    );
    // Objects the run created and could not remove: not a check's verdict, but something a reader
    // must see, so each is a skipped testcase carrying the request that would remove it.
    const leftovers = (run.cleanup?.leftovers ?? []).map(
      (l) =>
        `    <testcase classname="${xml(`${run.api}.clean-up`)}" name="${xml(`left behind: ${l.object}`)}">\n      <skipped message="${xml(`${l.reason}${l.curl ? `; remove with: ${l.curl}` : ''}`)}"/>\n    </testcase>`,
    );
    uncovered.push(...leftovers);
    const coverage = run.coverage
      ? `\n      <property name="successResponsesJudged" value="${run.coverage.totals.successJudged}/${run.coverage.totals.operations}"/>`
      : '';
    return [
      `  <testsuite name="${xml(run.api)}" tests="${run.results.length + uncovered.length}" failures="${rt.failed}" errors="0" skipped="${rt.skipped + uncovered.length}" time="${seconds(run.durationMs)}">`,
      `    <properties>\n      <property name="target" value="${xml(run.baseUrl)}"/>\n      <property name="contractVersion" value="${xml(run.contractVersion)}"/>${coverage}\n    </properties>`,
      ...cases,
      ...uncovered,
      '  </testsuite>',
    ].join('\n');
  });
  const time = runs.reduce((s, r) => s + r.durationMs, 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="contracts" tests="${all.length + uncoveredCount}" failures="${t.failed}" errors="0" skipped="${t.skipped + uncoveredCount}" time="${seconds(time)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

function xml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
