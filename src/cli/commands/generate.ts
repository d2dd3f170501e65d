import type { ProjectPaths } from '../../core/paths.ts';
import { relativeToRoot } from '../../core/paths.ts';
import { selectApis } from '../../core/contract/discover.ts';

/** `contracts generate [--check]`: one line per generated file; with --check, 1 when any is stale, missing or orphaned. */
export async function runGenerate(p: ProjectPaths, names: string[], check: boolean, out: (s: string) => void): Promise<number> {
  // Loaded on demand: openapi-typescript brings the TypeScript compiler (~150 MB) with it.
  const { generateTypes } = await import('../../engines/types/generate.ts');
  const outcomes = await generateTypes(p, selectApis(p, names), { check, allApis: names.length === 0 });
  let bad = 0;
  for (const o of outcomes) {
    const file = relativeToRoot(p, o.file);
    if (o.status === 'stale') out(`${file}: stale — the ${o.api} contract changed; run \`contracts generate\``);
    else if (o.status === 'missing') out(`${file}: missing — run \`contracts generate\``);
    else if (o.status === 'orphaned') out(`${file}: no contract named '${o.api}' exists any more; delete the file`);
    else out(`${file}: ${o.status}`);
    if (o.status === 'stale' || o.status === 'missing' || o.status === 'orphaned') bad++;
  }
  if (check) out(bad === 0 ? 'generate --check: types are up to date' : `generate --check: ${bad} file(s) out of date`);
  return bad > 0 ? 1 : 0;
}
