import type { Check } from '../types.ts';

/** A secured operation called without any credential answers 401, as the contract declares. */
export const authRequired: Check<'auth-required'> = {
  id: 'auth-required',
  title: 'Secured operation rejects a request without credentials with 401',
  appliesTo: { kinds: ['no-credentials'], request: 'any' },
  run({ contract, operation, response }) {
    const declared401 = operation.responses.find((r) => r.status === '401');
    const location = contract.sourceMap.locate(declared401 ? `${operation.pointer}/responses/401` : `${operation.pointer}/responses`);
    if (response.status === 401) return { findings: [] };
    const what = response.status < 300 ? 'accepted the request' : `answered ${response.status}`;
    return { findings: [{ message: `without credentials the server ${what}; the contract requires 401`, location }] };
  },
};
