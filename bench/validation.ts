/**
 * Response-validation throughput on Defguard's device list (GET /api/v1/device, 200), with the
 * shared validator cache (compiled once) side by side with compiling per call, as a tool without
 * a cache would. Prints validations per second and the ratio.
 *
 *   node --import tsx bench/validation.ts
 */
import { sample } from 'openapi-sampler';
import { selectApis } from '../src/core/contract/discover.ts';
import { loadContract } from '../src/core/contract/load.ts';
import { projectPaths } from '../src/core/paths.ts';
import { createAjv, validators } from '../src/core/validate/cache.ts';

const [api] = selectApis(projectPaths(), ['defguard']);
const contract = await loadContract(api!);
const op = contract.operations.find((o) => o.id === 'listDevices');
const media = op?.responses.find((r) => r.status === '200')?.content[0];
if (!media?.schemaPointer) throw new Error('listDevices 200 schema not found');

// A realistic body: the contract's example, or a sampled list of 20 devices.
const one = media.examples[0] ?? sample(media.schema as never, {}, contract.document as never);
const body = Array.isArray(one) && one.length > 0 ? Array.from({ length: 20 }, (_, i) => ({ ...one[i % one.length] })) : one;
if (validators.validate(contract, media.schemaPointer, body).length > 0) throw new Error('benchmark body does not validate');

function measure(label: string, ms: number, fn: () => void): number {
  const end = performance.now() + ms;
  let n = 0;
  while (performance.now() < end) {
    fn();
    n++;
  }
  const perSecond = Math.round((n * 1000) / ms);
  console.log(`${label.padEnd(34)} ${perSecond.toLocaleString('en-US').padStart(12)} validations/s`);
  return perSecond;
}

const cached = measure('cached validator (ours)', 2000, () => validators.validate(contract, media.schemaPointer!, body));
const uncached = measure('compile on every call (no cache)', 2000, () => {
  const ajv = createAjv();
  ajv.addSchema(contract.document, 'urn:bench:defguard');
  ajv.compile({ $ref: `urn:bench:defguard${media.schemaPointer}` })(body);
});
console.log(`items per body: ${Array.isArray(body) ? body.length : 1}; ratio cached/uncached: ${(cached / Math.max(1, uncached)).toFixed(0)}x`);
console.log(JSON.stringify({ bench: 'validation', schema: 'defguard listDevices 200', cachedPerSecond: cached, uncachedPerSecond: uncached }));
