// Dredd hooks for the head-to-head bench, written the way Dredd's docs describe testing
// non-2xx responses ("Multiple Requests and Responses", "Hooks"): each documented response is one
// transaction, and a hook must make the request that can produce it.
//  - 2xx: sent as compiled, with the credential given by --header.
//  - 401: the credential is removed (the request a documented 401 is about); on operations that need
//    no credential (DREDD_OPEN_OPERATIONS, a JSON list of "METHOD /path/template") it is skipped.
//  - 403: sent with the operation's entry in DREDD_FORBIDDEN_AUTHORIZATION (a JSON map "METHOD /path"
//    → a credential the contract answers with 403, e.g. a demoted admin's token), else skipped.
//  - anything else (400, 404, 429, 500, ...): skipped — Dredd cannot build the request that
//    causes it without hand-written, per-operation hooks (Dredd skips these itself for OpenAPI 2).
const hooks = require('hooks');

const open = new Set(JSON.parse(process.env.DREDD_OPEN_OPERATIONS || '[]'));
const forbidden = JSON.parse(process.env.DREDD_FORBIDDEN_AUTHORIZATION || '{}');

hooks.beforeEach((transaction, done) => {
  const status = String(transaction.expected.statusCode);
  const headers = transaction.request.headers || {};
  const auth = Object.keys(headers).find((h) => h.toLowerCase() === 'authorization');
  if (/^2/.test(status)) return done();
  if (status === '401' && open.has(`${transaction.request.method} ${transaction.origin.resourceName}`)) {
    transaction.skip = true;
    return done();
  }
  if (status === '401') {
    if (auth) delete headers[auth];
    return done();
  }
  const operation = `${transaction.request.method} ${transaction.origin.resourceName}`;
  if (status === '403' && forbidden[operation]) {
    headers[auth || 'Authorization'] = forbidden[operation];
    return done();
  }
  transaction.skip = true;
  return done();
});

// Gavel compares Content-Type literally, so `application/json; charset=utf-8` (what most servers,
// fastify included, send) fails against a documented `application/json`. The usual workaround is a
// hook that drops the parameter before validation; DREDD_KEEP_CHARSET=1 turns it off to show the raw result.
hooks.beforeEachValidation((transaction, done) => {
  if (process.env.DREDD_KEEP_CHARSET === '1' || !transaction.real || !transaction.real.headers) return done();
  const headers = transaction.real.headers;
  for (const name of Object.keys(headers)) {
    if (name.toLowerCase() === 'content-type' && typeof headers[name] === 'string') headers[name] = headers[name].replace(/;\s*charset=utf-8\s*$/i, '');
  }
  return done();
});

// For the bench: which operations Dredd actually exercised (not skipped), one line each.
hooks.afterEach((transaction, done) => {
  if (process.env.DREDD_LOG_OPERATIONS === '1' && !transaction.skip) {
    console.log(`BENCH-DREDD-RAN ${transaction.request.method} ${transaction.origin.resourceName}`);
  }
  return done();
});
