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
    // A read that declares no not-found answer cannot say "gone" in the contract's terms.
    if (!operation.responses.some((r) => isNotFoundAnswer(Number(r.status), r))) {
      return { skip: `the read declares no not-found answer, so whether the deleted object is gone cannot be judged (answered ${response.status})` };
    }
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
