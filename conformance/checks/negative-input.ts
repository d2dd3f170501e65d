import type { Check } from '../types.ts';

/** A request made invalid on purpose is rejected with a declared 4xx — never accepted, never a 5xx. */
export const negativeInput: Check<'negative-input'> = {
  id: 'negative-input',
  title: 'Invalid input is rejected with a declared 4xx',
  appliesTo: { kinds: ['negative'], request: 'planned' },
  run({ operation, requestCase, response, declared }) {
    const location = { ...operation.source, pointer: `${operation.source.pointer}/responses` };
    const what = requestCase.mutation ?? 'invalid input';
    if (response.status >= 400 && response.status < 500) {
      if (declared) return { findings: [] };
      return { findings: [{ message: `${what}: rejected with ${response.status}, which the operation does not declare`, location }] };
    }
    const verdict = response.status < 400 ? `accepted (${response.status})` : `answered with a server error (${response.status})`;
    return { findings: [{ message: `${what}: ${verdict}; a 4xx is required`, location }] };
  },
};
