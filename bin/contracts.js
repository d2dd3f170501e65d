#!/usr/bin/env node
// Thin launcher: the CLI is written in TypeScript and run through tsx's loader, so there is no build
// step between editing a module and running it.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
