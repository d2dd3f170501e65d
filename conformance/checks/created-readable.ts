import type { Check } from '../types.ts';

/**
 * An object the run just created can be read back: the read answers with a declared 2xx. A service
 * that acknowledges a creation and then cannot find the object has lost it (or created it elsewhere).
 */
export const createdReadable: Check<'created-readable'> = {
  id: 'created-readable',
  title: 'A created object can be read back',
  appliesTo: { kinds: ['read-back'], request: 'planned' },
  run({ contract, operation, requestCase, response, declared }) {
    if (response.status >= 200 && response.status <= 299 && declared) return { findings: [] };
    const from = requestCase.values?.from ? ` (created through ${requestCase.values.from})` : '';
    return {
      findings: [
        {
          message: `the object the run created${from} could not be read back: ${operation.method.toUpperCase()} ${requestCase.url} answered ${response.status}`,
          location: contract.sourceMap.locate(`${operation.pointer}/responses`),
        },
      ],
    };
  },
};
