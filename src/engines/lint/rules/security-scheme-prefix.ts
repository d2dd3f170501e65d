import type { Oas3Rule } from '@redocly/openapi-core';

/**
 * A credential carried in the `Authorization` header by an apiKey scheme is ambiguous: raw token,
 * `Token <key>`, or something else. The scheme must say, with `x-scheme-prefix` (`''` for a raw
 * token), so clients, mocks and the runner build and check the header the same way.
 */
export const securitySchemePrefix: Oas3Rule = () => ({
  SecurityScheme(scheme, { report, location }) {
    const s = scheme as Record<string, unknown>;
    const prefix = s['x-scheme-prefix'];
    if (prefix !== undefined && typeof prefix !== 'string') {
      report({ message: '`x-scheme-prefix` must be a string.', location: location.child(['x-scheme-prefix']) });
      return;
    }
    const pattern = s['x-token-pattern'];
    if (pattern !== undefined) {
      try {
        new RegExp(String(pattern));
      } catch {
        report({ message: '`x-token-pattern` is not a valid regular expression.', location: location.child(['x-token-pattern']) });
      }
    }
    const inAuthorization = s.type === 'apiKey' && s.in === 'header' && String(s.name).toLowerCase() === 'authorization';
    if (inAuthorization && prefix === undefined) {
      report({
        message: 'apiKey scheme in the Authorization header must declare `x-scheme-prefix` (use \'\' for a raw token).',
        location: location.key(),
      });
    }
  },
});
