import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { CREDENTIAL_CLASSES, type CredentialClass } from '../src/core/contract/model.ts';
import { UsageError } from '../src/core/errors.ts';
import { isLoopbackUrl } from '../src/core/net.ts';
import type { OtherUserPair } from './other-user.ts';

/** The environment variable that holds an API's credential by default, e.g. DEFGUARD_TOKEN. */
export function tokenVariable(api: string): string {
  return `${api.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase()}_TOKEN`;
}

export interface NamedCredential {
  name: string;
  /** Where the value came from, for messages (`env:NAME`, `file:path`); never the value. */
  source: string;
  value: string;
  /** Which credential class this is (default `valid`). */
  class: CredentialClass;
  role?: string;
  tenant?: string;
  /** For `class: other-user`: the name of the `valid` entry whose objects this user is sent for (default: the run's valid credential). */
  objectsOf?: string;
}

/**
 * Credentials file: per API, named credentials whose values are references, never literals:
 *
 *   defguard:
 *     admin: { value: env:DEFGUARD_ADMIN_TOKEN, role: admin }
 *     demoted: { value: env:DEFGUARD_DEMOTED_TOKEN, class: insufficient, role: user }
 *     deleted: { value: file:./secrets/revoked.token, class: revoked }
 *     alice: { value: env:DEFGUARD_ALICE_SESSION, role: user }
 *     bob: { value: env:DEFGUARD_BOB_SESSION, class: other-user, objectsOf: alice }
 *
 * `other-user` is another ordinary user: the runner discovers the objects of `objectsOf` (default:
 * the run's valid credential) with that user's credential and asks for them with this one.
 * A literal value is refused unless the target is loopback (a mock), so committed files cannot
 * carry real secrets by accident.
 */
export function loadCredentialsFile(file: string, api: string, target: string, env: NodeJS.ProcessEnv): NamedCredential[] {
  let doc: unknown;
  try {
    doc = YAML.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { linePos?: Array<{ line: number; col: number }> };
    const where = e.linePos?.[0] ? `:${e.linePos[0].line}:${e.linePos[0].col}` : '';
    throw new UsageError(`--credentials ${file}${where}: ${e.code === 'ENOENT' ? 'file not found' : e.message.split('\n')[0]}`);
  }
  const section = doc && typeof doc === 'object' ? (doc as Record<string, unknown>)[api] : undefined;
  if (!section || typeof section !== 'object') throw new UsageError(`--credentials ${file}: no credentials for '${api}'`);
  return Object.entries(section as Record<string, unknown>).map(([name, raw]) => {
    const entry = (raw && typeof raw === 'object' ? raw : { value: raw }) as { value?: unknown; role?: unknown; class?: unknown; tenant?: unknown; objectsOf?: unknown };
    if (typeof entry.value !== 'string' || entry.value === '') throw new UsageError(`--credentials ${file}: ${api}.${name} has no value`);
    const cls = entry.class ?? 'valid';
    if (typeof cls !== 'string' || !(CREDENTIAL_CLASSES as readonly string[]).includes(cls)) {
      throw new UsageError(`--credentials ${file}: ${api}.${name} has class '${String(cls)}'; classes: ${CREDENTIAL_CLASSES.join(', ')}`);
    }
    return {
      name,
      source: entry.value.startsWith('env:') || entry.value.startsWith('file:') ? entry.value : 'literal',
      value: resolveValue(entry.value, `${api}.${name}`, file, target, env),
      class: cls as CredentialClass,
      role: typeof entry.role === 'string' ? entry.role : undefined,
      tenant: typeof entry.tenant === 'string' ? entry.tenant : undefined,
      objectsOf: typeof entry.objectsOf === 'string' ? entry.objectsOf : undefined,
    };
  });
}

