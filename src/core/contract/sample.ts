import { sample } from 'openapi-sampler';
import type { Contract, JsonObject } from './model.ts';

/**
 * A value valid against a schema of the contract, made up by openapi-sampler (read-only properties
 * left out, as a request would; `$ref`s resolved against the bundled document). The one place
 * values are sampled: the runner's requests (conformance/plan.ts) and the mocks' answers without an
 * example (mocks/kit/replies.ts) both come here.
 */
export function sampleSchema(contract: Contract, schema: JsonObject): unknown {
  return sample(schema as Parameters<typeof sample>[0], { skipReadOnly: true, quiet: true }, contract.document as Parameters<typeof sample>[2]);
}
