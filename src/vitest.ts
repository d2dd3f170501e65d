/**
 * Vitest setup file: registers `toMatchContract`. Use it from vitest.config.ts
 * (`test: { setupFiles: ['security-api-contracts/vitest'] }`) or import it at the top of a test file.
 *
 *   expect(res).toMatchContract('defguard');                    // supertest response
 *   await expect(response).toMatchContract('defguard');          // fetch Response (body is read)
 *   await expect(response).toMatchContract('defguard', { method: 'POST' });
 */
import { expect } from 'vitest';
import { toMatchContract, type MatchContractOptions } from './library/matcher.ts';

expect.extend({ toMatchContract });

export type { MatchContractOptions };

declare module 'vitest' {
  interface Matchers<T = any> {
    /**
     * Judges the response with the contract's response checks (`status-declared`, `content-type`,
     * `response-schema`, `response-headers`; `operation-unknown` when no operation matches).
     * `api` is a contract name (`'defguard'`) or a path to an OpenAPI file. Await it for a fetch
     * `Response`; for a supertest response it is synchronous once the contract is loaded
     * (`await contract('defguard').load()` in a `beforeAll`) and is awaited by vitest otherwise.
     */
    toMatchContract(api: string, options?: MatchContractOptions): T extends Response ? Promise<void> : void;
  }
}
