import type { ReportedResult, ReportedRun } from '../../../conformance/reporters/results.ts';
import { formatLocation } from '../../core/contract/location.ts';
import { failsAt, RULES, type DiffResult } from './index.ts';
import type { Severity } from './types.ts';

/** The diff rules as the reporters list them (SARIF's rule table). */
export const DIFF_RULE_INFO = RULES.map((r) => ({ id: r.id, title: `${r.title} (${r.severity})` }));

/**
 * A diff in the runner's result shape, so that one set of reporters (json, junit, sarif, html)
 * serves both: one result per change, the rule id as the check, `failed` for a change at the
 * `--fail-on` level or worse and `passed` for the others, the level leading the message, and the
 * change's place in the NEW contract as the location (the old side's place is in the finding's text).
 */
export function diffRun(result: DiffResult, sides: { old: string; api: string; version: string }, failOn: Severity, root: string, durationMs = 0): ReportedRun {
  const results = result.changes.map((c): ReportedResult => {
    const label = c.operations[0];
    const op = label !== undefined ? result.operations[label] : undefined;
    const method = op ? op.method.toUpperCase() : '';
    const more = c.operations.length > 1 ? ` (and ${c.operations.length - 1} more operation${c.operations.length > 2 ? 's' : ''})` : '';
    const message = `${c.severity}: ${c.message}${more}`;
    return {
      check: c.id,
      case: 'positive',
      // What changed where: keeps two changes of one rule on one operation apart (SARIF fingerprints, JUnit names).
      mutation: c.newPointer,
      api: sides.api,
      operationId: op ? (op.operationId ?? `${method} ${op.path}`) : 'document',
      method,
      path: op?.path ?? '',
      status: failsAt(c.severity, failOn) ? 'failed' : 'passed',
      message,
      findings: [{ message: `${message}; before: ${formatLocation(c.oldLocation, root)}`, location: c.newLocation }],
      request: { method, url: op?.path ?? '', headers: {} },
      location: c.newLocation,
    };
  });
  return { api: sides.api, baseUrl: sides.old, contractVersion: sides.version, results, durationMs };
}
