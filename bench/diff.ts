/**
 * Diff of the largest contract (defguard) against a copy of itself with one change: `phone` is no
 * longer a required property of `UserInfo`. Prints the time of each phase. Target: under 2 s for the
 * comparison, and for bundles + comparison once Redocly is warm (its first bundle in a process pays
 * a one-off start-up of about 1–2 s that every command pays alike).
 *
 *   node --import tsx bench/diff.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleApi } from '../src/core/contract/load.ts';
import { diffDocuments } from '../src/engines/diff/index.ts';
import { packageRoot } from '../src/core/paths.ts';

const TARGET_MS = 2000;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'contracts-bench-diff-'));
try {
  for (const dir of ['defguard', 'shared']) {
    fs.cpSync(path.join(packageRoot, 'specs', dir), path.join(tmp, 'specs', dir), { recursive: true });
  }
  const schemas = path.join(tmp, 'specs/defguard/components/schemas.yaml');
  const text = fs.readFileSync(schemas, 'utf8');
  const at = text.indexOf('\nUserInfo:');
  const phone = text.indexOf('\n    - phone\n', at);
  if (at < 0 || phone < 0) throw new Error('bench: UserInfo.required no longer lists phone; pick another change');
  fs.writeFileSync(schemas, text.slice(0, phone) + text.slice(phone + '\n    - phone'.length));

  const time = async <T>(fn: () => Promise<T> | T): Promise<[T, number]> => {
    const t0 = performance.now();
    const value = await fn();
    return [value, performance.now() - t0];
  };
  const runs: Array<{ bundleOld: number; bundleNew: number; diff: number; changes: number }> = [];
  for (let i = 0; i < 3; i++) {
    const [oldDoc, bundleOld] = await time(() => bundleApi({ name: 'defguard', rootFile: path.join(packageRoot, 'specs/defguard/openapi.yaml') }));
    const [newDoc, bundleNew] = await time(() => bundleApi({ name: 'defguard', rootFile: path.join(tmp, 'specs/defguard/openapi.yaml') }));
    const [result, diff] = await time(() => diffDocuments(oldDoc, newDoc));
    runs.push({ bundleOld, bundleNew, diff, changes: result.changes.length });
    if (i === 0) for (const c of result.changes) console.log(`  ${c.severity} ${c.id}: ${c.message} (${c.operations.length} operations)`);
  }
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  for (const [i, r] of runs.entries()) {
    const total = r.bundleOld + r.bundleNew + r.diff;
    console.log(`run ${i + 1}${i === 0 ? ' (cold)' : ''}: bundle old ${ms(r.bundleOld)}, bundle new ${ms(r.bundleNew)}, diff ${ms(r.diff)}, total ${ms(total)} — ${r.changes} change(s)`);
  }
  const cold = runs[0]!;
  const coldTotal = cold.bundleOld + cold.bundleNew + cold.diff;
  const warm = runs[runs.length - 1]!;
  const warmTotal = warm.bundleOld + warm.bundleNew + warm.diff;
  const met = cold.diff < TARGET_MS && warmTotal < TARGET_MS;
  console.log(
    `defguard: compare ${ms(cold.diff)} cold / ${ms(warm.diff)} warm; with both bundles ${ms(coldTotal)} cold (Redocly's first bundle warms up) / ${ms(warmTotal)} warm — target < ${TARGET_MS} ms: ${met ? 'met' : 'MISSED'}`,
  );
  process.exitCode = met ? 0 : 1;
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
