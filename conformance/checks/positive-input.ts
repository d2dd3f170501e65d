import { changesState, type Contract, type OperationModel } from '../../src/core/contract/model.ts';
import { isObject, resolveLocal } from '../../src/core/contract/pointer.ts';
import { isJsonMediaType, isNotFoundAnswer } from '../../src/core/contract/responses.ts';
import type { Check, RequestCase } from '../types.ts';

/** Statuses that mean "your request is malformed" rather than "not found" or "not allowed". */
const REJECTION = new Set([400, 413, 415, 422]);

/**
 * A request that is valid by the contract is not rejected as malformed, and an object the target
 * itself named (or the run created) is found. Only for requests the runner built from the
 * contract: an observed request may really be malformed.
 *
 * A not-found answer to the contract's example values says nothing about the server (its data is
 * not ours): the operation is reported as not covered, never as failed. The same goes for values
 * that came through a link the runner inferred rather than one the contract writes.
 */
export const positiveInput: Check<'positive-input'> = {
  id: 'positive-input',
  title: 'Valid input is not rejected',
  appliesTo: { kinds: ['positive'], request: 'planned' },
  run({ contract, operation, requestCase, response, declared }) {
    const location = contract.sourceMap.locate(`${operation.pointer}/${operation.requestBody ? 'requestBody' : 'parameters'}`);
    const values = requestCase.values;
    if (values && isNotFoundAnswer(response.status, declared)) {
      if (values.origin === 'example') return { skip: `not covered: ${describe(requestCase)} does not exist on the target (no value was discovered for it)` };
      if (values.origin === 'discovered' && !values.written) {
        return { skip: `not covered: ${describe(requestCase)} was not found; it came through an inferred link (${values.from}), which may not mean what the route takes` };
      }
      return { findings: [{ message: `${describe(requestCase)}, ${values.origin === 'created' ? 'which the run created' : `named by the target (${values.from})`}, was answered ${response.status} (not found)`, location }] };
    }
    // Without path values, a not-found can only be about a reference in the example body (a
    // location id the target does not have): the target's data, not its conformance.
    if (!values && requestCase.body !== undefined && isNotFoundAnswer(response.status, declared)) {
      return { skip: `not covered: answered ${response.status} (not found) to the example body, which may name an object the target does not have` };
    }
    if (!REJECTION.has(response.status)) return { findings: [] };
    // The body carries a value nothing yields (the caller's current password): the example stands
    // in for it, and a rejection says the example is not that value, not that the target is wrong.
    const unknown = response.status === 400 || response.status === 422 ? unproducedBodyFields(contract, operation, requestCase) : [];
    if (unknown.length > 0) {
      return { skip: `not covered: rejected with ${response.status}; nothing yields the body's ${unknown.map(([name, why]) => `${name} (${why.trim()})`).join(', ')}` };
    }
    // A body taken from the contract's example can clash with the object the run created (an
    // address another device holds): the schema cannot say so, and neither can the runner.
    if (values?.origin === 'created' && requestCase.body !== undefined && changesState(operation)) {
      return { skip: `not covered: rejected with ${response.status}; the example body may not fit the object the run created` };
    }
    // An example value on a request that changes an object names an object the run did not make:
    // the target may answer "no such object" with a 400, which says nothing about its conformance.
    if (values?.origin === 'example' && changesState(operation) && (response.status === 400 || response.status === 422)) {
      return { skip: `not covered: rejected with ${response.status} for the example value; the run created no object to change` };
    }
    const origin = values && values.origin !== 'example' ? ` (path values ${values.origin === 'created' ? 'of an object the run created' : `discovered through ${values.from}`})` : '';
    return { findings: [{ message: `a request valid by the contract was rejected with ${response.status}${origin}`, location }] };
  },
};

/** Top-level body properties the request sent that the contract marks `x-no-producer`, with the reason. */
function unproducedBodyFields(contract: Contract, operation: OperationModel, rc: RequestCase): [string, string][] {
  const media = operation.requestBody?.content.find((c) => isJsonMediaType(c.mediaType));
  if (!media?.schema || !isObject(rc.bodyValue)) return [];
  const sent = rc.bodyValue;
  const resolve = (raw: unknown) => {
    const { node } = resolveLocal(contract.document, raw, '');
    return isObject(node) ? node : {};
  };
  const props = resolve(media.schema).properties;
  if (!isObject(props)) return [];
  return Object.entries(props)
    .map(([name, raw]): [string, unknown] => [name, resolve(raw)['x-no-producer']])
    .filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] in sent);
}

function describe(rc: RequestCase): string {
  const pairs = Object.entries(rc.pathValues ?? {}).map(([k, v]) => `${k}=${String(v)}`);
  return pairs.length > 0 ? `the object ${pairs.join(', ')}` : 'the object';
}
