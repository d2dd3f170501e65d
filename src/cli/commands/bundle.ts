import fs from 'node:fs';
import path from 'node:path';
import type { ApiEntry } from '../../core/contract/discover.ts';
import { loadContract } from '../../core/contract/load.ts';
import type { ProjectPaths } from '../../core/paths.ts';

/** Writes one bundled, self-contained document per API to build/<api>.openapi.json. */
export async function bundleApis(paths: ProjectPaths, apis: ApiEntry[], outDir = paths.build): Promise<Map<string, string>> {
  fs.mkdirSync(outDir, { recursive: true });
  const written = new Map<string, string>();
  for (const api of apis) {
    const contract = await loadContract(api);
    const file = path.join(outDir, `${api.name}.openapi.json`);
    fs.writeFileSync(file, `${JSON.stringify(contract.document, null, 2)}\n`);
    written.set(api.name, file);
  }
  return written;
}
