import type { SourceLocation } from '../../core/contract/location.ts';
import type { Contract } from '../../core/contract/model.ts';

/** Where a pointer of a contract's bundled document is written in its hand-written files. */
export function locate(contract: Contract, pointer: string): SourceLocation {
  return { file: contract.rootFile, pointer };
}
