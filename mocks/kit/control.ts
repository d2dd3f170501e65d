import type { FastifyInstance } from 'fastify';
import type { CredentialClass } from '../../src/core/contract/model.ts';
import { isLoopbackAddress } from '../../src/core/net.ts';
import type { CredentialStore, StoredCredential } from './credentials.ts';
import { isRequestFaultKind, isResponseFaultKind, readDelay, REQUEST_FAULT_KINDS, RESPONSE_FAULT_KINDS } from './faults.ts';
import type { MockRuntime } from './runtime.ts';

/** Where the control API lives; not part of any contract. */
export const CONTROL_PREFIX = '/__control';

const ISSUABLE: ReadonlySet<CredentialClass> = new Set(['valid', 'revoked', 'expired', 'deprovisioned', 'insufficient', 'other-tenant', 'other-user']);

/** What the control API offers, as [route, what it does]: printed by `contracts mock --stateful`. */
export const CONTROL_API_SUMMARY: readonly (readonly [string, string])[] = [
  ['POST credentials {class?, role?, owner?, kind?}', `issue one: ${[...ISSUABLE].join(', ')}; other-user: an ordinary user's, for owner; kind session for a browser session cookie`],
  ['GET  credentials', 'every credential, without its secret'],
  ['GET  users', 'the ordinary users an other-user credential can be issued for'],
  ['POST credentials/<id>/revoke|expire|deprovision|role', 'change one already handed out'],
  ['POST reset  |  GET state', 'back to the seed  |  the state, as --seed reads it'],
  ['POST faults {operationId?, kind}  |  DELETE faults', 'break answers on purpose  |  stop'],
  ['POST rate-limit {enabled}', "the service's rate limit on or off"],
];

/**
 * The control API, for loopback clients only (browsers are turned away in mocks/kit/cors.ts):
 *   POST /credentials {class?, role?, tenant?, name?, owner?, kind?}   issue a credential of a class
 *        (`other-user`: a valid credential of the ordinary user `owner`; `valid` with `owner` and
 *        `role` the least role makes the user whose objects another user is sent for)
 *   GET  /credentials                                           every credential, without secrets
 *   GET  /users                                                 ordinary users (for other-user credentials)
 *   POST /credentials/:id/(revoke|expire|deprovision|role)      change one already handed out
 *   POST /reset                                                 back to the seed
 *   GET  /state                                                 the state (what --seed reads back)
 *   POST /faults {operationId?, kind, ms?, times?}, DELETE /faults
 *   POST /latency {operationId?, path?, ms}, GET /latency, DELETE /latency   lasting latency per route
 *   POST /rate-limit {enabled}
 */
