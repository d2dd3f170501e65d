/**
 * Serves the stateful mock of one API in its own process (so a benchmark measures the mock, not
 * the process driving it): `node --import tsx bench/serve-stateful.ts <api> [port]`. Prints one
 * JSON line `{"url": …}` once listening, and stops on SIGTERM or when stdin closes.
 * Rate limiting is off: the benchmarks send far more than a real tenant's quota.
 */
import { startStatefulMocks } from '../src/cli/commands/stateful.ts';
import { selectApis } from '../src/core/contract/discover.ts';
import { projectPaths } from '../src/core/paths.ts';

const [api, port] = process.argv.slice(2);
if (!api) {
  console.error('usage: serve-stateful.ts <api> [port]');
  process.exit(2);
}
const [mock] = await startStatefulMocks(selectApis(projectPaths(), [api]), () => Number(port ?? 0), { rateLimit: false });
console.log(JSON.stringify({ api, url: mock!.url, startupMs: mock!.startupMs }));
const stop = async () => {
  await mock!.stop();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();
