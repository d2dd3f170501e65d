import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The package's own folder: where the shipped contracts, generated types and config live. */
export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

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
