import type { Contract, OperationModel } from '../../src/core/contract/model.ts';
import type { CredentialStore, StoredCredential } from './credentials.ts';
import type { Ownership } from './ownership.ts';
import type { AnyReply, Handlers } from './types.ts';

/** How the directory took a credential's owner away outside the API. */
export type OwnerChange = 'disabled' | 'deleted';

/** A seed document: named collections of records (`users: [...]`), as a seed file or `--seed` holds them. */
export type SeedDocument = Record<string, unknown>;

/**
 * One API's stateful mock, written as one folder `mocks/<api>/` whose `index.ts` default-exports
 * `defineApiModule<operations, State>({...})`; the registry finds it there (mocks/registry.ts).
 */
export interface ApiModuleDefinition<Ops, State, Seed extends object = SeedDocument> {
  api: string;
  /** Roles from least to most privileged. */
  roles: readonly string[];
  /** A role every API token's owner must hold (Defguard: only admins' tokens work; sessions need none). */
  tokensRequireRole?: string;
  /** The tenant this mock serves; credentials of other tenants are refused. */
  tenant: string;
  /**
   * Who owns the valid credentials the control API issues: a principal the API's own operations
   * do not target by default, so a run that deletes or demotes users does not lock itself out.
   */
  principal: string;
  /** Makes the secret of a new credential, in the shape the real service's tokens have. */
  makeSecret: () => string;
  /**
   * How a person, or a browser UI, logs in to the mock with a password, when the API has such a
   * login: the operation, the cookie it sets, the request body for a user, and the users of the seed
   * in effect whose clear-text password is known (a seed that gives digests only names none).
   * `contracts mock --stateful` prints it, so a frontend developer can sign in as a real user would.
   */
  passwordLogin?: {
    operationId: string;
    cookie: string;
    body(user: { username: string; password: string }): unknown;
    users(seed: Seed): { username: string; password: string }[];
  };
  /** Requests per minute per tenant, when the real service limits them. */
  rateLimitPerMinute?: number;
  /** The module's seed data: a YAML or JSON file of collections next to the module. */
  seed?: { file: URL };
  /**
   * The contract schema each seed collection's records follow, as a pointer into the bundled
   * document (`users: '#/components/schemas/UserInfo'`). Every record of a listed collection is
   * validated at start-up, from the seed file and from `--seed`; collections not listed are the
   * module's own (say why in the seed file).
   */
  seedSchemas?: { [K in keyof Seed]?: string };
  /**
   * Fresh state from the seed: the seed file's collections, each replaced by the collection of the
   * same name in a `--seed` document when one is given; records already validated. The document is
   * the module's own copy and may be kept as it is.
   */
  createState(store: CredentialStore, seed: Seed): State;
  /** Serialisable snapshot of the state: what GET /__control/state returns and `--seed` reads back. */
  snapshot(state: State): unknown;
  /**
   * Keeps the module's own records in step when the control API deprovisions a credential's owner
   * (the directory disabled or removed the account outside the API).
   */
  ownerDeprovisioned?(state: State, owner: string, how: OwnerChange): void;
  /**
   * Sees every answer the mock gave to a request that reached dispatch (a handler's or the
   * contract's example), after it was made: for what the real service records about requests
   * whatever their operation (Defguard's activity log), so no handler has to record it itself.
   */
  observe?(state: State, event: ObservedAnswer): void;
  /**
   * A check the service makes on a credential the contract's rules let through, with what the
   * module keeps: the answer instead of the handler's when the service still refuses it, else
   * undefined. (Defguard: a session whose second factor is still outstanding is refused wherever
   * a role is needed.)
   */
  admitCredential?(state: State, credential: StoredCredential, op: OperationModel): AnyReply | undefined;
  /**
   * Control routes of the module's own, under /__control (loopback only, like the rest): for what
   * a real service hands out of band, such as a code it would have e-mailed.
   */
  controlRoutes?: ControlRoute<State>[];
  /**
   * The ordinary users (least role, active) of the module's own records, by the name credentials
   * use as owner: the users an other-user check pairs up (`GET /__control/users`). Absent where no
   * object belongs to one user.
   */
  ordinaryUsers?(state: State): string[];
  /**
   * The operations' handlers over the state, typed by `generated/<api>.ts`. The contract the mock
   * serves is handed in for what handlers read from it (documented enumerations, declared examples),
   * so a module never loads a contract of its own (which could be another file than the one served).
   */
  handlers(state: State, store: CredentialStore, contract: Contract): Handlers<Ops>;
}

