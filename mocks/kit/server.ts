import type { ValidateFunction } from 'ajv';
import cors from '@fastify/cors';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { sample } from 'openapi-sampler';
import type { ClassExpectation, Contract, CredentialClass, OperationModel } from '../../src/core/contract/model.ts';
import { isAnonymousAllowed } from '../../src/core/contract/model.ts';
import { isDelimitedList, splitDelimited } from '../../src/core/contract/params.ts';
import { canonicalUrl } from '../../src/core/contract/route.ts';
import { tenantFromHost } from '../../src/core/contract/tenant.ts';
import { isLoopbackAddress } from '../../src/core/net.ts';
import { createAjv } from '../../src/core/validate/cache.ts';
import { CredentialStore, type StoredCredential } from './credentials.ts';
import { isResponseFaultKind, RESPONSE_FAULT_KINDS, ResponseFaults } from './faults.ts';
import { componentsSchema, routeSchema } from './schemas.ts';
import type { HandlerRequest } from './types.ts';

/** What one API brings to the shared server: roles, token shape, state and handlers. */
export interface ApiModule<State = unknown> {
  api: string;
  /** Roles from least to most privileged. */
  roles: string[];
  /** A role every API token's owner must hold (Defguard: only admins' tokens work; sessions need none). */
  tokensRequireRole?: string;
  /** The tenant this mock serves; credentials of other tenants are refused. */
  tenant: string;
  makeSecret: () => string;
  /**
   * Who owns the valid credentials the control API issues: a principal the API's own operations
   * do not target by default, so a run that deletes or demotes users does not lock itself out.
   */
  principal: string;
  /** Requests per minute per tenant, when the real service limits them. */
  rateLimitPerMinute?: number;
  /**
   * Keeps the module's own records in step when the control API deprovisions a credential's owner
   * (the directory disabled or removed the account outside the API).
   */
  ownerDeprovisioned?(state: State, owner: string, how: 'disabled' | 'deleted'): void;
  /** Fresh state, from the module's seed data or a seed file. */
  createState(store: CredentialStore, seed?: unknown): State;
  /** Serialisable snapshot of the state, for restart-with-seed and the control API. */
  snapshot(state: State): unknown;
  handlers(state: State, store: CredentialStore): Record<string, (req: HandlerRequest<never>) => AnyReply | Promise<AnyReply>>;
}

export interface AnyReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface StatefulMockOptions {
  seed?: unknown;
  rateLimit?: boolean;
  /** Answer browsers from any origin, as Prism does (default on); the control API never does. */
  cors?: boolean;
}

interface Fault {
  operationId?: string;
  kind: 'latency' | 'error' | 'drop';
  ms?: number;
  remaining: number;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    operation?: OperationModel;
  }
  interface FastifyRequest {
    credential?: StoredCredential;
  }
}

const ISSUABLE: ReadonlySet<CredentialClass> = new Set(['valid', 'revoked', 'expired', 'deprovisioned', 'insufficient', 'other-tenant']);

/**
 * A stateful mock of one API: fastify routes and request validation compiled from the contract,
 * auth enforced exactly as the contract's `x-auth-contract` states against a real credential store,
 * typed handlers over in-memory state, and a loopback-only control API under /__control.
 */
