import type { ReportedRun } from './results.ts';
import { totals } from './summary.ts';

/**
 * The stable JSON report (documented in README). One run gives one object; a run over several
 * APIs gives an array of them.
 */
export function jsonReport(runs: ReportedRun[]): string {
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
      results: run.results.map((r) => ({
        check: r.check,
        operationId: r.operationId,
        method: r.method,
        path: r.path,
        case: r.case,
        ...(r.mutation ? { mutation: r.mutation } : {}),
        ...(r.valueOrigin ? { valueOrigin: r.valueOrigin } : {}),
        status: r.status,
        message: r.message ?? null,
        request: r.request,
        response: r.response ?? null,
        location: { file: r.location.file, line: r.location.line ?? null, pointer: r.location.pointer },
        findings: r.findings.map((f) => ({
          message: f.message,
          location: { file: f.location.file, line: f.location.line ?? null, pointer: f.location.pointer },
        })),
        curl: r.curl ?? null,
      })),
    };
  });
  return `${JSON.stringify(docs.length === 1 ? docs[0] : docs, null, 2)}\n`;
}
