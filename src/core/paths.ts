import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/**
 * The package's own folder: where the shipped contracts, generated types and config live. Found by
 * walking up to the nearest package.json, so it is the same from `src/` (run through tsx) and from
 * the compiled `dist/src/` of the published package.
 */
export const packageRoot = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(from, '..');
  }
}

/** Folders of a project root. A root other than the package's is used by tests and by `--root`. */
export function projectPaths(root: string = packageRoot) {
  return {
    root,
    specs: path.join(root, 'specs'),
    generated: path.join(root, 'generated'),
    build: path.join(root, 'build'),
    lintConfig: path.join(root, 'redocly.yaml'),
  };
}
export type ProjectPaths = ReturnType<typeof projectPaths>;

/** A path relative to the project root, for messages (absolute paths are noise in CI logs). */
export function relativeToRoot(paths: ProjectPaths, file: string): string {
  const rel = path.relative(paths.root, file);
  return rel.startsWith('..') ? file : rel;
}

/**
 * The folder report paths are written relative to: the root of the git work tree the command runs
 * in (where GitHub resolves annotation and SARIF paths, even when CI runs from a subfolder), else
 * the current working directory. A `.git` file counts too (worktrees, submodules).
 */
export function reportRoot(cwd: string = process.cwd()): string {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(cwd);
  }
}

/**
 * A file as reports name it: relative to `root`, with `/` separators, never the absolute path of
 * the machine that ran. A file outside the root keeps its `../` steps; one already relative is kept.
 */
export function reportPath(root: string, file: string): string {
  if (!path.isAbsolute(file)) return file.split(path.sep).join('/');
  return (path.relative(root, file) || path.basename(file)).split(path.sep).join('/');
}
