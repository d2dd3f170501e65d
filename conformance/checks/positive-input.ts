import type { Check } from '../types.ts';

/** Statuses that mean "your request is malformed" rather than "not found" or "not allowed". */
const REJECTION = new Set([400, 413, 415, 422]);

/**
 * A request that is valid by the contract is not rejected as malformed. Only for requests the
 * runner built from the contract: an observed request may really be malformed.
 */
export const positiveInput: Check<'positive-input'> = {
  id: 'positive-input',
  title: 'Valid input is not rejected',
  appliesTo: { kinds: ['positive'], request: 'planned' },
  run({ contract, operation, response }) {
    if (!REJECTION.has(response.status)) return { findings: [] };
    return {
      findings: [
        {
          message: `a request valid by the contract was rejected with ${response.status}`,
          location: contract.sourceMap.locate(`${operation.pointer}/${operation.requestBody ? 'requestBody' : 'parameters'}`),
        },
      ],
    };
  },
};
