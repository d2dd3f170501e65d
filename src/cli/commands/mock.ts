import { startCredentialGate } from '../../../mocks/prism/credential-gate.ts';
import { startPrism, type RunningMock } from '../../../mocks/prism/prism.ts';
import { loadContract } from '../../core/contract/load.ts';
import { freePort } from '../../core/net.ts';
import type { ApiEntry } from '../../core/contract/discover.ts';
import { UsageError } from '../../core/errors.ts';
import type { ProjectPaths } from '../../core/paths.ts';
import { bundleApis } from './bundle.ts';

/**
 * Starts one mock per API: Prism on an internal loopback port, behind the credential gate that
 * listens on the public port. Ports come from `portFor` (consecutive, or any free port). If one
 * mock fails to start, the others are stopped.
 */
export async function startMocks(
  paths: ProjectPaths,
  apis: ApiEntry[],
  portFor: (index: number) => Promise<number> | number,
): Promise<RunningMock[]> {
  const bundles = await bundleApis(paths, apis);
  const ports = await Promise.all(apis.map((_, i) => portFor(i)));
  const settled = await Promise.allSettled(apis.map((api, i) => startGatedPrism(api, bundles.get(api.name)!, ports[i]!)));
  const running = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) {
    await stopMocks(running);
    throw failure.reason;
  }
  return running;
}

async function startGatedPrism(api: ApiEntry, bundledFile: string, port: number): Promise<RunningMock> {
  const prism = await startPrism(api.name, bundledFile, await freePort());
  try {
    const gate = await startCredentialGate(await loadContract(api), prism.url, port);
    return {
      ...prism,
      url: gate.url,
      port: gate.port,
      stop: async () => {
        await gate.close();
        await prism.stop();
      },
    };
  } catch (err) {
    await prism.stop();
    throw err;
  }
}

export async function stopMocks(mocks: RunningMock[]): Promise<void> {
  await Promise.all(mocks.map((m) => m.stop()));
}

export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--port must be a number from 1 to 65535, got '${value}'`);
  return port;
}

export function formatMockTable(mocks: RunningMock[]): string {
  const width = Math.max(...mocks.map((m) => m.api.length), 3);
  return [`${'API'.padEnd(width)}  URL`, ...mocks.map((m) => `${m.api.padEnd(width)}  ${m.url}`)].join('\n');
}
