import type { ReportedRun } from './results.ts';
import { totals } from './summary.ts';

/**
 * JUnit XML as Jenkins, GitLab and GitHub test reporters read it: one <testsuite> per API, one
 * <testcase> per check × case, <failure> and <skipped> children.
 */
export function junitReport(runs: ReportedRun[]): string {
  const all = runs.flatMap((r) => r.results);
  const t = totals(all);
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const suites = runs.map((run) => {
    const rt = totals(run.results);
    const cases = run.results.map((r) => {
      const name = `${r.check} ${r.method} ${r.path}${r.mutation ? ` [${r.mutation}]` : r.case !== 'positive' ? ` [${r.case}]` : ''}`;
      const open = `    <testcase classname="${xml(`${run.api}.${r.operationId}`)}" name="${xml(name)}" file="${xml(r.location.file)}"${r.location.line ? ` line="${r.location.line}"` : ''}`;
      if (r.status === 'passed') return `${open}/>`;
      if (r.status === 'skipped') return `${open}>\n      <skipped message="${xml(r.message ?? '')}"/>\n    </testcase>`;
      const detail = [...r.findings.map((f) => `${f.message}\n  at ${f.location.file}${f.location.line ? `:${f.location.line}` : ''} ${f.location.pointer}`), ...(r.curl ? [`repeat: ${r.curl}`] : [])].join('\n');
      return `${open}>\n      <failure message="${xml(r.message ?? 'failed')}" type="${xml(r.check)}">${xml(detail)}</failure>\n    </testcase>`;
    });
    return [
      `  <testsuite name="${xml(run.api)}" tests="${run.results.length}" failures="${rt.failed}" errors="0" skipped="${rt.skipped}" time="${seconds(run.durationMs)}">`,
      `    <properties>\n      <property name="target" value="${xml(run.baseUrl)}"/>\n      <property name="contractVersion" value="${xml(run.contractVersion)}"/>\n    </properties>`,
      ...cases,
      '  </testsuite>',
    ].join('\n');
  });
  const time = runs.reduce((s, r) => s + r.durationMs, 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="contracts" tests="${all.length}" failures="${t.failed}" errors="0" skipped="${t.skipped}" time="${seconds(time)}">`,
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
