// The CLI as the published package runs it: the compiled JavaScript in dist/ (`npm run build`), no
// TypeScript loader. The benches time this, not the checkout's tsx launcher, since this is what users run.
const { main } = await import('../dist/src/cli/main.js');
process.exitCode = await main(process.argv);
