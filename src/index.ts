/**
 * Library mode: `import { contract, clients } from 'security-api-contracts'`.
 *
 * - `contract(name | file)`: a contract loaded once per process, with `validateResponse`, `findOperation`
 *   and `authMatrix` (the runner's own checks, used programmatically).
 * - `clients.<api>({ baseUrl, token })`: typed openapi-fetch clients with each API's auth scheme applied.
 * - `security-api-contracts/vitest`: the `toMatchContract` matcher (a separate entry, so importing the
 *   library never pulls in vitest).
 */
export {
  contract,
  ContractHandle,
  OPERATION_UNKNOWN,
  RESPONSE_CHECKS,
  type AuthMatrix,
  type AuthMatrixOptions,
  type CheckId,
  type ClassCounts,
  type ClassCredentials,
  type ContractViolation,
  type ResponseCheckId,
  type ResponseInput,
} from './library/contract.ts';
export { formatViolations, type MatchContractOptions } from './library/matcher.ts';
export {
  AUTH_SCHEMES,
  clients,
  type ClientApi,
  type ClientOptions,
  type DefenderCloudAppsPaths,
  type DefenderIotManagementPaths,
  type DefenderIotSensorPaths,
  type DefguardPaths,
} from './library/clients.ts';
export type { Contract, CredentialClass, OperationModel } from './core/contract/model.ts';
export type { SourceLocation } from './core/contract/location.ts';
export type { CheckResult } from '../conformance/types.ts';
export { tokenVariable } from '../conformance/credentials.ts';
