import fs from 'node:fs';
import YAML from 'yaml';
import type { RunningMock } from '../../../mocks/prism/prism.ts';
import type { SeedDocument } from '../../../mocks/kit/define.ts';
import { splitSeedDocument, type SeedSource } from '../../../mocks/kit/seed.ts';
import { buildStatefulMock } from '../../../mocks/kit/server.ts';
import { hasStatefulMock, statefulApis, statefulModule } from '../../../mocks/registry.ts';
import type { ApiEntry } from '../../core/contract/discover.ts';
import { loadContract } from '../../core/contract/load.ts';
import type { CredentialClass } from '../../core/contract/model.ts';
import { MockError, UsageError } from '../../core/errors.ts';

/** A `--seed` file as read: its parsed document and its text (for line numbers in messages). */
export interface SeedFile {
  name: string;
  text: string;
  doc: unknown;
}

/** Reads a `--seed` file (JSON or YAML); which API each part seeds is decided when the mocks start. */
export function readSeedFile(file: string): SeedFile {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return { name: file, text, doc: YAML.parse(text) as unknown };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(`--seed ${file}: ${e.code === 'ENOENT' ? 'file not found' : e.message.split('\n')[0]}`);
  }
}

/**
 * Starts the stateful mock of each API on 127.0.0.1 (in this process). A seed is either
 * `{ <api>: <state> }` or, with one API mocked, that API's bare state; a part that does not fit
 * (an API not mocked, an unknown collection, a record against its schema) stops the start with a
 * MockError (exit 2) naming the file, the API, the collection, the record and the field.
 */
export async function startStatefulMocks(
  apis: ApiEntry[],
  portFor: (index: number) => Promise<number> | number,
  options: { seed?: SeedFile; rateLimit?: boolean; cors?: boolean } = {},
): Promise<RunningMock[]> {
  const missing = apis.filter((a) => !hasStatefulMock(a.name)).map((a) => a.name);
  if (missing.length > 0) throw new UsageError(`no stateful mock for: ${missing.join(', ')}`);
  const targets = await Promise.all(apis.map(async (api) => ({ api: api.name, contract: await loadContract(api), module: await statefulModule(api.name) })));
  const seeds = options.seed
    ? splitSeedDocument(options.seed.doc, targets, statefulApis(), { name: options.seed.name, text: options.seed.text })
    : new Map<string, { seed: SeedDocument; source: SeedSource }>();
  const running: RunningMock[] = [];
  try {
    for (const [i, { api, contract, module }] of targets.entries()) {
      const started = performance.now();
      const seed = seeds.get(api);
      const app = await buildStatefulMock(contract, module, { seed: seed?.seed, seedSource: seed?.source, rateLimit: options.rateLimit, cors: options.cors });
      const port = await portFor(i);
      try {
        await app.listen({ host: '127.0.0.1', port });
      } catch (err) {
        throw new MockError(`stateful mock for '${api}' cannot listen on 127.0.0.1:${port}: ${(err as Error).message}`);
      }
      const address = app.server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      running.push({ api, url: `http://127.0.0.1:${actual}`, port: actual, startupMs: Math.round(performance.now() - started), stop: () => app.close() });
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
