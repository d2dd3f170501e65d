import { reportPath } from '../../src/core/paths.ts';
import { baselineLabel, baselineCounts } from '../baseline.ts';
import { coverageTotals, UNCOVERED_REASONS } from '../coverage.ts';
import type { ReportedRun } from './results.ts';
import { totals } from './summary.ts';

/**
 * One self-contained HTML file: inline style and script, nothing loaded from the network. Rows can
 * be filtered by status and by check; failures show their findings, location and curl command.
 */
export function htmlReport(runs: ReportedRun[], root: string): string {
  const all = runs.flatMap((r) => r.results);
  const t = totals(all);
  const checkIds = [...new Set(all.map((r) => r.check))].sort();
  const rows = runs.flatMap((run) =>
    run.results.map((r) => {
      const details = r.findings
        .map((f) => `<div class="finding">${f.baseline && f.baseline.state !== 'new' ? `<span class="badge ${f.baseline.state}">${esc(baselineLabel(f).trim())}</span> ` : ''}${esc(f.message)}<br><code>${esc(reportPath(root, f.location.file))}${f.location.line ? `:${f.location.line}` : ''} ${esc(f.location.pointer)}</code></div>`)
        .join('');
      const extra = r.status === 'failed' ? `${details}${r.curl ? `<pre>${esc(r.curl)}</pre>` : ''}` : r.message ? `<div class="note">${esc(r.message)}</div>` : '';
      return `<tr class="${r.status}" data-status="${r.status}" data-check="${esc(r.check)}">
<td>${esc(run.api)}</td><td><span class="badge ${r.status}">${r.status}</span></td><td>${esc(r.check)}</td>
<td>${esc(r.operationId)}<br><small>${esc(r.method)} ${esc(r.path)}</small></td>
<td>${esc(r.case)}${r.mutation ? `<br><small>${esc(r.mutation)}</small>` : ''}</td>
<td>${r.response ? r.response.status : ''}</td><td>${extra}</td></tr>`;
    }),
  );
  const coverage = coverageSection(runs) + runStateSection(runs);
  const targets = runs.map((r) => `${esc(r.api)} ${esc(r.contractVersion)} → ${esc(r.baseUrl)}`).join('<br>');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Contract conformance: ${t.failed} failed, ${t.passed} passed</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d2330}
