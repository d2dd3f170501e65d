/**
 * Where the examples find a mock of an API. `test/library-pack.test.ts` starts the mocks itself and
 * passes their URLs as CONTRACTS_MOCK_URL_<API> (e.g. CONTRACTS_MOCK_URL_DEFGUARD); run alone, an
 * example starts the contract-only Prism mock (behind the credential gate) of this repo.
 *
 * TODO(stateful mocks): switch to the stateful mock (`buildStatefulMockFor` in mocks/registry.ts,
 * landing in parallel) here and in test/library-pack.test.ts — it honours every credential class and
 * keeps state; Prism behind the credential gate is the contract-only mock.
 */
import { afterAll, beforeAll } from 'vitest';

export function mockUrlVariable(api: string): string {
  return `CONTRACTS_MOCK_URL_${api.replace(/\W+/g, '_').toUpperCase()}`;
}

/** Registers beforeAll/afterAll hooks; `url` is set once the mock answers. */
export function useMock(api: string): { url: string } {
  const mock = { url: '' };
  let stop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const given = process.env[mockUrlVariable(api)];
    if (given) {
      mock.url = given;
      return;
    }
    const { startMocks, stopMocks } = await import('../src/cli/commands/mock.ts');
    const { selectApis } = await import('../src/core/contract/discover.ts');
    const { projectPaths } = await import('../src/core/paths.ts');
    const { freePort } = await import('../src/core/net.ts');
    const paths = projectPaths();
    const running = await startMocks(paths, selectApis(paths, [api]), () => freePort());
    mock.url = running[0]!.url;
    stop = () => stopMocks(running);
  });
  afterAll(async () => {
    await stop?.();
  });
  return mock;
}
