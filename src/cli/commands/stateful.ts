import fs from 'node:fs';
import YAML from 'yaml';
import type { RunningMock } from '../../../mocks/prism/prism.ts';
import type { ApiModule, SeedDocument } from '../../../mocks/kit/define.ts';
import { CONTROL_API_SUMMARY, CONTROL_PREFIX } from '../../../mocks/kit/control.ts';
import { loadSeed, splitSeedDocument, type SeedSource } from '../../../mocks/kit/seed.ts';
import { buildStatefulMock } from '../../../mocks/kit/server.ts';
import { hasStatefulMock, statefulApis, statefulModule } from '../../../mocks/registry.ts';
import type { ApiEntry } from '../../core/contract/discover.ts';
import { loadContract } from '../../core/contract/load.ts';
import type { Contract, CredentialClass } from '../../core/contract/model.ts';
import type { OtherUserPair } from '../../../conformance/other-user.ts';
import { credentialFormat } from '../../engines/types/api-index.ts';
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

/** A running stateful mock, with what a person needs to sign in to it. */
export interface StatefulMock extends RunningMock {
  contract: Contract;
  /** The API's password login, when it has one, with the users of the seed in effect. */
  login?: { method: string; path: string; cookie: string; users: { username: string; password: string; body: unknown }[] };
  /** The module's own control routes (e.g. Defguard's e-mailed codes), as `METHOD path` and what each does. */
  controlRoutes?: { method: string; path: string; summary: string }[];
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
): Promise<StatefulMock[]> {
  const missing = apis.filter((a) => !hasStatefulMock(a.name)).map((a) => a.name);
  if (missing.length > 0) throw new UsageError(`no stateful mock for: ${missing.join(', ')}`);
  const targets = await Promise.all(apis.map(async (api) => ({ api: api.name, contract: await loadContract(api), module: await statefulModule(api.name) })));
  const seeds = options.seed
    ? splitSeedDocument(options.seed.doc, targets, statefulApis(), { name: options.seed.name, text: options.seed.text })
    : new Map<string, { seed: SeedDocument; source: SeedSource }>();
  const running: StatefulMock[] = [];
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
      running.push({
        api,
        url: `http://127.0.0.1:${actual}`,
        port: actual,
        startupMs: Math.round(performance.now() - started),
        stop: () => app.close(),
        contract,
        login: passwordLogin(contract, module, seed),
        controlRoutes: (module.controlRoutes ?? []).map((r) => ({ method: r.method, path: `${CONTROL_PREFIX}${r.path}`, summary: r.summary })),
      });
    }
  } catch (err) {
    await Promise.all(running.map((m) => m.stop()));
    throw err;
  }
  return running;
}

/** The module's password login, as a request on the contract's operation, for the seed the mock started from. */
function passwordLogin(contract: Contract, module: ApiModule, seed: { seed: SeedDocument; source: SeedSource } | undefined): StatefulMock['login'] {
  const login = module.passwordLogin;
  if (!login) return undefined;
  const op = contract.operations.find((o) => o.id === login.operationId);
  if (!op) throw new MockError(`the ${module.api} mock logs in through '${login.operationId}', which its contract does not have`);
  // The seed was checked when the mock was built; reading it again gives the users it holds.
  const users = login.users(loadSeed(contract, module, seed?.seed, seed?.source)).map((u) => ({ ...u, body: login.body(u) }));
  return { method: op.method.toUpperCase(), path: op.path, cookie: login.cookie, users };
}

/** Classes the control API issues; the runner makes missing, malformed, wrong-scheme and unknown itself. */
const ISSUED: CredentialClass[] = ['revoked', 'expired', 'deprovisioned', 'insufficient', 'other-tenant'];

/**
 * A valid credential and one of every other class, obtained from a stateful mock's control API,
 * so a run against the mock exercises the whole auth matrix with no setup.
 */
export async function credentialsFromControlApi(baseUrl: string): Promise<{ valid: string; session: string; classCredentials: Partial<Record<CredentialClass, string>>; otherUser?: OtherUserPair }> {
  const issue = async (cls: CredentialClass): Promise<string> => (await issueCredential(baseUrl, cls)).token;
  const classCredentials: Partial<Record<CredentialClass, string>> = {};
  for (const cls of ISSUED) classCredentials[cls] = await issue(cls);
  // A browser session too, for routes whose only scheme is a session cookie (the mock keeps the two apart).
  const session = (await issueCredential(baseUrl, 'valid', 'session')).token;
  return { valid: await issue('valid'), session, classCredentials, otherUser: await otherUserFromControlApi(baseUrl) };
}

