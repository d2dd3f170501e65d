import type { Check } from '../types.ts';

/** A secured operation called without any credential answers 401, as the contract declares. */
export const authRequired: Check<'auth-required'> = {
  id: 'auth-required',
  title: 'Secured operation rejects a request without credentials with 401',
  appliesTo: { kinds: ['no-credentials'], request: 'any' },
  run({ operation, response }) {
    const location = { ...operation.source, pointer: `${operation.source.pointer}/responses` };
    if (response.status === 401) return { findings: [] };
    const what = response.status < 300 ? 'accepted the request' : `answered ${response.status}`;
    return { findings: [{ message: `without credentials the server ${what}; the contract requires 401`, location }] };
  },
};
