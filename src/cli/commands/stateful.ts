import fs from 'node:fs';
import YAML from 'yaml';
import type { RunningMock } from '../../../mocks/prism/prism.ts';
import { buildStatefulMockFor, hasStatefulMock } from '../../../mocks/registry.ts';
import type { ApiEntry } from '../../core/contract/discover.ts';
import { loadContract } from '../../core/contract/load.ts';
import type { CredentialClass } from '../../core/contract/model.ts';
import { MockError, UsageError } from '../../core/errors.ts';

/** Reads a seed file (JSON or YAML): `{ <api>: <state snapshot> }`, as GET /__control/state returns it. */
export function readSeedFile(file: string): Record<string, unknown> {
  try {
    const doc = YAML.parse(fs.readFileSync(file, 'utf8')) as unknown;
    if (!doc || typeof doc !== 'object') throw new Error('not a map of API name to state');
    return doc as Record<string, unknown>;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(`--seed ${file}: ${e.code === 'ENOENT' ? 'file not found' : e.message.split('\n')[0]}`);
  }
}

/** Starts the stateful mock of each API on 127.0.0.1 (in this process). */
export async function startStatefulMocks(
  apis: ApiEntry[],
  portFor: (index: number) => Promise<number> | number,
  options: { seed?: Record<string, unknown>; seedFile?: string; rateLimit?: boolean; cors?: boolean } = {},
): Promise<RunningMock[]> {
  const missing = apis.filter((a) => !hasStatefulMock(a.name)).map((a) => a.name);
  if (missing.length > 0) throw new UsageError(`no stateful mock for: ${missing.join(', ')}`);
  const running: RunningMock[] = [];
  try {
    for (const [i, api] of apis.entries()) {
      const started = performance.now();
      // A seed record that does not fit the contract stops the start (MockError, exit 2), naming where it is.
      const seedName = `${options.seedFile ?? '--seed'} (${api.name})`;
      const app = await buildStatefulMockFor(await loadContract(api), { seed: options.seed?.[api.name], seedName, rateLimit: options.rateLimit, cors: options.cors });
      const port = await portFor(i);
      try {
        await app.listen({ host: '127.0.0.1', port });
      } catch (err) {
        throw new MockError(`stateful mock for '${api.name}' cannot listen on 127.0.0.1:${port}: ${(err as Error).message}`);
      }
      const address = app.server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      running.push({ api: api.name, url: `http://127.0.0.1:${actual}`, port: actual, startupMs: Math.round(performance.now() - started), stop: () => app.close() });
    }
  } catch (err) {
    await Promise.all(running.map((m) => m.stop()));
    throw err;
  }
  return running;
}

/** Classes the control API issues; the runner makes missing, malformed, wrong-scheme and unknown itself. */
const ISSUED: CredentialClass[] = ['revoked', 'expired', 'deprovisioned', 'insufficient', 'other-tenant'];

/**
 * A valid credential and one of every other class, obtained from a stateful mock's control API,
 * so a run against the mock exercises the whole auth matrix with no setup.
 */
export async function credentialsFromControlApi(baseUrl: string): Promise<{ valid: string; classCredentials: Partial<Record<CredentialClass, string>> }> {
  const issue = async (cls: CredentialClass): Promise<string> => {
    const res = await fetch(`${baseUrl}/__control/credentials`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ class: cls }) });
    if (!res.ok) throw new MockError(`control API of ${baseUrl} refused a ${cls} credential (${res.status})`);
    return ((await res.json()) as { token: string }).token;
  };
  const classCredentials: Partial<Record<CredentialClass, string>> = {};
  for (const cls of ISSUED) classCredentials[cls] = await issue(cls);
  return { valid: await issue('valid'), classCredentials };
}
