/**
 * Vitest setup file: registers `toMatchContract`, and fails any test in which a `toMatchContract`
 * promise was not awaited. Use it from vitest.config.ts
 * (`test: { setupFiles: ['security-api-contracts/vitest'] }`) or import it at the top of a test file.
 *
 *   await expect(response).toMatchContract('defguard');                      // typed-client or fetch Response
 *   await expect(response).toMatchContract('defguard', { method: 'POST' });  // a plain fetch Response
 *   expect(res).toMatchContract('defguard');   // supertest / app.inject(), once the contract is loaded
 */
import { expect } from 'vitest';
import { requireAwait } from './library/await-guard.ts';
import { toMatchContract, type MatchContractOptions } from './library/matcher.ts';

expect.extend({ toMatchContract });
requireAwait('toMatchContract');

export type { MatchContractOptions };

declare module 'vitest' {
  interface Matchers<T = any> {
    /**
     * Judges the response with the contract's response checks (`status-declared`, `content-type`,
     * `response-schema`, `response-headers`; `operation-unknown` when no operation matches).
     * `api` is a contract name (`'defguard'`) or a path to an OpenAPI file.
     *
     * Always `await` it for a fetch `Response` (the body is read); a plain fetch `Response` also
     * needs `{ method }`. For supertest and `app.inject()` responses it is synchronous once the
     * contract is loaded (`await contract('defguard').load()` in a `beforeAll`) and returns a promise
     * otherwise. A promise that is not awaited fails the test.
     */
    toMatchContract(api: string, options?: MatchContractOptions): T extends Response | { response: Response } ? Promise<void> : void;
  }
}
