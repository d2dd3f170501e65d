import type { JsonObject } from '../../core/contract/model.ts';
import { buildContext } from './context.ts';
import { RULES } from './registry.ts';
import { SEVERITIES, type Change, type DiffRule, type Severity } from './types.ts';

export type { Change, DiffRule, Severity } from './types.ts';
export { RULES } from './registry.ts';

export interface DiffResult {
  changes: Change[];
  summary: Record<Severity, number>;
}

export interface DiffOptions {
  /** Compare only these operations, old selector → new selector (operationId or `GET /path`). */
  operations?: Array<[string, string]>;
  rules?: readonly DiffRule[];
}

const RANK: Record<Severity, number> = { breaking: 0, 'non-breaking': 1, info: 2 };

/** Compares two bundled documents and classifies every difference the rules know. */
export function diffDocuments(oldDoc: JsonObject, newDoc: JsonObject, opts: DiffOptions = {}): DiffResult {
  const ctx = buildContext(oldDoc, newDoc, opts.operations ?? []);
  const merged = new Map<string, Change>();
  for (const rule of opts.rules ?? RULES) {
    for (const f of rule.run(ctx)) {
      const id = f.id ?? rule.id;
      const key = `${id}\u0000${f.oldPointer ?? ''}\u0000${f.newPointer ?? ''}\u0000${f.message}`;
      const known = merged.get(key);
      if (known) {
        for (const op of f.operations ?? []) if (!known.operations.includes(op)) known.operations.push(op);
        continue;
      }
      const change: Change = { id, severity: rule.severity, message: f.message, operations: [...(f.operations ?? [])] };
      if (f.oldPointer !== undefined) change.oldPointer = f.oldPointer;
      if (f.newPointer !== undefined) change.newPointer = f.newPointer;
      merged.set(key, change);
    }
  }
  const changes = [...merged.values()].sort(
    (a, b) => RANK[a.severity] - RANK[b.severity] || (a.operations[0] ?? '').localeCompare(b.operations[0] ?? '') || a.id.localeCompare(b.id) || a.message.localeCompare(b.message),
  );
  const summary = Object.fromEntries(SEVERITIES.map((s) => [s, changes.filter((c) => c.severity === s).length])) as Record<Severity, number>;
  return { changes, summary };
}

/** True when the result has changes at or above the given level (`breaking` < `non-breaking` < `info`). */
export function failsOn(result: DiffResult, level: Severity): boolean {
  return result.changes.some((c) => RANK[c.severity] <= RANK[level]);
}
