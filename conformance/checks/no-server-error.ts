import { isNotFoundAnswer } from '../../src/core/contract/responses.ts';
import type { Check } from '../types.ts';

/**
 * No request the runner sends — valid, invalid or unauthenticated — makes the server fail (5xx).
 * Only for requests the runner built: it knows the request is one the contract describes, while an
 * observed 5xx may come from a fault provoked on purpose or an outage; status-declared and
 * response-schema still judge an observed 5xx answer.
 */
export const noServerError: Check<'no-server-error'> = {
  id: 'no-server-error',
  title: 'No 5xx for any request',
  appliesTo: { kinds: ['positive', 'negative', 'no-credentials', 'auth', 'read-back', 'gone'], request: 'planned' },
  run({ contract, operation, requestCase, response, declared }) {
    if (response.status < 500) return { findings: [] };
    // A service that documents a 5xx as its answer to an unknown object (the IoT console) says
    // nothing wrong when the contract's example names an object it does not have.
    if (requestCase.kind === 'positive' && requestCase.values?.origin === 'example' && isNotFoundAnswer(response.status, declared)) {
      return { skip: `not covered: answered ${response.status}, the documented answer to an unknown object; the example value does not exist on the target (no value was discovered)` };
    }
    const note = declared && declared.status !== 'default' ? ' (the contract declares it, but a server error is still a failure)' : '';
    return {
      findings: [
        {
          message: `server error ${response.status}${note}`,
          // A declared 5xx is where the contract speaks of this answer; else the operation's responses.
          location: contract.sourceMap.locate(declared && declared.status !== 'default' ? declared.pointer : `${operation.pointer}/responses`),
        },
      ],
    };
  },
};
