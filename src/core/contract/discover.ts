import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.ts';
import type { ProjectPaths } from '../paths.ts';

export interface ApiEntry {
  /** Folder name under specs/, used as the API's name everywhere (commands, generated file, reports). */
  name: string;
  /** Absolute path of the root document. */
  rootFile: string;
}

const ROOT_DOCUMENT = 'openapi.yaml';

/** Every API under specs/: a folder is an API exactly when it holds an openapi.yaml. */
export function discoverApis(paths: ProjectPaths): ApiEntry[] {
  if (!fs.existsSync(paths.specs)) {
    throw new UsageError(`no specs folder at ${paths.specs}`);
  }
  return fs
    .readdirSync(paths.specs, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(paths.specs, d.name, ROOT_DOCUMENT)))
    .map((d) => ({ name: d.name, rootFile: path.join(paths.specs, d.name, ROOT_DOCUMENT) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The APIs a command works on: the named ones (each must exist), or all of them when none is named.
 * A name may also be a path to an OpenAPI file outside specs/.
 */
export function selectApis(paths: ProjectPaths, names: readonly string[]): ApiEntry[] {
  const all = discoverApis(paths);
  if (names.length === 0) return all;
  return names.map((name) => {
    const found = all.find((a) => a.name === name);
    if (found) return found;
    if (/\.(ya?ml|json)$/i.test(name) && fs.existsSync(name)) {
      return { name: path.basename(name).replace(/\.(ya?ml|json)$/i, ''), rootFile: path.resolve(name) };
    }
    const known = all.map((a) => a.name).join(', ') || '(none)';
    throw new UsageError(`unknown API '${name}'; known APIs: ${known}`);
  });
}
