import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Contract } from '../../src/core/contract/model.ts';
import { tenantFromHost } from '../../src/core/contract/tenant.ts';
import { admit } from './auth.ts';
import { registerControlApi } from './control.ts';
import { registerBrowserAccess } from './cors.ts';
import type { ApiModule } from './define.ts';
import { declaredReply, sendReply } from './replies.ts';
import { badRequest, readRequest, registerBodyParsers, registerErrorAnswers, routeOperations, type Gate } from './routing.ts';
import { MockRuntime } from './runtime.ts';
import { preferenceGate } from './scenarios.ts';
import { loadSeed, type SeedSource } from './seed.ts';

export type { ApiModule } from './define.ts';
export type { AnyReply } from './types.ts';

export interface StatefulMockOptions {
  /** A seed document (`GET /__control/state` of an earlier run): its collections replace the seed file's. */
  seed?: unknown;
  /** Where the seed document came from, for messages (the `--seed` file, its text and where in it). */
  seedSource?: SeedSource;
  rateLimit?: boolean;
  /** Answer browsers from any origin, as Prism does (default on); the control API never does. */
  cors?: boolean;
}

/**
 * A stateful mock of one API, assembled from the kit: requests routed by the contract's route table
 * and validated against it (routing.ts), auth enforced as the contract's `x-auth-contract` states
 * against a real credential store (auth.ts), typed handlers over in-memory state seeded from the
 * module's seed file (define.ts, seed.ts), faults and latency on demand (faults.ts), scenarios a
 * client asks for in `Prefer` (scenarios.ts), CORS for browsers (cors.ts)
 * and a loopback-only control API under /__control (control.ts).
 */
export async function buildStatefulMock<State>(contract: Contract, module: ApiModule<State>, options: StatefulMockOptions = {}): Promise<FastifyInstance> {
  const runtime = new MockRuntime(contract, module, loadSeed(contract, module, options.seed, options.seedSource), options.rateLimit ?? true);
  const auth = { contract, module, store: runtime.store };
  // The tenant a request addresses: from the Host header where the contract puts the tenant in the
  // host name, else the one tenant this mock serves.
  const tenantOf = (req: FastifyRequest) => tenantFromHost(contract, req.headers.host) ?? module.tenant;

  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  registerBodyParsers(app);
  await registerBrowserAccess(app, contract, options.cors !== false);
  registerErrorAnswers(app, contract);

  const gates: Gate[] = [
    (req, reply, op) => runtime.requestFaults.apply(req, reply, op),
    (req, reply, op) => {
      const wait = runtime.rateLimiter.take(tenantOf(req), module.rateLimitPerMinute);
      if (wait !== undefined) sendReply(reply, op, declaredReply(contract, op, [429], { error: 'rate limit exceeded' }, { 'retry-after': String(wait) }));
    },
    (req, reply, op) => {
      const admission = admit(auth, op, req, tenantOf(req));
      // The module's own check on a credential the contract's rules let through (define.ts).
      const refusal = admission.refusal ?? (admission.credential && module.admitCredential?.(runtime.state, admission.credential, op));
      if (refusal) sendReply(reply, op, refusal);
      else req.credential = admission.credential;
    },
    // Scenarios and delays a client asks for (`Prefer`): only once auth let the request through.
    preferenceGate(contract),
  ];
  routeOperations(app, contract, gates, (op, request) => runtime.dispatch(op, request));

  // Response faults (faults.ts): one operation's finished answer is rewritten to break the contract.
  // Without one for the operation the answer passes untouched, at no more cost than this check.
  app.addHook('onSend', (req, reply, payload, done) => {
    const op = req.operation;
    if (!op || !runtime.responseFaults.active(op.id)) return done(null, payload);
    runtime.responseFaults
      .apply({
        op,
        req,
        reply,
        payload,
        classify: () => admit(auth, op, req, tenantOf(req)).cls,
        succeed: async () => {
          const request = readRequest(contract, op, req);
          return 'problem' in request ? badRequest(contract, op, request.problem) : runtime.dispatch(op, request);
        },
      })
      .then((rewritten) => done(null, rewritten), done);
  });

  registerControlApi(app, runtime);
  return app;
}
