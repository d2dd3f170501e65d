import type { Check } from '../types.ts';

/** No request the runner sends — valid, invalid or unauthenticated — makes the server fail (5xx). */
export const noServerError: Check<'no-server-error'> = {
  id: 'no-server-error',
  title: 'No 5xx for any request',
  appliesTo: { kinds: ['positive', 'negative', 'no-credentials', 'auth'], request: 'planned' },
  run({ operation, response, declared }) {
    if (response.status < 500) return { findings: [] };
    const note = declared && declared.status !== 'default' ? ' (the contract declares it, but a server error is still a failure)' : '';
    return {
      findings: [
        {
          message: `server error ${response.status}${note}`,
          location: { ...operation.source, pointer: `${operation.source.pointer}/responses` },
        },
      ],
    };
  },
};
