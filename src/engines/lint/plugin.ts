import type { Plugin } from '@redocly/openapi-core';
import { authContract } from './rules/auth-contract.ts';
import { docNotesShape } from './rules/doc-notes-shape.ts';
import type { Contract } from '../../core/contract/model.ts';
import { ownedObjectOutcome } from './rules/owned-object-outcome.ts';
import { operationApiVersion } from './rules/operation-api-version.ts';
import { pathParameterProducer } from './rules/path-parameter-producer.ts';
import { requiredRole403 } from './rules/required-role-403.ts';
import { securedOperation401 } from './rules/secured-operation-401.ts';
import { securitySchemePrefix } from './rules/security-scheme-prefix.ts';

/**
 * The contract suite's own lint rules, registered by name under the `contracts/` prefix. Their
 * severities come from redocly.yaml, next to Redocly's built-in rules. The prefix is part of each
 * key because a plugin handed over as an object (rather than loaded from a file) is not prefixed.
 * Rules that judge a whole contract (links cross operations) read the loaded contracts through
 * `contractFor`.
 */
export function contractsPlugin(contractFor: (rootFile: string) => Contract | undefined = () => undefined): Plugin {
  return {
  id: 'contracts',
  rules: {
    oas3: {
      'contracts/secured-operation-401': securedOperation401,
      'contracts/operation-api-version': operationApiVersion,
      'contracts/required-role-403': requiredRole403,
      'contracts/doc-notes-shape': docNotesShape,
      'contracts/security-scheme-prefix': securitySchemePrefix,
      'contracts/auth-contract': authContract,
      'contracts/path-parameter-producer': pathParameterProducer(contractFor),
      'contracts/owned-object-outcome': ownedObjectOutcome(contractFor),
    },
  },
  };
}
