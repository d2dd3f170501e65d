import type { Oas3Rule } from '@redocly/openapi-core';

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
      const security = (operation.security ?? documentSecurity) as unknown;
      const secured = Array.isArray(security) && security.length > 0 &&
        !security.some((alt) => alt && typeof alt === 'object' && Object.keys(alt).length === 0);
      if (!secured) return;
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
