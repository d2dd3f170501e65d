#!/usr/bin/env node
// Thin launcher. In a checkout the TypeScript sources are there and run through tsx's loader, so
// there is no build step between editing a module and running it. The published package ships the
// compiled JavaScript (dist/) and no sources, and runs that: no compiler at start-up.
import fs from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);
let main;
if (fs.existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(source.href));
} else {
  ({ main } = await import('../dist/src/cli/main.js'));
}
process.exitCode = await main(process.argv);
