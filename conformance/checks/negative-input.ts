import type { Check } from '../types.ts';

/** A request made invalid on purpose is rejected with a declared 4xx — never accepted, never a 5xx. */
export const negativeInput: Check<'negative-input'> = {
  id: 'negative-input',
  title: 'Invalid input is rejected with a declared 4xx',
  appliesTo: { kinds: ['negative'], request: 'planned' },
  run({ contract, operation, requestCase, response, declared }) {
    const what = requestCase.mutation ?? 'invalid input';
    if (response.status >= 400 && response.status < 500) {
      if (declared) return { findings: [] };
      const responses = contract.sourceMap.locate(`${operation.pointer}/responses`);
      return { findings: [{ message: `${what}: rejected with ${response.status}, which the operation does not declare`, location: responses }] };
    }
    // Accepting the request breaks the rule it was made to break.
    const rule = contract.sourceMap.locate(requestCase.mutationPointer ?? `${operation.pointer}/responses`);
    const verdict = response.status < 400 ? `accepted (${response.status})` : `answered with a server error (${response.status})`;
    return { findings: [{ message: `${what}: ${verdict}; a 4xx is required`, location: rule }] };
  },
};
