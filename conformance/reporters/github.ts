import { reportPath, reportRoot } from '../../src/core/paths.ts';
import type { ReportedRun } from './results.ts';

/**
 * GitHub Actions workflow commands: one annotation per finding, at the contract line where the
 * broken expectation is written (the file relative to the project root, which is the repository
 * root in a checkout, so GitHub shows it on the file). New findings, and findings whose baseline
 * entry expired, are `::error`; findings the baseline knows are `::notice`, so the pull request
 * still shows them without them gating. Objects the run could not remove are `::warning`, and
 * baseline entries that matched nothing a `::notice` saying they can be pruned.
 */
export function githubReport(runs: ReportedRun[], root: string = reportRoot()): string {
  const lines: string[] = [];
  for (const run of runs) {
    for (const r of run.results) {
      if (r.status !== 'failed') continue;
      for (const f of r.findings) {
        const state = f.baseline?.state ?? 'new';
        const command = state === 'known' ? 'notice' : 'error';
        const note = state === 'known' ? `known (baseline${f.baseline?.reason ? `: ${f.baseline.reason}` : ''}): ` : state === 'expired' ? `baseline entry expired ${f.baseline?.expires}: ` : '';
        const props: Record<string, string | number | undefined> = {
          file: reportPath(root, f.location.file),
          line: f.location.line,
          col: f.location.column,
          title: state === 'known' ? `${r.check} (known)` : r.check,
        };
        const what = `${run.api} ${r.operationId} (${r.method} ${r.path})${r.mutation ? ` [${r.mutation}]` : r.credentialClass ? ` [${r.credentialClass} credential]` : ''}`;
        lines.push(annotation(command, props, `${note}${what}: ${f.message}${r.curl ? `\nrepeat: ${r.curl}` : ''}`));
      }
    }
    for (const l of run.cleanup?.leftovers ?? []) {
      lines.push(annotation('warning', { title: 'clean-up' }, `${run.api}: left behind ${l.object}: ${l.reason}${l.curl ? `\nremove with: ${l.curl}` : ''}`));
    }
    for (const e of run.baseline?.fixed ?? []) {
      lines.push(annotation('notice', { file: reportPath(root, run.baseline!.file), title: 'baseline entry fixed' }, `${e.fingerprint} (${e.api ?? run.api} ${e.operation ?? ''} ${e.check ?? ''}) matched no finding: remove it from the baseline`));
    }
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/** `::error file=a.yaml,line=3,title=x::message`, escaped as GitHub's runner unescapes it. */
export function annotation(command: 'error' | 'warning' | 'notice', props: Record<string, string | number | undefined>, message: string): string {
  const list = Object.entries(props)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',');
  return `::${command}${list ? ` ${list}` : ''}::${escapeData(message)}`;
}

/** A message: `%`, CR and LF are escaped (in that order, so an escape is never escaped twice). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value: as a message, and `:` and `,`, which would end the value. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
