import type { Oas3Rule } from '@redocly/openapi-core';

/**
 * An operation restricted to a role (`x-required-role`) must declare what a caller below that role
 * gets: a 403, so "insufficient privilege" is part of the contract and can be tested.
 */
export const requiredRole403: Oas3Rule = () => ({
  Operation(operation, { report, location }) {
    const role = (operation as unknown as Record<string, unknown>)['x-required-role'];
    if (role === undefined) return;
    if (typeof role !== 'string' || role.trim() === '') {
      report({ message: '`x-required-role` must be a non-empty string.', location: location.child(['x-required-role']) });
      return;
    }
    const responses = (operation.responses ?? {}) as Record<string, unknown>;
    if (!('403' in responses) && !('4XX' in responses)) {
      report({
        message: `Operation requires role '${role}' but declares no 403 response.`,
        location: location.child(['responses']).key(),
      });
    }
  },
});