export async function buildStatefulMock<State>(contract: Contract, module: ApiModule<State>, options: StatefulMockOptions = {}): Promise<FastifyInstance> {
  const store = new CredentialStore(module.makeSecret, module.tenant);
  let state = module.createState(store, options.seed);
  let handlers = module.handlers(state, store);
  let rateLimitOn = options.rateLimit ?? true;
  let faults: Fault[] = [];
  const responseFaults = new ResponseFaults(contract);
  const windows = new Map<string, number[]>();
  // The tenant a request addresses: from the Host header where the contract puts the tenant in the
  // host name, else the one tenant this mock serves.
  const tenantOf = (req: FastifyRequest) => tenantFromHost(contract, req.headers.host) ?? module.tenant;

  // Clients' spellings (a server base path such as `/cas/api`, a trailing slash the contract declares
  // optional) are mapped onto the contract's own path before routing (src/core/contract/route.ts).
  const app = Fastify({
    logger: false,
    bodyLimit: 1024 * 1024,
    routerOptions: { ignoreTrailingSlash: contract.trailingSlash === 'optional' },
    rewriteUrl: (req) => canonicalUrl(contract, req.method ?? 'GET', req.url ?? '/'),
  });
  // Query strings and path segments are text and are read as the schema's type; JSON bodies are
  // taken as sent, as real services do (a "20" where a number is required is an error).
  const components = componentsSchema(contract);
  const coercing = createAjv({ coerceTypes: 'array', allErrors: false });
  const exact = createAjv({ allErrors: false });
  coercing.addSchema(components);
  exact.addSchema(components);
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? optionalBody(exact.compile(schema as object)) : coercing.compile(schema as object)) as never);
  // Clients post lists with an empty body (Cloud Apps' MCAS module): an empty JSON body reads as an
  // empty object, so an optional filter body is absent and a body with required fields still gets 400.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (String(body).trim() === '') {
      if (req.routeOptions.config?.operation?.requestBody?.required) return done(Object.assign(new Error('a request body is required'), { statusCode: 400 }), undefined);
      return done(null, {});
    }
    try {
      done(null, JSON.parse(String(body)));
    } catch (err) {
      done(Object.assign(err as Error, { statusCode: 400 }), undefined);
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  // A frontend on its own dev-server origin calls the mock from the browser: preflights are answered
  // and every answer, refusals included, carries CORS headers so the page can read it. Cookies are
  // allowed (Defguard's session), so the origin is echoed rather than `*`.
  // Browsers send Origin; scripts and test tools do not. A web page open on the developer's machine
  // must not be able to reset the mock or issue itself credentials, so the control API refuses any
  // request with an Origin before CORS could answer its preflight.
  app.addHook('onRequest', (req, reply, done) => {
    if (req.headers.origin !== undefined && isControlPath(req.url)) {
      void reply.code(403).send({ error: 'the control API does not answer browsers' });
      return;
    }
    done();
  });
  if (options.cors !== false) {
    // Requests without an Origin (scripts, the runner, load tests) are not from a browser and get no CORS headers.
    await app.register(cors, { origin: (origin, done) => done(null, origin !== undefined), credentials: true, exposedHeaders: exposedHeaders(contract), maxAge: 600 });
  }

  app.setErrorHandler((err, req, reply) => {
    const op = req.routeOptions.config.operation;
    const e = err as { validation?: unknown; statusCode?: number; message: string };
    if (e.validation && op) return sendDeclared(reply, contract, op, [400, 422], { error: e.message });
    const status = e.statusCode && e.statusCode >= 400 && e.statusCode < 500 ? e.statusCode : 500;
    if (op && status === 400) return sendDeclared(reply, contract, op, [400, 422], { error: e.message });
    return reply.code(status).send({ error: status === 500 ? 'internal error' : e.message });
  });

  // Response faults (mocks/kit/faults.ts): one operation's finished answer is rewritten to break the contract.
  app.addHook('onSend', async (req, reply, payload) => {
    const op = req.routeOptions.config?.operation;
    if (!op || !responseFaults.active(op.id)) return payload;
    return responseFaults.apply({
      op,
      req,
      reply,
      payload,
      classify: () => authenticate(contract, module, store, op, req, tenantOf(req))?.cls ?? 'valid',
      succeed: async () => {
        const handler = handlers[op.id];
        return handler ? handler({ params: req.params as never, query: req.query as never, body: req.body as never, credential: req.credential, headers: req.headers }) : exampleReply(contract, op);
      },
    });
  });

  for (const op of contract.operations) {
    const url = op.path.replace(/\{([^}]+)\}/g, ':$1');
    // Lists the contract writes comma-separated (`explode: false`) are split before validation.
    const delimited = op.parameters.filter(isDelimitedList);
    try {
      app.route({
        method: op.method.toUpperCase() as never,
        url,
        schema: routeSchema(op),
        config: { operation: op },
        onRequest: async (req, reply) => {
          await applyFaults(req, reply, op);
          if (reply.sent) return reply;
          const tenant = tenantOf(req);
          if (rateLimitOn && module.rateLimitPerMinute) {
            const limited = rateLimit(tenant, module.rateLimitPerMinute, windows);
            if (limited) return sendDeclared(reply, contract, op, [429], { error: 'rate limit exceeded' }, { 'retry-after': String(limited) });
          }
          const refusal = authenticate(contract, module, store, op, req, tenant);
          if (refusal) return sendRefusal(reply, contract, op, refusal);
          return undefined;
        },
        // Only routes with a body or a comma-separated list pay for this hook.
        ...(op.requestBody || delimited.length > 0 ? { preValidation: prepareRequest(contract, op, delimited) } : {}),
        handler: async (req, reply) => {
          const handler = handlers[op.id];
          const result = handler
            ? await handler({
                params: req.params as never,
                query: req.query as never,
                body: req.body as never,
                credential: req.credential,
                headers: req.headers,
              })
            : exampleReply(contract, op);
          if (result.headers) reply.headers(result.headers);
          const media = op.responses.find((r) => r.status === String(result.status))?.content[0]?.mediaType;
          return sendBody(reply.code(result.status), media, result.body);
        },
      });
    } catch (err) {
      throw new Error(`${contract.api}: cannot route ${op.method.toUpperCase()} ${op.path}: ${(err as Error).message}`);
    }
  }

  async function applyFaults(req: FastifyRequest, reply: FastifyReply, op: OperationModel) {
    const fault = faults.find((f) => f.remaining > 0 && (!f.operationId || f.operationId === op.id));
    if (!fault) return;
    fault.remaining--;
    if (fault.kind === 'latency') await new Promise((r) => setTimeout(r, fault.ms ?? 200));
    else if (fault.kind === 'drop') {
      req.raw.socket.destroy();
      reply.hijack();
    } else await reply.code(500).send({ error: 'injected fault' });
  }

  // ---- control API: loopback only, not part of any contract --------------------------------
  app.register(
    async (control) => {
      control.addHook('onRequest', async (req, reply) => {
        if (!isLoopbackAddress(req.socket.remoteAddress)) return reply.code(403).send({ error: 'the control API answers loopback clients only' });
        return undefined;
      });
      control.post('/credentials', async (req, reply) => {
        const body = (req.body ?? {}) as { class?: CredentialClass; role?: string; tenant?: string; name?: string; owner?: string };
        const cls = body.class ?? 'valid';
        if (!ISSUABLE.has(cls)) return reply.code(400).send({ error: `cannot issue a ${cls} credential (the runner builds that class itself)` });
        const top = module.roles[module.roles.length - 1]!;
        const bottom = module.roles[0]!;
        // Each refused class gets an owner of its own, so deprovisioning one never touches another.
        const owner = body.owner ?? (cls === 'valid' ? module.principal : `${cls}-${Math.random().toString(36).slice(2, 8)}`);
        const role = body.role ?? (cls === 'insufficient' ? bottom : top);
        const { secret, credential } = store.issue({
          owner,
          role: cls === 'insufficient' && module.tokensRequireRole ? module.tokensRequireRole : role,
          name: body.name ?? `${cls} credential`,
          tenant: cls === 'other-tenant' ? `${module.tenant}-other` : (body.tenant ?? module.tenant),
          state: cls === 'revoked' ? 'revoked' : cls === 'expired' ? 'expired' : 'active',
        });
        if (cls === 'deprovisioned') store.owners.get(owner)!.state = 'disabled';
        // A token made while its owner held the role, whose owner was then demoted (Defguard's case).
        if (cls === 'insufficient' && module.tokensRequireRole) store.owners.get(owner)!.role = role;
        return { token: secret, class: cls, role: store.roleOf(credential), tenant: credential.tenant, id: credential.id };
      });
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
          module.ownerDeprovisioned?.(state, credential.owner, how);
        } else if (change === 'role') {
          if (!body.role || !module.roles.includes(body.role)) return reply.code(400).send({ error: `role must be one of: ${module.roles.join(', ')}` });
          store.owners.get(credential.owner)!.role = body.role;
        } else return reply.code(404).send({ error: `unknown change '${change}': revoke, expire, deprovision or role` });
        return describeCredential(store, credential);
      });
      control.post('/reset', async () => {
        store.clear();
        state = module.createState(store, options.seed);
        handlers = module.handlers(state, store);
        faults = [];
        responseFaults.clear();
        windows.clear();
        return { reset: true };
      });
      control.get('/state', async () => module.snapshot(state));
      control.post('/faults', async (req, reply) => {
        const body = (req.body ?? {}) as Partial<Fault> & { times?: number };
        if (isResponseFaultKind(body.kind)) return { faults: faults.length + responseFaults.add({ operationId: body.operationId, kind: body.kind, times: body.times }) };
        if (body.kind !== 'latency' && body.kind !== 'error' && body.kind !== 'drop') {
          return reply.code(400).send({ error: `kind must be one of: latency, error, drop, ${RESPONSE_FAULT_KINDS.join(', ')}` });
        }
        faults.push({ operationId: body.operationId, kind: body.kind, ms: body.ms, remaining: body.times ?? 1 });
        return { faults: faults.length };
      });
      control.delete('/faults', async () => {
        faults = [];
        responseFaults.clear();
        return { faults: 0 };
      });
      control.post('/rate-limit', async (req) => {
        rateLimitOn = Boolean((req.body as { enabled?: boolean } | undefined)?.enabled);
        windows.clear();
        return { enabled: rateLimitOn };
      });
    },
    { prefix: '/__control' },
  );
  return app;
}

