import { reportPath, reportRoot } from '../../src/core/paths.ts';
import type { SourceLocation } from '../../src/core/contract/location.ts';
import { findingFingerprint } from '../fingerprint.ts';
import type { ReportedRun } from './results.ts';
import { totals } from './summary.ts';

/**
 * The stable JSON report (documented in README). One run gives one object; a run over several
 * APIs gives an array of them.
 */
export function jsonReport(runs: ReportedRun[], root: string = reportRoot()): string {
  // Paths relative to the project root: a report names the same file on every machine.
  const where = (l: SourceLocation) => ({ file: reportPath(root, l.file), line: l.line ?? null, ...(l.column ? { column: l.column } : {}), pointer: l.pointer });
  const docs = runs.map((run) => {
    const t = totals(run.results);
    return {
      api: run.api,
      target: run.baseUrl,
      contractVersion: run.contractVersion,
      summary: { passed: t.passed, failed: t.failed, skipped: t.skipped, durationMs: run.durationMs },
      // Only runs the runner planned know their coverage (recorded traffic and diffs do not).
      ...(run.coverage ? { coverage: run.coverage } : {}),
      ...(run.discovery ? { discovery: run.discovery } : {}),
      ...(run.cleanup ? { cleanup: run.cleanup } : {}),
      ...(run.otherUser ? { otherUser: run.otherUser } : {}),
      ...(run.interrupted ? { interrupted: true } : {}),
      // A shard's report says which shard it is, so `contracts merge-reports` can tell mixed runs apart.
      ...(run.shard ? { shard: run.shard } : {}),
      ...(run.baseline ? { baseline: { file: reportPath(root, run.baseline.file), fixed: run.baseline.fixed } } : {}),
      results: run.results.map((r) => ({
        check: r.check,
        operationId: r.operationId,
        method: r.method,
        path: r.path,
        case: r.case,
        ...(r.mutation ? { mutation: r.mutation } : {}),
        ...(r.credentialClass ? { credentialClass: r.credentialClass } : {}),
        ...(r.valueOrigin ? { valueOrigin: r.valueOrigin } : {}),
        status: r.status,
        message: r.message ?? null,
        request: r.request,
        response: r.response ?? null,
        location: where(r.location),
        findings: r.findings.map((f) => ({
          fingerprint: findingFingerprint(run.api, r, f),
          message: f.message,
          ...(f.bodyPointer !== undefined ? { bodyPointer: f.bodyPointer } : {}),
          ...(f.baseline ? { baseline: f.baseline } : {}),
          location: where(f.location),
        })),
        curl: r.curl ?? null,
      })),
    };
  });
  return `${JSON.stringify(docs.length === 1 ? docs[0] : docs, null, 2)}\n`;
}
