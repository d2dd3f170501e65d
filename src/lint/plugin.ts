import type { Plugin } from '@redocly/openapi-core';
import { docNotesShape } from './rules/doc-notes-shape.ts';
import { operationApiVersion } from './rules/operation-api-version.ts';
import { requiredRole403 } from './rules/required-role-403.ts';
import { securedOperation401 } from './rules/secured-operation-401.ts';
import { securitySchemePrefix } from './rules/security-scheme-prefix.ts';

/**
 * The contract suite's own lint rules, registered by name under the `contracts/` prefix. Their
 * severities come from redocly.yaml, next to Redocly's built-in rules.
 */
export const contractsPlugin: Plugin = {
  id: 'contracts',
  rules: {
    oas3: {
      'secured-operation-401': securedOperation401,
      'operation-api-version': operationApiVersion,
      'required-role-403': requiredRole403,
      'doc-notes-shape': docNotesShape,
      'security-scheme-prefix': securitySchemePrefix,
    },
  },
};
