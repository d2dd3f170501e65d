import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Contract, OperationModel } from '../../src/core/contract/model.ts';
import { isDelimitedList, splitDelimited } from '../../src/core/contract/params.ts';
import { lookupRoute } from '../../src/core/contract/route.ts';
import { validators, type Violation } from '../../src/core/validate/cache.ts';
import type { StoredCredential } from './credentials.ts';
import type { ValidatedRequest } from './define.ts';
import { declaredReply, sendReply } from './replies.ts';
import type { AnyReply } from './types.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The contract operation the request is for (null on the control API and unknown routes). */
    operation: OperationModel | null;
    /** Its path parameters as sent (decoded text). */
    pathParams: Record<string, string> | null;
    /** The credential the request authenticated with, once auth admitted it. */
    credential: StoredCredential | undefined;
  }
}

/**
 * What a request passes through before its handler, in order (request faults, rate limit, auth).
 * A step answers the request itself to stop it there.
 */
export type Gate = (req: FastifyRequest, reply: FastifyReply, op: OperationModel) => void | Promise<void>;

const METHODS = ['DELETE', 'GET', 'HEAD', 'PATCH', 'POST', 'PUT'];
const FORM = 'application/x-www-form-urlencoded';

/**
 * Every contract operation behind one fastify route: the request is matched to its operation by the
 * core's one route table (src/core/contract/route.ts: server base paths, `x-trailing-slash`), passes
 * the gates, is read and validated against the operation (`readRequest`), and gets the answer
 * `dispatch` gives. A path the contract does not have gets fastify's 404.
 */
export function routeOperations(app: FastifyInstance, contract: Contract, gates: Gate[], dispatch: (op: OperationModel, request: ValidatedRequest, req: FastifyRequest) => Promise<AnyReply>): void {
  app.decorateRequest('operation', null);
  app.decorateRequest('pathParams', null);
  app.decorateRequest('credential', undefined);
  app.route({
    method: METHODS,
    url: '*',
    exposeHeadRoute: false,
    onRequest: async (req, reply) => {
      const match = findOperation(contract, req.method, req.url);
      if (!match) {
        reply.callNotFound();
        return reply;
      }
      req.operation = match.operation;
      req.pathParams = match.params;
      for (const gate of gates) {
        // Gates that have nothing to do return at once, without a promise to wait for.
        const pending = gate(req, reply, match.operation);
        if (pending) await pending;
        if (reply.sent) return reply;
      }
      return undefined;
    },
    // A HEAD answer is the GET answer's headers, its length included, without the body.
    onSend: (req, reply, payload, done) => {
      if (req.method !== 'HEAD') return done(null, payload);
      reply.header('content-length', String(typeof payload === 'string' || Buffer.isBuffer(payload) ? Buffer.byteLength(payload) : 0));
      done(null, null);
    },
    handler: async (req, reply) => {
      const op = req.operation!;
      const request = readRequest(contract, op, req);
      const result = 'problem' in request ? badRequest(contract, op, request.problem) : await dispatch(op, request, req);
      return sendReply(reply, op, result);
    },
  });
}

/** The operation and path parameters of a request; HEAD falls back to the path's GET, as servers do. */
function findOperation(contract: Contract, method: string, url: string) {
  const match = lookupRoute(contract, method, url).match;
  if (match || method !== 'HEAD') return match;
  return lookupRoute(contract, 'GET', url).match;
}

/** The contract's answer to a request it does not accept (its 400, else 422), with the problem as fallback body. */
export function badRequest(contract: Contract, op: OperationModel, problem: string): AnyReply {
  return declaredReply(contract, op, [400, 422], { error: problem });
}

/**
 * The request as the operation's handler may rely on it, or the problem that makes it a bad
 * request: path and query parameters read as their schemas' types through the shared validator
 * cache (comma-separated lists split first), a required body present, the body valid against the
 * operation's JSON or form schema. JSON bodies are taken as sent, as real services do (a "20"
 * where a number is required is an error). Query parameters the contract does not declare are
 * passed on as sent.
 */
export function readRequest(contract: Contract, op: OperationModel, req: FastifyRequest): ValidatedRequest | { problem: string } {
  const params: Record<string, unknown> = { ...req.pathParams };
  const query: Record<string, unknown> = { ...(req.query as Record<string, unknown>) };
  for (const p of op.parameters) {
    if (p.in !== 'path' && p.in !== 'query') continue;
    const into = p.in === 'path' ? params : query;
    let raw = into[p.name];
    if (raw === undefined) {
      if (p.required) return { problem: `${p.in} parameter '${p.name}' is required` };
      continue;
    }
    if (isDelimitedList(p)) raw = splitDelimited(raw);
    if (!p.schemaPointer) continue;
    const read = validators.coerce(contract, p.schemaPointer, raw);
    if (read.violations.length > 0) return { problem: describe(`${p.in} parameter '${p.name}'`, read.violations[0]!) };
    into[p.name] = read.value;
  }
  let body: unknown;
  if (op.requestBody) {
    body = hasBody(req) ? req.body : undefined;
    if (body === undefined && op.requestBody.required) return { problem: 'a request body is required' };
    const media = op.requestBody.content.find((c) => /json/i.test(c.mediaType) || c.mediaType === FORM);
    if (body !== undefined && media?.schemaPointer) {
      const violations = validators.validate(contract, media.schemaPointer, body);
      if (violations.length > 0) return { problem: describe('body', violations[0]!) };
    }
  }
  return { params, query, body, credential: req.credential, headers: req.headers, ip: req.ip };
}

function describe(what: string, v: Violation): string {
  return `${what}${v.instancePath ? ` at ${v.instancePath}` : ''} ${v.message}`;
}

/** Whether the request carried a body at all (a length or a chunked transfer), whatever it holds. */
function hasBody(req: FastifyRequest): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/**
 * Bodies as the contracts send them: JSON (an empty body reads as absent, so clients that post a
 * list request with no body, like Cloud Apps' MCAS module, get the list, while a required body is
 * still refused), HTML forms as a map of fields, anything else as bytes.
 */
export function registerBodyParsers(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (String(body).trim() === '') {
      if (req.operation?.requestBody?.required) return done(Object.assign(new Error('a request body is required'), { statusCode: 400 }), undefined);
      return done(null, undefined);
    }
    try {
      done(null, JSON.parse(String(body)));
    } catch (err) {
      done(Object.assign(err as Error, { statusCode: 400 }), undefined);
    }
  });
  app.addContentTypeParser(FORM, { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
}

/** Errors fastify raises itself (a body that is not JSON, one too large): the operation's own 400 where it has one. */
export function registerErrorAnswers(app: FastifyInstance, contract: Contract): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const op = req.operation;
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (op && status === 400) return sendReply(reply, op, badRequest(contract, op, err.message));
    return reply.code(status).send({ error: status === 500 ? 'internal error' : err.message });
  });
}