const isControlPath = (url: string | undefined) => (url ?? '').startsWith('/__control');

/** Response headers a page may read: every header the contract declares, and the ones auth and paging use. */
function exposedHeaders(contract: Contract): string[] {
  const names = new Set(['www-authenticate', 'retry-after', 'location', 'content-disposition']);
  for (const op of contract.operations) for (const r of op.responses) for (const h of r.headers) names.add(h.name.toLowerCase());
  return [...names].sort();
}

/** A credential as the control API shows it: never its secret, which is only stored hashed. */
function describeCredential(store: CredentialStore, c: StoredCredential) {
  const owner = store.owners.get(c.owner);
  return { id: c.id, name: c.name, kind: c.kind, owner: c.owner, ownerState: owner?.state ?? 'deleted', role: store.roleOf(c), tenant: c.tenant, state: c.state };
}

// ---- auth ------------------------------------------------------------------------------------

interface Refusal {
  cls: CredentialClass;
  expectation?: ClassExpectation;
}

/**
 * Classifies the request's credential the way the real service would, and returns the refusal the
 * contract states for its class, or undefined (attaching the credential) when the call may proceed.
 */
function authenticate<State>(contract: Contract, module: ApiModule<State>, store: CredentialStore, op: OperationModel, req: FastifyRequest, tenant: string): Refusal | undefined {
  if (isAnonymousAllowed(op)) return undefined;
  const auth = op.authContract;
  const schemeName = auth?.scheme ?? op.security.find((a) => a.length > 0)?.[0];
  const scheme = schemeName ? contract.securitySchemes[schemeName] : undefined;
  if (!scheme) return { cls: 'missing' };
  const raw = req.headers[(scheme.paramName ?? 'authorization').toLowerCase()];
  let header = Array.isArray(raw) ? raw[0] : raw;
  let prefix = scheme.prefix;
  // A browser sends no header but a session cookie (Defguard's `defguard_session`) where the operation
  // accepts a cookie scheme; the mock's credential store holds those sessions too.
  const cookie = header ? undefined : cookieCredential(contract, op, req.headers.cookie);
  if (cookie) [header, prefix] = [cookie, ''];
  let cls: CredentialClass;
  let credential: StoredCredential | undefined;
  if (!header) cls = 'missing';
  else if (!header.toLowerCase().startsWith(prefix.toLowerCase()) || /\s/.test(header.slice(prefix.length))) cls = 'wrong-scheme';
  else {
    const token = header.slice(prefix.length);
    credential = store.find(token);
    // A session id is no API token and an API token no session id.
    if (credential && (credential.kind === 'session') !== Boolean(cookie)) credential = undefined;
    if (!credential) cls = scheme.tokenPattern && !new RegExp(scheme.tokenPattern).test(token) ? 'malformed' : 'unknown';
    else if (credential.state === 'revoked') cls = 'revoked';
    else if (credential.state === 'expired') cls = 'expired';
    else if (store.owners.get(credential.owner)?.state !== 'active') cls = 'deprovisioned';
    else if (credential.tenant !== tenant) cls = 'other-tenant';
    else if (lacksRole(module, store.roleOf(credential), op.requiredRole, credential.kind)) cls = 'insufficient';
    else cls = 'valid';
  }
  if (cls === 'valid') {
    req.credential = credential;
    return undefined;
  }
  const expectation = auth?.classes[cls];
  // Where the contract says this class gets through (e.g. a raw-session route), it does.
  if (expectation?.applies && expectation.statuses.length > 0 && expectation.statuses.every((s) => /^2/.test(s))) {
    req.credential = credential;
    return undefined;
  }
  return { cls, expectation: expectation?.applies ? expectation : auth?.classes.unknown };
}