export function registerControlApi<State>(app: FastifyInstance, runtime: MockRuntime<State>): void {
  const { module, store } = runtime;
  app.register(
    async (control) => {
      control.addHook('onRequest', async (req, reply) => {
        if (!isLoopbackAddress(req.socket.remoteAddress)) return reply.code(403).send({ error: 'the control API answers loopback clients only' });
        return undefined;
      });
      control.post('/credentials', async (req, reply) => {
        const body = (req.body ?? {}) as { class?: CredentialClass; role?: string; tenant?: string; name?: string; owner?: string; kind?: unknown };
        if (body.kind !== undefined && body.kind !== 'token' && body.kind !== 'session') return reply.code(400).send({ error: 'kind must be token or session' });
        const cls = body.class ?? 'valid';
        if (!ISSUABLE.has(cls)) return reply.code(400).send({ error: `cannot issue a ${cls} credential (the runner builds that class itself)` });
        const top = module.roles[module.roles.length - 1]!;
        const bottom = module.roles[0]!;
        if (body.role !== undefined && !module.roles.includes(body.role)) return reply.code(400).send({ error: `role must be one of: ${module.roles.join(', ')}` });
        if (cls === 'other-user') {
          // Another ordinary user: a user of the API's own records, named, holding the least role.
          if (typeof body.owner !== 'string' || body.owner === '') return reply.code(400).send({ error: 'an other-user credential needs owner: the name of an ordinary user' });
          if (body.role !== undefined && body.role !== bottom) return reply.code(400).send({ error: `an other-user credential is an ordinary user's: role ${bottom}` });
        }
        const userRole = cls === 'other-user' ? bottom : body.role;
        // Where only the top role's tokens work (Defguard), an ordinary user reaches the API with a
        // browser session, so that is what such a user gets unless a kind is asked for.
        const kind = (body.kind as 'token' | 'session' | undefined) ?? (userRole !== undefined && module.tokensRequireRole && userRole !== module.tokensRequireRole ? 'session' : 'token');
        // Each refused class gets an owner of its own, so deprovisioning one never touches another.
        const owner = body.owner ?? (cls === 'valid' ? module.principal : `${cls}-${Math.random().toString(36).slice(2, 8)}`);
        const role = userRole ?? (cls === 'insufficient' ? bottom : top);
        const { secret, credential } = store.issue({
          kind,
          owner,
          role: cls === 'insufficient' && module.tokensRequireRole ? module.tokensRequireRole : role,
          name: body.name ?? `${cls} credential`,
          tenant: cls === 'other-tenant' ? `${module.tenant}-other` : (body.tenant ?? module.tenant),
          state: cls === 'revoked' ? 'revoked' : cls === 'expired' ? 'expired' : 'active',
        });
        if (cls === 'deprovisioned') store.owners.get(owner)!.state = 'disabled';
        // A token made while its owner held the role, whose owner was then demoted (Defguard's case).
        if (cls === 'insufficient' && module.tokensRequireRole) store.owners.get(owner)!.role = role;
        return { token: secret, class: cls, role: store.roleOf(credential), tenant: credential.tenant, id: credential.id, owner: credential.owner, kind: credential.kind };
      });
      // Ordinary users whose credentials the other-user sweep may ask for (owner, then other).
      control.get('/users', async () => ({ ordinary: module.ordinaryUsers?.(runtime.state) ?? [], role: module.roles[0] }));
      control.get('/credentials', async () => ({ credentials: store.list().map((c) => describeCredential(store, c)) }));
      // Changes to a credential already handed out, so a client holding it sees the change take
      // effect on its next call (the issue-in-a-state route above cannot show that).
      control.post('/credentials/:id/:change', async (req, reply) => {
        const { id, change } = req.params as { id: string; change: string };
        const credential = store.byId(Number(id));
        if (!credential) return reply.code(404).send({ error: `no credential with id ${id}` });
        const body = (req.body ?? {}) as { role?: string; how?: 'disabled' | 'deleted' };
        if (change === 'revoke') credential.state = 'revoked';
        else if (change === 'expire') credential.state = 'expired';
        else if (change === 'deprovision') {
          const how = body.how ?? 'disabled';
          if (how !== 'disabled' && how !== 'deleted') return reply.code(400).send({ error: 'how must be disabled or deleted' });
          store.owners.get(credential.owner)!.state = how;
          module.ownerDeprovisioned?.(runtime.state, credential.owner, how);
        } else if (change === 'role') {
          if (!body.role || !module.roles.includes(body.role)) return reply.code(400).send({ error: `role must be one of: ${module.roles.join(', ')}` });
          store.owners.get(credential.owner)!.role = body.role;
        } else return reply.code(404).send({ error: `unknown change '${change}': revoke, expire, deprovision or role` });
        return describeCredential(store, credential);
      });
      control.post('/reset', async () => {
        runtime.reset();
        return { reset: true };
      });
      control.get('/state', async () => module.snapshot(runtime.state));
      control.post('/faults', async (req, reply) => {
        const body = (req.body ?? {}) as { operationId?: string; kind?: unknown; ms?: number; times?: number };
        const { requestFaults, responseFaults } = runtime;
        if (isResponseFaultKind(body.kind)) return { faults: requestFaults.count + responseFaults.add({ operationId: body.operationId, kind: body.kind, times: body.times }) };
        if (!isRequestFaultKind(body.kind)) return reply.code(400).send({ error: `kind must be one of: ${[...REQUEST_FAULT_KINDS, ...RESPONSE_FAULT_KINDS].join(', ')}` });
        if (body.kind === 'latency' && body.ms !== undefined) {
          const ms = readDelay(body.ms);
          if (typeof ms !== 'number') return reply.code(400).send({ error: `ms: ${ms.problem}` });
        }
        requestFaults.add({ operationId: body.operationId, kind: body.kind, ms: body.ms, times: body.times });
        return { faults: requestFaults.count };
      });
      control.delete('/faults', async () => {
        runtime.requestFaults.clear();
        runtime.responseFaults.clear();
        return { faults: 0 };
      });
      // Lasting latency for a route, for frontends to show how they behave on a slow backend
      // (the one-off `latency` fault above is for a single request or a few).
      control.post('/latency', async (req, reply) => {
        const body = (req.body ?? {}) as { operationId?: unknown; path?: unknown; ms?: unknown };
        const ms = readDelay(body.ms);
        if (typeof ms !== 'number') return reply.code(400).send({ error: `ms: ${ms.problem}` });
        if (body.operationId !== undefined && !runtime.contract.operations.some((op) => op.id === body.operationId)) {
          return reply.code(400).send({ error: `the contract has no operation '${String(body.operationId)}'` });
        }
        if (body.path !== undefined && (typeof body.path !== 'string' || !body.path.startsWith('/'))) {
          return reply.code(400).send({ error: 'path must be a glob over request paths, starting with / (e.g. /api/v1/user/*)' });
        }
        runtime.requestFaults.setLatency({ operationId: body.operationId as string | undefined, path: body.path as string | undefined, ms });
        return { latency: runtime.requestFaults.routeLatencies };
      });
      control.get('/latency', async () => ({ latency: runtime.requestFaults.routeLatencies }));
      control.delete('/latency', async () => {
        runtime.requestFaults.clearLatency();
        return { latency: [] };
      });
      // The module's own routes (define.ts `controlRoutes`), e.g. a code the service would have e-mailed.
      for (const route of module.controlRoutes ?? []) {
        control.route({
          method: route.method,
          url: route.path,
          handler: async (req, reply) => {
            const answer = route.handle(runtime.state, { params: req.params as Record<string, string>, body: req.body });
            return reply.code(answer.status).send(answer.body);
          },
        });
      }
      control.post('/rate-limit', async (req) => {
        runtime.rateLimiter.enabled = Boolean((req.body as { enabled?: boolean } | undefined)?.enabled);
        runtime.rateLimiter.clear();
        return { enabled: runtime.rateLimiter.enabled };
      });
    },
    { prefix: CONTROL_PREFIX },
  );
}

/** A credential as the control API shows it: never its secret, which is only stored hashed. */
function describeCredential(store: CredentialStore, c: StoredCredential) {
  const owner = store.owners.get(c.owner);
  return { id: c.id, name: c.name, kind: c.kind, owner: c.owner, ownerState: owner?.state ?? 'deleted', role: store.roleOf(c), tenant: c.tenant, state: c.state };
}
