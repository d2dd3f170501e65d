import { isNotFoundAnswer } from '../../src/core/contract/responses.ts';
import type { Contract, OperationModel } from '../../src/core/contract/model.ts';
import { CredentialStore } from './credentials.ts';
import type { ApiModule, DispatchHandler, SeedDocument, ValidatedRequest } from './define.ts';
import { RequestFaults, ResponseFaults } from './faults.ts';
import { RateLimiter } from './rate-limit.ts';
import { refusalReply } from './auth.ts';
import { mayReach } from './ownership.ts';
import { declaredReply } from './replies.ts';
import type { AnyReply } from './types.ts';

/**
 * Everything one running stateful mock keeps between requests: the credential store, the module's
 * state and handlers over it, the faults switched on and the rate limiter. The control API changes
 * it; `reset()` starts it over from the same seed.
 */
export class MockRuntime<State = unknown> {
  readonly store: CredentialStore;
  readonly requestFaults = new RequestFaults();
  readonly responseFaults: ResponseFaults;
  readonly rateLimiter: RateLimiter;
  state!: State;
  private handlers!: Record<string, DispatchHandler | undefined>;

  constructor(
    readonly contract: Contract,
    readonly module: ApiModule<State>,
    /** The validated seed document every start and reset begins from. */
    private readonly seed: SeedDocument,
    rateLimit: boolean,
  ) {
    this.store = new CredentialStore(module.makeSecret, module.tenant);
    this.responseFaults = new ResponseFaults(contract);
    this.rateLimiter = new RateLimiter(rateLimit);
    this.start();
  }

  /** Objects deleted through operations without a handler: `/api/v1/acl/rule/{id}` with its values. */
  private readonly deleted = new Set<string>();

  /** Back to the seed: credentials, state, faults, route latency and rate-limit windows. */
  reset(): void {
    this.deleted.clear();
    this.store.clear();
    this.requestFaults.clear();
    this.requestFaults.clearLatency();
    this.responseFaults.clear();
    this.rateLimiter.clear();
    this.start();
  }

  /**
   * The operation's answer to an accepted request: its handler's, else the contract's example. An
   * object deleted through an operation without a handler is remembered, so the routes of the same
   * object answer their declared not-found afterwards, as the real service would: such a resource
   * keeps no records, but what a client deleted is gone.
   */
  async dispatch(op: OperationModel, request: ValidatedRequest): Promise<AnyReply> {
    request.ownership = { ignored: this.responseFaults.ignoresOwnership(op.id) };
    const reply = await this.answer(op, request);
    this.module.observe?.(this.state, { op, request, reply });
    return reply;
  }

  private async answer(op: OperationModel, request: ValidatedRequest): Promise<AnyReply> {
    const handler = this.handlers[op.id];
    if (handler) return handler(request);
    const foreign = this.foreignOwner(op, request);
    if (foreign) return foreign;
    const object = objectKey(op, request);
    const gone = op.responses.find((r) => isNotFoundAnswer(Number(r.status), r));
    if (object && gone && this.deleted.has(object)) return declaredReply(this.contract, op, [Number(gone.status)], { error: 'not found' });
    const reply = declaredReply(this.contract, op, 'success');
    if (object && op.method === 'delete' && reply.status >= 200 && reply.status <= 299) this.deleted.add(object);
    return reply;
  }

  /**
   * For an operation without a handler whose path names the owning user (`x-owned-by: {owner: p}`):
   * the contract's `other-user` answer when the caller is neither that user nor of the top role,
   * by the one ownership rule (ownership.ts). Undefined when the request may go on.
   */
  private foreignOwner(op: OperationModel, request: ValidatedRequest): AnyReply | undefined {
    const owned = op.ownedBy;
    const entry = op.authContract?.classes['other-user'];
    if (owned?.names !== 'owner' || !entry?.applies || !request.credential) return undefined;
    const self = String(request.params[owned.parameter] ?? '') === request.credential.owner;
    const privileged = this.store.roleOf(request.credential) === this.module.roles[this.module.roles.length - 1];
    return mayReach(request, { self, privileged }) ? undefined : refusalReply(this.contract, op, 'other-user', entry);
  }

  private start(): void {
    // Each start gets its own copy: modules keep seed records as their state and change them.
    this.state = this.module.createState(this.store, structuredClone(this.seed));
    this.handlers = this.module.handlers(this.state, this.store, this.contract);
  }
}

/**
 * The object a request addresses, for a route that ends with a path parameter
 * (`/api/v1/acl/rule/{id}` with its value filled in). Undefined for collections and for routes under
 * an object (`DELETE /user/{username}/email` removes an address, not the user).
 */
function objectKey(op: OperationModel, request: ValidatedRequest): string | undefined {
  if (!/\{[^}]+\}\/?$/.test(op.path)) return undefined;
  return op.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(String(request.params[name] ?? '')));
}
