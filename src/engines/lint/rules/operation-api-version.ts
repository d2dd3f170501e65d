import type { Oas3Rule } from '@redocly/openapi-core';

const VERSION = /^(none|v\d+)$/;

/** Every operation says which API version it belongs to (`x-api-version`: `none`, `v1`, `v2`, ...). */
export const operationApiVersion: Oas3Rule = () => ({
  Operation(operation, { report, location }) {
    const value = (operation as unknown as Record<string, unknown>)['x-api-version'];
    if (value === undefined) {
      report({ message: 'Operation has no `x-api-version` (none, v1, v2, ...).', location: location.key() });
    } else if (typeof value !== 'string' || !VERSION.test(value)) {
      report({
        message: '`x-api-version` must be `none` or `v` followed by a number.',
        location: location.child(['x-api-version']),
      });
    }
  },
});
