import { isNotFoundAnswer } from '../../src/core/contract/responses.ts';
import type { Check } from '../types.ts';

/**
 * An object the run deleted (and whose deletion was acknowledged) is gone: reading it answers with
 * the operation's declared not-found response. A 2xx means the delete did nothing.
 */
export const deletedGone: Check<'deleted-gone'> = {
  id: 'deleted-gone',
  title: 'A deleted object is gone',
  appliesTo: { kinds: ['gone'], request: 'planned' },
  run({ contract, operation, requestCase, response, declared }) {
    if (isNotFoundAnswer(response.status, declared) && declared) return { findings: [] };
    const what = response.status >= 200 && response.status <= 299 ? 'is still there' : 'was not answered with a declared not-found';
    return {
      findings: [
        {
          message: `the object the run deleted ${what}: ${operation.method.toUpperCase()} ${requestCase.url} answered ${response.status}`,
          location: contract.sourceMap.locate(`${operation.pointer}/responses`),
        },
      ],
    };
  },
};
