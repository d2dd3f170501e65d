import fs from 'node:fs';
import path from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import YAML from 'yaml';
import { lineInSource, textSource } from '../core/contract/location.ts';
import { isObject } from '../core/contract/pointer.ts';
import { ConfigError, UsageError } from '../core/errors.ts';
import { packageRoot } from '../core/paths.ts';
import { createAjv } from '../core/validate/cache.ts';
import type { TestOptions } from './commands/test.ts';
import { DEFAULT_CONFIG_FILE } from './config-name.ts';

/**
 * `contracts.config.yaml`: the settings a CI job would otherwise repeat on every command line.
 *
 *   defaults:            # every API
 *     timeout: 20000
 *     reports: [junit:reports/contracts.xml]
 *   apis:
 *     defguard: { credentials: ./credentials.yaml, exclude: [Enterprise] }
 *   environments:
 *     staging:
 *       defaults: { insecure: true }
 *       apis:
 *         defguard: { target: https://defguard.staging.example.com, credential: admin }
 *   mock: { port: 4010, stateful: true }
 *
 * The settings of one API are those of `defaults`, then `environments.<env>.defaults`, then
 * `apis.<api>`, then `environments.<env>.apis.<api>`, each replacing what came before (lists too),
 * and the command line last. Paths are relative to the file.
 */
export { DEFAULT_CONFIG_FILE };

/** Shipped in the package, so editors can validate the file as it is typed. */
export const CONFIG_SCHEMA_FILE = path.join(packageRoot, 'schemas/contracts.config.schema.json');

/** The settings of `contracts test` as the file spells them: the long option names. */
export interface TestSettings {
  target?: string;
  'token-env'?: string;
  credentials?: string;
  credential?: string;
  'api-version'?: string;
  include?: string | string[];
  exclude?: string | string[];
  reports?: string[];
  timeout?: number;
  concurrency?: number;
  'rate-limit'?: number | string;
  ca?: string;
  insecure?: boolean;
  'allow-mutations'?: boolean;
  'min-coverage'?: number;
  baseline?: string;
}

/** An empty section (`defguard:`) is null: the API is named, with no settings of its own. */
interface Section {
  defaults?: TestSettings | null;
  apis?: Record<string, TestSettings | null>;
}

interface ConfigFile extends Section {
  environments?: Record<string, Section>;
  mock?: { port?: number; seed?: string; stateful?: boolean };
}

/** `contracts test` options as commander hands them over (strings, as typed). */
export type CliTestOptions = TestOptions & { target?: string; report?: string[] };

/** The file's key → the option of `contracts test` it stands for. */
const OPTION_OF: Record<keyof TestSettings, keyof CliTestOptions> = {
  target: 'target',
  'token-env': 'tokenEnv',
  credentials: 'credentials',
  credential: 'credential',
  'api-version': 'apiVersion',
  include: 'include',
  exclude: 'exclude',
  reports: 'report',
  timeout: 'timeout',
  concurrency: 'concurrency',
  'rate-limit': 'rateLimit',
  ca: 'ca',
  insecure: 'insecure',
  'allow-mutations': 'allowMutations',
  'min-coverage': 'minCoverage',
  baseline: 'baseline',
};

/** Keys holding a path, resolved against the file's folder. */
const PATH_KEYS = new Set<keyof TestSettings>(['credentials', 'ca', 'baseline']);

export interface Config {
  /** Absolute path of the file. */
  file: string;
  env?: string;
  /** APIs the file has a section for (and the chosen environment), in the order written. */
  apis: string[];
  /** The `contracts test` options of one API, from the file alone. */
  testOptions(api: string): CliTestOptions;
  /** Defaults of `contracts mock`, paths resolved. */
  mock: { port?: string; seed?: string; stateful?: boolean };
}

/**
 * Reads the config: `explicit` (from --config; must exist) or `contracts.config.yaml` in `cwd`
 * (optional). Returns undefined when there is none. Every mistake is a ConfigError of one line.
 */
