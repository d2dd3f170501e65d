import type { Oas3Rule } from '@redocly/openapi-core';
import { isSecuredBy, readSecurityRequirements } from '../../../core/auth/index.ts';

/**
 * An operation that needs a credential must say what a caller without one gets: a declared 401.
 * The auth checks of the runner rely on it, and readers of the reference need it.
 */
export const securedOperation401: Oas3Rule = () => {
  let documentSecurity: unknown;
  return {
    Root: {
      enter(root) {
        documentSecurity = (root as { security?: unknown }).security;
      },
    },
    Operation(operation, { report, location }) {
      if (!isSecuredBy(readSecurityRequirements(operation.security ?? documentSecurity))) return;
      const responses = (operation.responses ?? {}) as Record<string, unknown>;
      if (!('401' in responses) && !('4XX' in responses)) {
        report({
          message: 'Operation requires a credential but declares no 401 response.',
          location: location.child(['responses']).key(),
        });
      }
    },
  };
};
