import type { Contract } from '../../core/contract/model.ts';
import { buildContext } from './context.ts';
import { RULES } from './registry.ts';
import { SEVERITIES, type Change, type DiffRule, type Severity } from './types.ts';

export type { Change, DiffRule, Severity } from './types.ts';
export { RULES } from './registry.ts';

/** An operation a change names, by its label (`GET /things (listThings)`). */
export interface OperationRef {
  method: string;
  path: string;
  operationId?: string;
}

export interface DiffResult {
  changes: Change[];
  summary: Record<Severity, number>;
  /** The operations changes name, by label (for a mapped pair, the new side's). */
  operations: Record<string, OperationRef>;
}

export interface DiffOptions {
  /** Compare only these operations, old selector → new selector (operationId or `GET /path`). */
  operations?: Array<[string, string]>;
  rules?: readonly DiffRule[];
}

const RANK: Record<Severity, number> = { breaking: 0, 'non-breaking': 1, info: 2 };

/**
 * Compares two contracts and classifies every difference the rules know; each change says where it
 * is written on both sides. A change found through several operations (a shared schema) is reported
 * once, with every operation it affects.
 */
export function diffContracts(oldContract: Contract, newContract: Contract, opts: DiffOptions = {}): DiffResult {
  const ctx = buildContext(oldContract, newContract, opts.operations ?? []);
  const merged = new Map<string, Change>();
  for (const rule of opts.rules ?? RULES) {
    for (const f of rule.run(ctx)) {
      const key = `${rule.id}\u0000${f.oldPointer}\u0000${f.newPointer}\u0000${f.message}`;
      const known = merged.get(key);
      if (known) {
        for (const op of f.operations) if (!known.operations.includes(op)) known.operations.push(op);
        continue;
      }
      merged.set(key, {
        id: rule.id,
        severity: rule.severity,
        message: f.message,
        oldPointer: f.oldPointer,
        newPointer: f.newPointer,
        oldLocation: oldContract.sourceMap.locate(f.oldPointer),
        newLocation: newContract.sourceMap.locate(f.newPointer),
        operations: [...f.operations],
      });
    }
  }
  const changes = [...merged.values()].sort(
    (a, b) => RANK[a.severity] - RANK[b.severity] || (a.operations[0] ?? '').localeCompare(b.operations[0] ?? '') || a.id.localeCompare(b.id) || a.message.localeCompare(b.message),
  );
  const summary = Object.fromEntries(SEVERITIES.map((s) => [s, changes.filter((c) => c.severity === s).length])) as Record<Severity, number>;
  const operations: Record<string, OperationRef> = {};
  for (const view of [...ctx.removed, ...ctx.added]) operations[view.label] = { method: view.method, path: view.path, operationId: view.operationId };
  for (const pair of ctx.pairs) operations[pair.label] = { method: pair.new.method, path: pair.new.path, operationId: pair.new.operationId };
  return { changes, summary, operations };
}

/** True when a change of this level fails a gate set at `level` (`breaking` < `non-breaking` < `info`). */
export function failsAt(severity: Severity, level: Severity): boolean {
  return RANK[severity] <= RANK[level];
}

/** True when the result has changes at or above the given level. */
export function failsOn(result: DiffResult, level: Severity): boolean {
  return result.changes.some((c) => failsAt(c.severity, level));
}
