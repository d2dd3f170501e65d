import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../core/paths.ts';
import { createAjv } from '../../core/validate/cache.ts';

/** The documented shape of `x-auth-contract` (one schema for the document default and operation overrides). */
export const AUTH_CONTRACT_SCHEMA_FILE = path.join(packageRoot, 'specs/extensions/x-auth-contract.schema.json');

let validateShape: ReturnType<ReturnType<typeof createAjv>['compile']> | undefined;

/**
 * What is wrong with one `x-auth-contract` value, as `<path in the value> <problem>` lines (empty when
 * it has the documented shape). Lint reports these; the docs refuse to render a contract that has any,
 * so a shape lint rejects is never shown as if it meant something.
 */
export function authContractShapeProblems(value: unknown): { path: string; message: string }[] {
  validateShape ??= createAjv().compile(JSON.parse(fs.readFileSync(AUTH_CONTRACT_SCHEMA_FILE, 'utf8')));
  if (validateShape(value)) return [];
  const errors = validateShape.errors ?? [];
  // A value of the wrong type makes every other keyword at its place fail too; the type says it all.
  const wrongType = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  return errors
    .filter((e) => e.keyword === 'type' || !wrongType.has(e.instancePath))
    // `must match "then"/"else" schema` only repeats the error found inside that branch.
    .filter((e) => e.keyword !== 'if')
    .map((e) => ({
      path: e.instancePath,
      message: e.keyword === 'not' ? 'must not give `status` when `applies` is false' : (e.message ?? 'is invalid'),
    }));
}