export function loadConfig(options: { explicit?: string; env?: string; cwd?: string; knownApis: readonly string[] }): Config | undefined {
  const cwd = options.cwd ?? process.cwd();
  const file = path.resolve(cwd, options.explicit ?? DEFAULT_CONFIG_FILE);
  const shown = displayName(file, cwd);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && options.explicit === undefined) {
      if (options.env !== undefined) throw new UsageError(`--env ${options.env} needs a config file: ${DEFAULT_CONFIG_FILE} in this folder, or --config <file>`);
      return undefined;
    }
    throw new ConfigError(`${shown}: ${code === 'ENOENT' ? 'file not found' : `cannot read it (${code ?? 'error'})`} (--config)`);
  }

  const doc = YAML.parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const syntax = doc.errors[0];
  if (syntax) {
    const line = syntax.linePos?.[0]?.line;
    const reason = syntax.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new ConfigError(`${shown}${line ? `:${line}` : ''}: YAML syntax error: ${reason}`);
  }
  const value: unknown = doc.toJS() ?? {};
  const source = textSource(file, text);
  const fail = (pointer: string, message: string): never => {
    const at = lineInSource(source, `#${pointer}`);
    const key = keyPath(pointer);
    throw new ConfigError(`${shown}${at ? `:${at.line}` : ''}: ${key ? `${key}: ` : ''}${message}`);
  };

  const validate = schemaValidator();
  if (!validate(value)) {
    const first = firstInDocument(validate.errors ?? [], source);
    fail(first.pointer, first.message);
  }
  const config = value as ConfigFile;

  // API names are the folders under specs/, which the schema cannot know.
  const sections: Array<[string, Section | undefined]> = [
    ['', config],
    ...Object.entries(config.environments ?? {}).map(([env, s]): [string, Section] => [`/environments/${escape(env)}`, s]),
  ];
  for (const [at, section] of sections) {
    for (const api of Object.keys(section?.apis ?? {})) {
      if (!options.knownApis.includes(api)) {
        fail(`${at}/apis/${escape(api)}`, `unknown API${suggest(api, options.knownApis) ?? `; APIs: ${options.knownApis.join(', ')}`}`);
      }
    }
  }

  let chosen: Section = {};
  if (options.env !== undefined) {
    const known = Object.keys(config.environments ?? {});
    if (!known.includes(options.env)) {
      fail(
        config.environments ? '/environments' : '',
        `no environment '${options.env}' (--env)${known.length > 0 ? `${suggest(options.env, known) ?? ''}; environments: ${known.join(', ')}` : '; the file defines no environments'}`,
      );
    }
    chosen = config.environments![options.env]!;
  }

  const dir = path.dirname(file);
  const layers = (api: string): TestSettings[] => [config.defaults, chosen.defaults, config.apis?.[api], chosen.apis?.[api]].filter((l): l is TestSettings => l !== undefined && l !== null);
  return {
    file,
    env: options.env,
    apis: [...new Set([...Object.keys(config.apis ?? {}), ...Object.keys(chosen.apis ?? {})])],
    testOptions: (api) => {
      const opts: Record<string, unknown> = {};
      for (const layer of layers(api)) {
        for (const [key, raw] of Object.entries(layer) as Array<[keyof TestSettings, unknown]>) {
          opts[OPTION_OF[key]] = asOption(key, raw, dir);
        }
      }
      return opts as CliTestOptions;
    },
    mock: {
      port: config.mock?.port === undefined ? undefined : String(config.mock.port),
      seed: config.mock?.seed === undefined ? undefined : path.resolve(dir, config.mock.seed),
      stateful: config.mock?.stateful,
    },
  };
}

/**
 * Options of one command: what the command line gave explicitly wins, then the file, then the
 * command's own defaults. `sourceOf` is commander's getOptionValueSource.
 */
export function overlay<T extends object>(fromFile: Partial<T>, given: T, sourceOf: (key: string) => string | undefined): T {
  const merged: Record<string, unknown> = { ...(given as Record<string, unknown>) };
  for (const [key, value] of Object.entries(fromFile)) {
    const source = sourceOf(key);
    if (value !== undefined && (source === undefined || source === 'default')) merged[key] = value;
  }
  return merged as T;
}

/** A value of the file as the option would have been typed: numbers as text, paths resolved. */
function asOption(key: keyof TestSettings, value: unknown, dir: string): unknown {
  if (PATH_KEYS.has(key)) return path.resolve(dir, value as string);
  if (key === 'reports') {
    return (value as string[]).map((spec) => {
      const i = spec.indexOf(':');
      return `${spec.slice(0, i)}:${path.resolve(dir, spec.slice(i + 1))}`;
    });
  }
  if ((key === 'include' || key === 'exclude') && typeof value === 'string') return [value];
  if (typeof value === 'number') return String(value);
  return value;
}

let compiled: ValidateFunction | undefined;

function schemaValidator(): ValidateFunction {
  compiled ??= createAjv({ verbose: true }).compile(JSON.parse(fs.readFileSync(CONFIG_SCHEMA_FILE, 'utf8')) as object);
  return compiled;
}

/**
 * The one mistake to print: the first in the file. Its message is the schema's `errorMessage` for
 * the value (which editors show as well), an unknown key's nearest known key, or ajv's own words.
 */
function firstInDocument(errors: ErrorObject[], source: ReturnType<typeof textSource>): { pointer: string; message: string } {
  const described = errors.map((e) => {
    const parent: unknown = e.parentSchema;
    if (e.keyword === 'additionalProperties') {
      const key = String(e.params.additionalProperty);
      const known = Object.keys(isObject(parent) && isObject(parent.properties) ? parent.properties : {}).filter((k) => k !== '$schema');
      return { pointer: `${e.instancePath}/${escape(key)}`, message: `unknown key${suggest(key, known) ?? `; known keys: ${known.join(', ')}`}` };
    }
    const message = isObject(parent) && typeof parent.errorMessage === 'string' ? parent.errorMessage : (e.message ?? 'is invalid');
    return { pointer: e.instancePath, message };
  });
  const line = (pointer: string) => lineInSource(source, `#${pointer}`)?.line ?? 0;
  return described.reduce((best, d) => (line(d.pointer) < line(best.pointer) ? d : best));
}

/** `; did you mean timeout?` when one candidate is a typo away. */
function suggest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(word.length / 4)) ? `; did you mean ${best}?` : undefined;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** `/apis/defguard/timeout` → `apis.defguard.timeout`, the way a reader names the key. */
function keyPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

function escape(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Relative to where the command runs, the way the user typed it; absolute when outside. */
function displayName(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}