/** The value of the first cookie the operation's security accepts (an `in: cookie` scheme), if sent. */
function cookieCredential(contract: Contract, op: OperationModel, cookies: string | undefined): string | undefined {
  if (!cookies) return undefined;
  for (const name of op.security.flat()) {
    const scheme = contract.securitySchemes[name];
    if (scheme?.in !== 'cookie' || !scheme.paramName) continue;
    for (const part of cookies.split(';')) {
      const [k, ...v] = part.trim().split('=');
      if (k === scheme.paramName && v.join('=')) return v.join('=');
    }
  }
  return undefined;
}

function lacksRole<State>(module: ApiModule<State>, role: string, required: string | undefined, kind: StoredCredential['kind']): boolean {
  const rank = (r: string | undefined) => (r === undefined ? -1 : module.roles.indexOf(r));
  // The role API tokens need does not bind a user's own browser session.
  if (kind === 'token' && module.tokensRequireRole && rank(role) < rank(module.tokensRequireRole)) return true;
  return required !== undefined && rank(role) < rank(required);
}

function sendRefusal(reply: FastifyReply, contract: Contract, op: OperationModel, refusal: Refusal) {
  const e = refusal.expectation;
  const status = Number(e?.statuses.find((s) => /^\d+$/.test(s)) ?? 401);
  const headers: Record<string, string> = {};
  if (e?.wwwAuthenticate === 'required') headers['www-authenticate'] = 'Token realm="mock"';
  if (e?.hasBody) return reply.code(status).headers(headers).type('application/json').send(JSON.stringify(e.body));
  return sendDeclared(reply, contract, op, [status], { error: `${refusal.cls} credential` }, headers);
}

