import type { Check } from '../types.ts';

/** The status code the server answered with is one the operation declares (ranges and default count). */
export const statusDeclared: Check<'status-declared'> = {
  id: 'status-declared',
  title: 'Response status is declared for the operation',
  appliesTo: { kinds: ['positive', 'negative', 'no-credentials', 'auth', 'read-back', 'gone'], request: 'any' },
  run({ contract, operation, response, declared }) {
    if (declared) return { findings: [] };
    const listed = operation.responses.map((r) => r.status).join(', ');
    return {
      findings: [
        {
          message: `status ${response.status} is not declared (declared: ${listed})`,
          location: contract.sourceMap.locate(`${operation.pointer}/responses`),
        },
      ],
    };
  },
};
