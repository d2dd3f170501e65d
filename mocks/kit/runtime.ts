import type { Contract, OperationModel } from '../../src/core/contract/model.ts';
import { CredentialStore } from './credentials.ts';
import type { ApiModule, DispatchHandler, SeedDocument, ValidatedRequest } from './define.ts';
import { RequestFaults, ResponseFaults } from './faults.ts';
import { RateLimiter } from './rate-limit.ts';
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

  /** Back to the seed: credentials, state, faults and rate-limit windows. */
  reset(): void {
    this.store.clear();
    this.requestFaults.clear();
    this.responseFaults.clear();
    this.rateLimiter.clear();
    this.start();
  }

  /** The operation's answer to an accepted request: its handler's, else the contract's example. */
  async dispatch(op: OperationModel, request: ValidatedRequest): Promise<AnyReply> {
    const handler = this.handlers[op.id];
    return handler ? handler(request) : declaredReply(this.contract, op, 'success');
  }

  private start(): void {
    // Each start gets its own copy: modules keep seed records as their state and change them.
    this.state = this.module.createState(this.store, structuredClone(this.seed));
    this.handlers = this.module.handlers(this.state, this.store, this.contract);
  }
}