/**
 * Before validation: a body the contract requires must be there, an optional one may be left out
 * (fastify gives a request that carried no body at all `null`, which here means absent), and lists
 * the contract writes comma-separated (`explode: false`) are split.
 */
function prepareRequest(contract: Contract, op: OperationModel, delimited: OperationModel['parameters']) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    if (op.requestBody) {
      if (!hasBody(req)) req.body = undefined;
      if (req.body === undefined && op.requestBody.required) return sendDeclared(reply, contract, op, [400, 422], { error: 'a request body is required' });
    }
    const query = req.query as Record<string, unknown>;
    for (const p of delimited) if (query[p.name] !== undefined) query[p.name] = splitDelimited(query[p.name]);
    return undefined;
  };
}

/** Whether the request carried a body at all (a length or a chunked transfer), whatever it holds. */
function hasBody(req: FastifyRequest): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/**
 * A body validator that lets a request without a body through: whether one is required is decided
 * before validation. fastify hands the validator `null` for a missing body, and the request itself
 * (as `parentData`) only to validators that carry ajv's `schemaEnv`, so the wrapper keeps it.
 */
function optionalBody(validate: ValidateFunction) {
  const check = (data: unknown, ctx?: { parentData?: FastifyRequest }): boolean => {
    if (ctx?.parentData && !hasBody(ctx.parentData)) return true;
    const ok = validate(data, ctx as never);
    check.errors = validate.errors;
    return ok;
  };
  check.errors = undefined as unknown;
  check.schemaEnv = validate.schemaEnv;
  return check;
}

