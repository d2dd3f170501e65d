import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import type { Contract } from '../../src/core/contract/model.ts';
import { CONTROL_PREFIX } from './control.ts';

/**
 * A frontend on its own dev-server origin calls the mock from the browser: preflights are answered
 * and every answer, refusals included, carries CORS headers so the page can read it. Cookies are
 * allowed (Defguard's session), so the origin is echoed rather than `*`. Requests without an Origin
 * (scripts, the runner, load tests) are not from a browser and get no CORS headers. A preflight may
 * ask for any request header (the allowed headers echo the ones it names): the contract's
 * credential headers, and `Prefer`, which pages send to ask for scenarios and delays (scenarios.ts).
 *
 * Browsers send Origin; scripts and test tools do not. A web page open on the developer's machine
 * must not be able to reset the mock or issue itself credentials, so the control API refuses any
 * request with an Origin before CORS could answer its preflight (also with CORS switched off).
 */
export async function registerBrowserAccess(app: FastifyInstance, contract: Contract, corsOn: boolean): Promise<void> {
  app.addHook('onRequest', (req, reply, done) => {
    if (req.headers.origin !== undefined && (req.url ?? '').startsWith(CONTROL_PREFIX)) {
      void reply.code(403).send({ error: 'the control API does not answer browsers' });
      return;
    }
    done();
  });
  if (corsOn) {
    await app.register(cors, { origin: (origin, done) => done(null, origin !== undefined), credentials: true, exposedHeaders: exposedHeaders(contract), maxAge: 600 });
  }
}

/**
 * Response headers a page may read: every header the contract declares, the ones auth and paging
 * use, and the mock's own word on a scenario (`preference-applied`) or on a request it would not take.
 */
function exposedHeaders(contract: Contract): string[] {
  const names = new Set(['www-authenticate', 'retry-after', 'location', 'content-disposition', 'preference-applied', 'x-mock-reason']);
  for (const op of contract.operations) for (const r of op.responses) for (const h of r.headers) names.add(h.name.toLowerCase());
  return [...names].sort();
}