/** One module control route: `GET /__control/<path>` (path parameters as `:name`). */
export interface ControlRoute<State> {
  method: 'GET' | 'POST';
  path: string;
  /** What it does, for the README and `contracts mock --stateful`. */
  summary: string;
  handle(state: State, request: { params: Record<string, string>; body: unknown }): { status: number; body: unknown };
}

/** A request as the server hands it to a handler: validated against the operation, not typed by it. */
export interface ValidatedRequest {
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body: unknown;
  credential?: StoredCredential;
  headers: Record<string, string | string[] | undefined>;
  /** Whether ownership is enforced for this request (mocks/kit/ownership.ts); set by the kit's dispatch. */
  ownership?: Ownership;
  /** The client's address, as services that log requests record it. */
  ip?: string;
}

/** One answer as `observe` sees it: the operation, the accepted request and the reply sent. */
export interface ObservedAnswer {
  op: OperationModel;
  request: ValidatedRequest;
  reply: AnyReply;
}

export type DispatchHandler = (req: ValidatedRequest) => AnyReply | Promise<AnyReply>;

/** What the server runs: the definition with its handlers and seed on the kit's untyped side. */
export interface ApiModule<State = unknown> extends Omit<ApiModuleDefinition<unknown, State>, 'handlers' | 'createState' | 'seedSchemas' | 'passwordLogin'> {
  seedSchemas?: Record<string, string | undefined>;
  passwordLogin?: Omit<NonNullable<ApiModuleDefinition<unknown, State>['passwordLogin']>, 'users'> & { users(seed: SeedDocument): { username: string; password: string }[] };
  createState(store: CredentialStore, seed: SeedDocument): State;
  handlers(state: State, store: CredentialStore, contract: Contract): Record<string, DispatchHandler | undefined>;
}

/**
 * Declares an API's stateful mock. The module's handlers are typed by the contract's generated
 * types; the server calls them through the untyped `DispatchHandler` side. This is the one place
 * where the two meet.
 */
export function defineApiModule<Ops, State, Seed extends object = SeedDocument>(definition: ApiModuleDefinition<Ops, State, Seed>): ApiModule<State> {
  return {
    ...definition,
    // The kit validated each listed collection's records against its schema (mocks/kit/seed.ts).
    createState: (store, seed) => definition.createState(store, seed as Seed),
    passwordLogin: definition.passwordLogin && { ...definition.passwordLogin, users: (seed) => definition.passwordLogin!.users(seed as Seed) },
    handlers: (state, store, contract) => dispatchTable(definition.handlers(state, store, contract)),
  };
}

/**
 * THE typing boundary between the server and the handlers. The server calls a handler only with a
 * request its operation's schemas accepted (mocks/kit/routing.ts: path and query read as their
 * schemas' types, the body validated, a required body present), which is what `HandlerRequest<Op>`
 * promises; and every `Reply<Op>` is an `AnyReply`. TypeScript cannot see that an operationId's
 * handler only ever gets its own operation's requests, so the table is re-typed here, once.
 */
function dispatchTable<Ops>(handlers: Handlers<Ops>): Record<string, DispatchHandler | undefined> {
  return handlers as unknown as Record<string, DispatchHandler | undefined>;
}