// ---- responses -------------------------------------------------------------------------------

/**
 * Answers with the first of `statuses` the operation declares: its first example, or a body
 * sampled from its schema, so every answer the mock gives validates against the contract.
 */
function sendDeclared(reply: FastifyReply, contract: Contract, op: OperationModel, statuses: number[], fallback: unknown, headers: Record<string, string> = {}) {
  for (const status of statuses) {
    const declared = op.responses.find((r) => r.status === String(status));
    if (!declared) continue;
    const media = declared.content[0];
    reply.code(status).headers(headers);
    if (!media) return reply.send();
    const body = media.examples.length > 0 ? media.examples[0] : media.schema ? sample(media.schema as never, { skipReadOnly: true, quiet: true }, contract.document as never) : fallback;
    return sendBody(reply, media.mediaType, body);
  }
  return reply.code(statuses[0]!).headers(headers).type('application/json').send(JSON.stringify(fallback));
}

/** Sends a body as its declared media type: JSON serialised (a JSON string stays JSON), text as is. */
function sendBody(reply: FastifyReply, mediaType: string | undefined, body: unknown) {
  if (body === undefined) return reply.send();
  if (!mediaType || /json/i.test(mediaType)) return reply.type(mediaType ?? 'application/json').send(JSON.stringify(body));
  return reply.type(mediaType).send(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
}

/** An operation without a handler answers like the contract-only mock: its first 2xx example. */
function exampleReply(contract: Contract, op: OperationModel): AnyReply {
  const ok = op.responses.find((r) => /^2\d\d$/.test(r.status)) ?? op.responses.find((r) => r.status === '2XX');
  if (!ok) return { status: 500, body: { error: 'no success response declared' } };
  const status = ok.status === '2XX' ? 200 : Number(ok.status);
  const media = ok.content[0];
  if (!media) return { status };
  const body = media.examples.length > 0 ? media.examples[0] : sample(media.schema as never, { skipReadOnly: true, quiet: true }, contract.document as never);
  return { status, body };
}

function rateLimit(tenant: string, perMinute: number, windows: Map<string, number[]>): number | undefined {
  const now = Date.now();
  const recent = (windows.get(tenant) ?? []).filter((t) => now - t < 60_000);
  if (recent.length >= perMinute) {
    windows.set(tenant, recent);
    return Math.max(1, Math.ceil((recent[0]! + 60_000 - now) / 1000));
  }
  recent.push(now);
  windows.set(tenant, recent);
  return undefined;
}