function resolveValue(ref: string, what: string, file: string, target: string, env: NodeJS.ProcessEnv): string {
  if (ref.startsWith('env:')) {
    const name = ref.slice(4);
    const value = env[name];
    if (!value) throw new UsageError(`${what}: environment variable ${name} is not set`);
    return value;
  }
  if (ref.startsWith('file:')) {
    const p = path.resolve(path.dirname(file), ref.slice(5));
    try {
      return fs.readFileSync(p, 'utf8').trim();
    } catch {
      throw new UsageError(`${what}: cannot read ${p}`);
    }
  }
  if (!isLoopbackUrl(target)) {
    throw new UsageError(`${what}: literal credentials are allowed only for loopback targets; use env:NAME or file:path`);
  }
  return ref;
}

// Mocks accept any well-formed credential; this one is only ever sent to loopback targets.
export const MOCK_PLACEHOLDER_TOKEN = '0123456789abcdef0123456789abcdef';

export interface RunCredentials {
  /** The valid credential (without scheme word) and the variable curl reproducers name for it. */
  value: string;
  variable: string;
  /** Credentials of other classes, from the credentials file. */
  classCredentials: Partial<Record<CredentialClass, string>>;
  /** Their variables, for curl reproducers. */
  classSecrets: Array<{ value: string; variable: string }>;
  /** The other-user sweep's two ordinary users, when the file names an `other-user` credential. */
  otherUser?: OtherUserPair;
  note?: string;
}

/**
 * The credentials a run uses. The valid one: the `--credentials` entry named by `pick`, else the
 * file's first entry of class `valid`; without a file the token variable, else — for loopback
 * targets only — a placeholder that mocks accept. Entries of other classes feed the auth checks.
 */
export function resolveRunCredentials(opts: {
  api: string;
  target: string;
  env: NodeJS.ProcessEnv;
  tokenEnv?: string;
  credentialsFile?: string;
  pick?: string;
}): RunCredentials {
  const variable = opts.tokenEnv ?? tokenVariable(opts.api);
  const variableOf = (c: NamedCredential) => (c.source.startsWith('env:') ? c.source.slice(4) : `${variable}_${c.name.replace(/\W+/g, '_').toUpperCase()}`);
  if (opts.credentialsFile) {
    const all = loadCredentialsFile(opts.credentialsFile, opts.api, opts.target, opts.env);
    const chosen = opts.pick ? all.find((c) => c.name === opts.pick) : all.find((c) => c.class === 'valid');
    if (!chosen) {
      throw new UsageError(
        opts.pick
          ? `--credentials ${opts.credentialsFile}: no credential named '${opts.pick}' for '${opts.api}'`
          : `--credentials ${opts.credentialsFile}: '${opts.api}' has no credential of class valid`,
      );
    }
    const classCredentials: Partial<Record<CredentialClass, string>> = {};
    const classSecrets: RunCredentials['classSecrets'] = [];
    let otherUser: OtherUserPair | undefined;
    const other = all.find((c) => c.class === 'other-user');
    if (other) {
      const owner = other.objectsOf ? all.find((c) => c.name === other.objectsOf) : chosen;
      if (!owner || owner.class !== 'valid') {
        throw new UsageError(`--credentials ${opts.credentialsFile}: ${opts.api}.${other.name} has objectsOf '${other.objectsOf}', which is no credential of class valid`);
      }
      const named = (c: NamedCredential) => ({ name: c.name, value: c.value, variable: variableOf(c) });
      otherUser = { owner: named(owner), other: named(other) };
    }
    for (const c of all) {
      if (c === chosen || c.class === 'valid' || c.class === 'other-user' || classCredentials[c.class]) continue;
      classCredentials[c.class] = c.value;
      classSecrets.push({ value: c.value, variable: variableOf(c) });
    }
    return { value: chosen.value, variable: variableOf(chosen), classCredentials, classSecrets, otherUser };
  }
  const value = opts.env[variable];
  if (value) return { value, variable, classCredentials: {}, classSecrets: [] };
  if (isLoopbackUrl(opts.target)) {
    return {
      value: MOCK_PLACEHOLDER_TOKEN,
      variable,
      classCredentials: {},
      classSecrets: [],
      note: `${variable} is not set; sending a placeholder credential (fine for mocks)`,
    };
  }
  throw new UsageError(`${variable} is not set; ${opts.api} needs a credential for ${new URL(opts.target).origin} (or use --token-env / --credentials)`);
}
