import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { selectApis } from '../src/core/contract/discover.ts';
import { loadContract } from '../src/core/contract/load.ts';
import { packageRoot, projectPaths } from '../src/core/paths.ts';

const MINIMUM_COVERED = 150;

describe('Defguard route coverage', () => {
  it(`covers at least ${MINIMUM_COVERED} of the server's routes`, async () => {
    const routes = fs
      .readFileSync(path.join(packageRoot, 'test/fixtures/defguard/routes.txt'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    expect(routes).toHaveLength(190);
    const [api] = selectApis(projectPaths(), ['defguard']);
    const contract = await loadContract(api!);
    // Parameter names differ between router and contract in places; compare the route's shape.
    const shape = (p: string) => p.replace(/\{[^}]+\}/g, '{}');
    const declared = new Set(contract.operations.map((o) => `${o.method.toUpperCase()} ${shape(o.path)}`));
    const missing = routes.filter((r) => {
      const [method = '', route = ''] = r.split(/\s+/);
      return !declared.has(`${method.toUpperCase()} ${shape(route)}`);
    });
    const covered = routes.length - missing.length;
    expect(covered, `missing:\n${missing.join('\n')}`).toBeGreaterThanOrEqual(MINIMUM_COVERED);
    // Every route left out must be named, with its reason, in the contract's own notes.
    const notes = JSON.stringify(contract.document['x-doc-notes'] ?? (contract.document.info as Record<string, unknown>)['x-doc-notes']);
    for (const r of missing) expect(notes, `${r} is listed as left out`).toContain(`${r.split(/\s+/)[0]} ${r.split(/\s+/)[1]}`);
  });
});
