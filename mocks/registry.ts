import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Contract } from '../src/core/contract/model.ts';
import type { ApiModule } from './kit/define.ts';
import { buildStatefulMock, type StatefulMockOptions } from './kit/server.ts';

/**
 * The stateful mocks there are: one folder per API, `mocks/<api>/index.ts`, whose default export is
 * the API's `defineApiModule(...)`. Adding an API's mock is adding its folder; nothing here changes.
 */
const MOCKS_DIR = path.dirname(fileURLToPath(import.meta.url));
/** `index.ts` in the sources (run through tsx), `index.js` in the compiled package. */
const ENTRY = `index${path.extname(fileURLToPath(import.meta.url))}`;

let found: string[] | undefined;

/** The APIs that have a stateful mock, by name (the folder's name is the API's). */
export function statefulApis(): string[] {
  found ??= fs
    .readdirSync(MOCKS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(MOCKS_DIR, d.name, ENTRY)))
    .map((d) => d.name)
    .sort();
  return found;
}

export function hasStatefulMock(api: string): boolean {
  return statefulApis().includes(api);
}

/** The module of an API's stateful mock, loaded from its folder. */
export async function statefulModule(api: string): Promise<ApiModule> {
  if (!hasStatefulMock(api)) throw new Error(`no stateful mock for '${api}'`);
  const file = path.join(MOCKS_DIR, api, ENTRY);
  const loaded = ((await import(pathToFileURL(file).href)) as { default?: ApiModule }).default;
  if (!loaded || typeof loaded.handlers !== 'function') throw new Error(`${path.relative(process.cwd(), file)}: the default export must be defineApiModule(...)`);
  if (loaded.api !== api) throw new Error(`${path.relative(process.cwd(), file)}: declares api '${loaded.api}' in the folder of '${api}'`);
  return loaded;
}

export async function buildStatefulMockFor(contract: Contract, options?: StatefulMockOptions) {
  return buildStatefulMock(contract, await statefulModule(contract.api), options);
}
