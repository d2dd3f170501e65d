// Temporary stand-in for mocks/kit/define.ts until the kit's own lands; deleted then.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import type { CredentialStore } from '../kit/credentials.ts';
import type { ApiModule } from '../kit/server.ts';
import type { Handlers } from '../kit/types.ts';

export interface ApiModuleDefinition<Ops, State> {
  api: string;
  roles: string[];
  tokensRequireRole?: string;
  tenant: string;
  principal: string;
  makeSecret: () => string;
  rateLimitPerMinute?: number;
  seed: { file: URL };
  seedSchemas?: Record<string, string>;
  createState(store: CredentialStore, seed: Record<string, unknown>): State;
  snapshot(state: State): unknown;
  ownerDeprovisioned?(state: State, owner: string, how: 'disabled' | 'deleted'): void;
  handlers(state: State, store: CredentialStore): Handlers<Ops>;
}

export function defineApiModule<Ops, State>(def: ApiModuleDefinition<Ops, State>): ApiModule<State> {
  const file = YAML.parse(fs.readFileSync(fileURLToPath(def.seed.file), 'utf8')) as Record<string, unknown>;
  return {
    ...def,
    createState: (store, seed) => def.createState(store, structuredClone({ ...file, ...((seed as Record<string, unknown> | undefined) ?? {}) })),
    handlers: (state, store) => def.handlers(state, store) as never,
  };
}
