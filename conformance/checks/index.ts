import type { Check } from '../types.ts';
import { authRequired } from './auth-required.ts';
import { contentType } from './content-type.ts';
import { negativeInput } from './negative-input.ts';
import { noServerError } from './no-server-error.ts';
import { positiveInput } from './positive-input.ts';
import { responseHeaders } from './response-headers.ts';
import { responseSchema } from './response-schema.ts';
import { statusDeclared } from './status-declared.ts';

/** Every check, by its stable id. */
export const checks: ReadonlyMap<string, Check> = new Map(
  [statusDeclared, contentType, responseSchema, responseHeaders, noServerError, negativeInput, positiveInput, authRequired].map(
    (c) => [c.id, c],
  ),
);

export function getCheck(id: string): Check {
  const check = checks.get(id);
  // A plan that names a check nobody implemented must fail loudly, never pass silently.
  if (!check) throw new Error(`check '${id}' is not implemented`);
  return check;
}