/**
 * Two ordinary users of the mock's own records for the other-user sweep: the first owns the
 * objects, the second asks for them. Undefined when the mock holds fewer than two (its API has no
 * per-user objects).
 */
export async function otherUserFromControlApi(baseUrl: string): Promise<OtherUserPair | undefined> {
  const res = await fetch(`${baseUrl}${CONTROL_PREFIX}/users`);
  if (!res.ok) throw new MockError(`control API of ${baseUrl} did not list its users (${res.status})`);
  const { ordinary, role } = (await res.json()) as { ordinary: string[]; role: string };
  const [owner, other] = ordinary;
  if (!owner || !other) return undefined;
  const post = async (body: object) => {
    const r = await fetch(`${baseUrl}${CONTROL_PREFIX}/credentials`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!r.ok) throw new MockError(`control API of ${baseUrl} refused a credential for ${JSON.stringify(body)} (${r.status})`);
    return ((await r.json()) as { token: string }).token;
  };
  // Named after the users, so findings read "bob asked for … of alice".
  return {
    owner: { name: owner, value: await post({ class: 'valid', owner, role, name: `${owner} (owner)` }), variable: `OWNER_${owner.toUpperCase().replace(/\W+/g, '_')}` },
    other: { name: other, value: await post({ class: 'other-user', owner: other }), variable: `OTHER_USER_${other.toUpperCase().replace(/\W+/g, '_')}` },
  };
}

/**
 * What `contracts mock --stateful` prints for a frontend developer, API by API: the URL, a valid
 * credential issued just now by the mock's own control API (in full: it opens nothing but this local
 * mock, which forgets it when it stops), how to log in where the API has a password login, and the
 * control API. Credentials of real services are never printed; these are the mock's own.
 */
export async function frontendGuide(mocks: StatefulMock[]): Promise<string> {
  const lines = [
    'Mock credentials below were issued just now by each mock\'s own credential store. They work only',
    'against these local mocks and end when they stop; they are not credentials of any real service.',
  ];
  for (const m of mocks) {
    lines.push('', `${m.api}  ${m.url}`);
    const format = credentialFormat(m.contract);
    if (format) {
      const issued = await issueCredential(m.url, 'valid');
      const where = 'header' in format ? `${format.header}: ` : 'cookie' in format ? `Cookie: ${format.cookie}=` : `?${format.query}=`;
      lines.push(`  credential   ${where}${format.prefix}${issued.token}   (mock ${issued.role} credential)`);
    }
    if (m.login) {
      const [first, ...others] = m.login.users;
      if (first) {
        lines.push(`  log in       ${m.login.method} ${m.url}${m.login.path} ${JSON.stringify(first.body)}  → ${m.login.cookie} cookie`);
        if (others.length > 0) lines.push(`               other users: ${others.map((u) => `${u.username} / ${u.password}`).join(', ')}`);
      } else lines.push(`  log in       ${m.login.method} ${m.url}${m.login.path} → ${m.login.cookie} cookie (the seed names no user with a password)`);
    }
    lines.push(`  control API  ${m.url}${CONTROL_PREFIX}/`);
    for (const r of m.controlRoutes ?? []) lines.push(`               ${r.method} ${m.url}${r.path}   ${r.summary}`);
  }
  lines.push('', `Control API of each mock (<url>${CONTROL_PREFIX}/..., loopback clients only, not part of any contract):`);
  const width = Math.max(...CONTROL_API_SUMMARY.map(([route]) => route.length));
  for (const [route, what] of CONTROL_API_SUMMARY) lines.push(`  ${route.padEnd(width)}   ${what}`);
  return lines.join('\n');
}

/** One credential of a class from a stateful mock's control API. */
async function issueCredential(baseUrl: string, cls: CredentialClass, kind?: 'session'): Promise<{ token: string; role: string }> {
  const res = await fetch(`${baseUrl}${CONTROL_PREFIX}/credentials`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ class: cls, ...(kind ? { kind } : {}) }) });
  if (!res.ok) throw new MockError(`control API of ${baseUrl} refused a ${cls} credential (${res.status})`);
  return (await res.json()) as { token: string; role: string };
}
