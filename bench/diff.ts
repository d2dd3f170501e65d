/**
 * Diff of the largest contract (defguard) against a copy of itself with one change: `phone` is no
 * longer a required property of `UserInfo`. Prints the time of each phase; each run loads both
 * contracts afresh (from copies of their own, since the loader keeps one contract per file). Target: under 2 s for the
 * comparison, and for bundles + comparison once Redocly is warm (its first bundle in a process pays
 * a one-off start-up of about 1–2 s that every command pays alike).
 *
 *   node --import tsx bench/diff.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadContract } from '../src/core/contract/load.ts';
import { diffContracts } from '../src/engines/diff/index.ts';
import { packageRoot } from '../src/core/paths.ts';

const TARGET_MS = 2000;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'contracts-bench-diff-'));
try {
  /** A copy of the defguard contract in its own folder; `changed` drops `phone` from `UserInfo.required`. */
  const copy = (name: string, changed: boolean) => {
    for (const dir of ['defguard', 'shared']) fs.cpSync(path.join(packageRoot, 'specs', dir), path.join(tmp, name, 'specs', dir), { recursive: true });
    const rootFile = path.join(tmp, name, 'specs/defguard/openapi.yaml');
    if (!changed) return rootFile;
    const schemas = path.join(tmp, name, 'specs/defguard/components/schemas.yaml');
    const text = fs.readFileSync(schemas, 'utf8');
    const at = text.indexOf('\nUserInfo:');
    const phone = text.indexOf('\n    - phone\n', at);
    if (at < 0 || phone < 0) throw new Error('bench: UserInfo.required no longer lists phone; pick another change');
    fs.writeFileSync(schemas, text.slice(0, phone) + text.slice(phone + '\n    - phone'.length));
    return rootFile;
  };

  const time = async <T>(fn: () => Promise<T> | T): Promise<[T, number]> => {
    const t0 = performance.now();
    const value = await fn();
    return [value, performance.now() - t0];
  };
  const runs: Array<{ bundleOld: number; bundleNew: number; diff: number; changes: number }> = [];
  for (let i = 0; i < 3; i++) {
    const oldFile = copy(`old-${i}`, false);
    const newFile = copy(`new-${i}`, true);
    const [oldContract, bundleOld] = await time(() => loadContract({ name: 'defguard', rootFile: oldFile }));
    const [newContract, bundleNew] = await time(() => loadContract({ name: 'defguard', rootFile: newFile }));
    const [result, diff] = await time(() => diffContracts(oldContract, newContract));
    runs.push({ bundleOld, bundleNew, diff, changes: result.changes.length });
    if (i === 0) for (const c of result.changes) console.log(`  ${c.severity} ${c.id}: ${c.message} (${c.operations.length} operations)`);
  }
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  for (const [i, r] of runs.entries()) {
    const total = r.bundleOld + r.bundleNew + r.diff;
    console.log(`run ${i + 1}${i === 0 ? ' (cold)' : ''}: load old ${ms(r.bundleOld)}, load new ${ms(r.bundleNew)}, diff ${ms(r.diff)}, total ${ms(total)} — ${r.changes} change(s)`);
  }
  const cold = runs[0]!;
  const coldTotal = cold.bundleOld + cold.bundleNew + cold.diff;
  const warm = runs[runs.length - 1]!;
  const warmTotal = warm.bundleOld + warm.bundleNew + warm.diff;
  const met = cold.diff < TARGET_MS && warmTotal < TARGET_MS;
  console.log(
    `defguard: compare ${ms(cold.diff)} cold / ${ms(warm.diff)} warm; with both loads ${ms(coldTotal)} cold (Redocly's first bundle warms up) / ${ms(warmTotal)} warm — target < ${TARGET_MS} ms: ${met ? 'met' : 'MISSED'}`,
  );
  process.exitCode = met ? 0 : 1;
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
