import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { UsageError } from './errors.ts';
import { isLoopbackUrl } from './net.ts';

/** The environment variable that holds an API's credential by default, e.g. DEFGUARD_TOKEN. */
export function tokenVariable(api: string): string {
  return `${api.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase()}_TOKEN`;
}

export interface NamedCredential {
  name: string;
  /** Where the value came from, for messages (`env:NAME`, `file:path`); never the value. */
  source: string;
  value: string;
  role?: string;
}

/**
 * Credentials file: per API, named credentials whose values are references, never literals:
 *
 *   defguard:
 *     admin: { value: env:DEFGUARD_ADMIN_TOKEN, role: admin }
 *     reader: { value: file:./secrets/reader.token, role: user }
 *
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
    const entry = (raw && typeof raw === 'object' ? raw : { value: raw }) as { value?: unknown; role?: unknown };
    if (typeof entry.value !== 'string' || entry.value === '') throw new UsageError(`--credentials ${file}: ${api}.${name} has no value`);
    return {
      name,
      source: entry.value.startsWith('env:') || entry.value.startsWith('file:') ? entry.value : 'literal',
      value: resolveValue(entry.value, `${api}.${name}`, file, target, env),
      role: typeof entry.role === 'string' ? entry.role : undefined,
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

/**
 * The credential a run uses: `--credentials` file entry (the one named by `pick`, else the first),
 * else the token variable, else — for loopback targets only — a placeholder that mocks accept.
 */
export function resolveRunCredential(opts: {
  api: string;
  target: string;
  env: NodeJS.ProcessEnv;
  tokenEnv?: string;
  credentialsFile?: string;
  pick?: string;
}): { value: string; variable: string; note?: string } {
  const variable = opts.tokenEnv ?? tokenVariable(opts.api);
  if (opts.credentialsFile) {
    const all = loadCredentialsFile(opts.credentialsFile, opts.api, opts.target, opts.env);
    const chosen = opts.pick ? all.find((c) => c.name === opts.pick) : all[0];
    if (!chosen) throw new UsageError(`--credentials ${opts.credentialsFile}: no credential named '${opts.pick}' for '${opts.api}'`);
    const envName = chosen.source.startsWith('env:') ? chosen.source.slice(4) : variable;
    return { value: chosen.value, variable: envName };
  }
  const value = opts.env[variable];
  if (value) return { value, variable };
  if (isLoopbackUrl(opts.target)) {
    return { value: MOCK_PLACEHOLDER_TOKEN, variable, note: `${variable} is not set; sending a placeholder credential (fine for mocks)` };
  }
  throw new UsageError(`${variable} is not set; ${opts.api} needs a credential for ${new URL(opts.target).origin} (or use --token-env / --credentials)`);
}
