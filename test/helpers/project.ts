import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../../src/core/paths.ts';

/**
 * A throw-away project root with copies of some of the shipped specs (and their generated types),
 * for tests that break or change a contract without touching the real one.
 */
export function tempProject(apis: string[]): { root: string; specs: string; cleanup(): void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'contracts-test-'));
  fs.mkdirSync(path.join(root, 'specs'));
  fs.mkdirSync(path.join(root, 'generated'));
  fs.cpSync(path.join(packageRoot, 'specs/shared'), path.join(root, 'specs/shared'), { recursive: true });
  for (const api of apis) {
    fs.cpSync(path.join(packageRoot, 'specs', api), path.join(root, 'specs', api), { recursive: true });
    const types = path.join(packageRoot, 'generated', `${api}.ts`);
    if (fs.existsSync(types)) fs.copyFileSync(types, path.join(root, 'generated', `${api}.ts`));
  }
  return {
    root,
    specs: path.join(root, 'specs'),
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

export function writeFile(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}
