import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadContract } from '../src/core/contract/load.ts';
import { diffContracts } from '../src/engines/diff/index.ts';
import { packageRoot } from '../src/core/paths.ts';

/**
 * The corpus: one folder per case under test/fixtures/diff/ with before.yaml, after.yaml and
 * expected.yaml (`changes: [{id, severity}]`, order-free). The rule ids and classifications found
 * must be exactly the expected ones — nothing missing, nothing extra.
 */
const corpus = path.join(packageRoot, 'test/fixtures/diff');
const cases = fs.readdirSync(corpus, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

describe('diff corpus', () => {
  it('has at least 40 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases)('%s', async (name) => {
    const dir = path.join(corpus, name);
    const expected = YAML.parse(fs.readFileSync(path.join(dir, 'expected.yaml'), 'utf8')) as { changes: Array<{ id: string; severity: string }> };
    const before = await loadContract({ name: `${name}-before`, rootFile: path.join(dir, 'before.yaml') });
    const after = await loadContract({ name: `${name}-after`, rootFile: path.join(dir, 'after.yaml') });
    const result = diffContracts(before, after);
    const found = [...new Set(result.changes.map((c) => `${c.severity} ${c.id}`))].sort();
    const want = [...new Set((expected.changes ?? []).map((c) => `${c.severity} ${c.id}`))].sort();
    expect(found, result.changes.map((c) => `${c.id}: ${c.message}`).join('\n')).toEqual(want);
    for (const c of result.changes) {
      expect(c.oldPointer ?? c.newPointer).toMatch(/^#\//);
    }
  });
});
