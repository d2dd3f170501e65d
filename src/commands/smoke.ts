import { runContract, type RunResult } from '../../conformance/run.ts';
import type { ApiEntry } from '../contract/discover.ts';
import { loadContract } from '../contract/load.ts';
import { UsageError } from '../errors.ts';
import { isLoopbackUrl } from '../net.ts';

/** The environment variable that holds an API's credential, e.g. DEFENDER_IOT_SENSOR_TOKEN. */
export function tokenVariable(api: string): string {
  return `${api.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase()}_TOKEN`;
}

// Mocks accept any well-formed credential; this one is only ever sent to loopback targets.
const MOCK_PLACEHOLDER_TOKEN = '0123456789abcdef0123456789abcdef';

/**
 * The smoke check: calls every operation of the API once with a valid request (and secured ones
 * once without credentials) and judges each response against the contract.
 */
export async function smokeApi(
  api: ApiEntry,
  target: string,
  { env = process.env, allowMutations = false }: { env?: NodeJS.ProcessEnv; allowMutations?: boolean } = {},
): Promise<RunResult> {
  let base: URL;
  try {
    base = new URL(target);
  } catch {
    throw new UsageError(`--target must be a URL such as http://127.0.0.1:4010, got '${target}'`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new UsageError(`--target must be http or https, got '${target}'`);
  const variable = tokenVariable(api.name);
  const token = env[variable] || (isLoopbackUrl(target) ? MOCK_PLACEHOLDER_TOKEN : undefined);
  if (token === undefined) throw new UsageError(`${variable} is not set; the smoke check needs a credential for ${base.origin}`);
  const contract = await loadContract(api);
  return runContract(contract, { baseUrl: target, credentials: () => token, secretVariable: variable, allowMutations });
}
