import { startPrism, type RunningMock } from '../../mocks/prism.ts';
import type { ApiEntry } from '../contract/discover.ts';
import { UsageError } from '../errors.ts';
import type { ProjectPaths } from '../paths.ts';
import { bundleApis } from './bundle.ts';

/**
 * Starts one Prism mock per API. Ports are consecutive from `firstPort`, or chosen by `portFor`
 * (used where any free port will do). If one mock fails to start, the others are stopped.
 */
export async function startMocks(
  paths: ProjectPaths,
  apis: ApiEntry[],
  portFor: (index: number) => Promise<number> | number,
): Promise<RunningMock[]> {
  const bundles = await bundleApis(paths, apis);
  const ports = await Promise.all(apis.map((_, i) => portFor(i)));
  const settled = await Promise.allSettled(apis.map((api, i) => startPrism(api.name, bundles.get(api.name)!, ports[i]!)));
  const running = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) {
    await stopMocks(running);
    throw failure.reason;
  }
  return running;
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