h1{font-size:20px;margin:0 0 8px}.summary{margin:8px 0 16px}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #e3e6ee;padding:6px 8px;vertical-align:top;text-align:left}
th{background:#f4f6fa;position:sticky;top:0}small{color:#5b6477}pre{white-space:pre-wrap;word-break:break-all;background:#f4f6fa;padding:6px;margin:4px 0}
.badge{padding:1px 6px;border-radius:8px;font-size:12px}.badge.passed{background:#dff5e3}.badge.failed{background:#fbdada}.badge.skipped{background:#eee}.badge.known{background:#e6ecf8}.badge.expired{background:#fde9c8}
.coverage{margin:0 0 20px}.seen{font-weight:bold}.unseen{color:#8a91a3}
.finding{margin:2px 0}.note{color:#5b6477}.filters label{margin-right:12px}
</style></head><body>
<h1>Contract conformance</h1>
<div class="summary"><b>${t.passed}</b> passed, <b>${t.failed}</b> failed, <b>${t.skipped}</b> skipped${baselineSummary(runs)}<br>${targets}</div>
${coverage}<div class="filters">
<label><input type="checkbox" value="failed" checked> failed</label>
<label><input type="checkbox" value="passed" ${t.failed === 0 ? 'checked' : ''}> passed</label>
<label><input type="checkbox" value="skipped"> skipped</label>
<label>check <select id="check"><option value="">all</option>${checkIds.map((c) => `<option>${esc(c)}</option>`).join('')}</select></label>
<span id="shown"></span>
</div>
<table><thead><tr><th>API</th><th>status</th><th>check</th><th>operation</th><th>case</th><th>HTTP</th><th>details</th></tr></thead>
<tbody class="results">
${rows.join('\n')}
</tbody></table>
<script>
(function(){
  var boxes=[].slice.call(document.querySelectorAll('.filters input'));
  var check=document.getElementById('check');
  var rows=[].slice.call(document.querySelectorAll('tbody.results tr'));
  function apply(){
    var statuses=boxes.filter(function(b){return b.checked}).map(function(b){return b.value});
    var c=check.value, n=0;
    rows.forEach(function(r){
      var show=statuses.indexOf(r.dataset.status)>=0&&(!c||r.dataset.check===c);
      r.style.display=show?'':'none'; if(show)n++;
    });
    document.getElementById('shown').textContent=n+' rows shown';
  }
  boxes.forEach(function(b){b.addEventListener('change',apply)});
  check.addEventListener('change',apply); apply();
})();
</script>
</body></html>
`;
}

/**
 * Per operation: the statuses it declares (those some answer fell under in bold) and whether its
 * success response was judged, with the reason when not. Empty for runs that carry no coverage.
 */
function coverageSection(runs: ReportedRun[]): string {
  const withCoverage = runs.filter((r) => r.coverage);
  if (withCoverage.length === 0) return '';
  const t = coverageTotals(withCoverage.flatMap((r) => r.coverage!.operations));
  const rows = withCoverage.flatMap((run) =>
    run.coverage!.operations.map((c) => {
      const statuses = c.declaredStatuses.map((s) => `<span class="${c.observedStatuses.includes(s) ? 'seen' : 'unseen'}">${esc(s)}</span>`).join(' ');
      const undeclared = c.undeclaredStatuses.length ? ` <small>undeclared: ${c.undeclaredStatuses.join(' ')}</small>` : '';
      const verdict = c.reason
        ? `<span class="badge skipped">${esc(c.reason.id)}</span> ${esc(c.reason.detail)}<br><small>${esc(UNCOVERED_REASONS[c.reason.id])}</small>`
        : '<span class="badge passed">judged</span>';
      return `<tr><td>${esc(run.api)}</td><td>${esc(c.operationId)}<br><small>${esc(c.method)} ${esc(c.path)}</small></td><td>${statuses}${undeclared}</td><td>${verdict}</td></tr>`;
    }),
  );
  return `<details class="coverage"${t.successJudged < t.operations ? ' open' : ''}><summary><b>Success responses judged: ${t.successJudged}/${t.operations} operations</b></summary>
<table><thead><tr><th>API</th><th>operation</th><th>declared statuses (bold: observed)</th><th>success response</th></tr></thead>
<tbody class="coverage-rows">
${rows.join('\n')}
</tbody></table></details>
`;
}

/** Per API: what discovery learned, and what the run created and could not remove (with the request that would). */
function runStateSection(runs: ReportedRun[]): string {
  const lines = runs.flatMap((run) => {
    const out: string[] = [];
    const d = run.discovery;
    if (d && d.operationsWithPathParameters > 0) {
      out.push(`<li>${esc(run.api)}: discovery sent ${d.reads} safe reads (${d.answered} answered 2xx); values learned for ${d.operationsWithValues}/${d.operationsWithPathParameters} operations with path parameters</li>`);
    }
    const o = run.otherUser;
    if (o) {
      out.push(
        o.notCovered
          ? `<li>${esc(run.api)}: objects tried with another user's credential: 0 — ${esc(o.notCovered)}</li>`
          : `<li>${esc(run.api)}: objects tried with another user's credential: ${o.objects} (${o.operations} operations; objects of '${esc(o.owner ?? '')}', asked for by '${esc(o.other ?? '')}')</li>`,
      );
    }
    if (run.cleanup) out.push(`<li>${esc(run.api)}: clean-up removed ${run.cleanup.removed} object(s) the run created, left ${run.cleanup.leftovers.length}</li>`);
    for (const l of run.cleanup?.leftovers ?? []) {
      out.push(`<li class="leftover"><span class="badge failed">left behind</span> ${esc(l.object)}: ${esc(l.reason)}${l.curl ? `<pre>${esc(l.curl)}</pre>` : ''}</li>`);
    }
    if (run.interrupted) out.push(`<li>${esc(run.api)}: the run was interrupted; cases not sent are reported as skipped</li>`);
    return out;
  });
  return lines.length > 0 ? `<ul class="run-state">\n${lines.join('\n')}\n</ul>\n` : '';
}

/** `; findings: 2 new, 3 known, 1 expired; 1 baseline entry fixed` when a baseline was applied. */
function baselineSummary(runs: ReportedRun[]): string {
  if (!runs.some((r) => r.baseline)) return '';
  const c = baselineCounts(runs);
  const fixed = runs.flatMap((r) => r.baseline?.fixed ?? []);
  const list = fixed.map((e) => `<li>${esc(e.fingerprint)} ${esc(e.api ?? '')} ${esc(e.operation ?? '')} ${esc(e.check ?? '')}</li>`).join('');
  return `; findings against the baseline: <b>${c.new}</b> new, ${c.known} known, ${c.expired} expired; ${c.fixed} baseline entries fixed${list ? `<ul class="fixed">${list}</ul>` : ''}`;
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
