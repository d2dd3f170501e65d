import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyCredential, mergeAuthContract, presentedCredential } from '../src/core/auth/index.ts';
import { loadContract } from '../src/core/contract/load.ts';
import type { Contract } from '../src/core/contract/model.ts';
import { lookupRoute } from '../src/core/contract/route.ts';
import { writeFile } from './helpers/project.ts';

/**
 * The core every engine asks: the contract model (effective auth contract, source map), the route
 * table and the auth module, on a small split contract written for the purpose.
 */
let dir: string;
let contract: Contract;

/** The 1-based line of the first line of `file` that contains `text`. */
function lineOf(file: string, text: string): number {
  const i = fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text));
  if (i < 0) throw new Error(`${text} not in ${file}`);
  return i + 1;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'core-model-'));
  writeFile(
    path.join(dir, 'openapi.yaml'),
    `openapi: 3.1.0
info: { title: Core fixture, version: 1.0.0 }
servers:
  - url: https://{tenant}.example.com/api
    variables: { tenant: { default: acme } }
security:
  - Token: []
  - Session: []
x-auth-contract:
  scheme: Token
  classes:
    missing: { status: 401, body: { error: no credential } }
    wrong-scheme: { status: 401 }
    malformed: { status: 401 }
    unknown: { status: 401 }
    revoked: { status: 401 }
    expired: { applies: false, reason: tokens do not expire }
    deprovisioned: { status: 401 }
    insufficient: { status: 403 }
    other-tenant: { status: 401 }
    valid: { status: 2XX }
paths:
  /things/{id}:
    $ref: paths/things.yaml
  /things/special:
    $ref: paths/special.yaml
  /health:
    get:
      operationId: health
      security: []
      responses:
        '200': { description: up }
components:
  securitySchemes:
    Token:
      type: apiKey
      in: header
      name: Authorization
      x-scheme-prefix: 'Token '
      x-token-pattern: '^[a-f0-9]{8}$'
    Session:
      type: apiKey
      in: cookie
      name: sid
`,
  );
  writeFile(
    path.join(dir, 'paths/things.yaml'),
    `x-trailing-slash: optional
get:
  operationId: getThing
  x-auth-contract:
    classes:
      missing: { status: 403 }
  responses:
    '200':
      description: the thing
      content:
        application/json:
          schema:
            $ref: ../components/schemas.yaml#/Thing
    '401': { description: no }
    '403': { description: no }
delete:
  operationId: deleteThing
  responses:
    '204': { description: gone }
    '401': { description: no }
    '403': { description: no }
`,
  );
  writeFile(
    path.join(dir, 'paths/special.yaml'),
    `get:
  operationId: getSpecialThing
  responses:
    '200': { description: the special one }
    '401': { description: no }
    '403': { description: no }
`,
  );
  writeFile(
    path.join(dir, 'components/schemas.yaml'),
    `Thing:
  type: object
  required: [id]
  properties:
    id:
      type: string
    size:
      type: integer
      minimum: 0
`,
  );
  contract = await loadContract({ name: 'core-fixture', rootFile: path.join(dir, 'openapi.yaml') });
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const op = (id: string) => contract.operations.find((o) => o.id === id)!;

describe('effective auth contract (one merge rule)', () => {
  it("replaces a class entry as a whole with the operation's own, and keeps the document default for the others", () => {
    const auth = op('getThing').authContract!;
    expect(auth.scheme).toBe('Token');
    expect(auth.classes.missing).toMatchObject({ statuses: ['403'], hasBody: false });
    expect(auth.classes.missing!.source.file).toBe(path.join(dir, 'paths/things.yaml'));
    expect(auth.classes.unknown).toMatchObject({ statuses: ['401'] });
    expect(auth.classes.unknown!.source.file).toBe(path.join(dir, 'openapi.yaml'));
    expect(auth.classes.unknown!.source.line).toBe(lineOf(path.join(dir, 'openapi.yaml'), 'unknown: { status: 401 }'));
  });

  it('does not give the document default to an operation that takes no credential', () => {
    expect(op('health').authContract).toBeUndefined();
  });

  it('never reads a contract under info', () => {
    expect(mergeAuthContract(undefined, undefined, true)).toBeUndefined();
    const merged = mergeAuthContract({ classes: { missing: { status: 401, body: { a: 1 } } } }, { classes: { missing: { status: 403 } } }, true)!;
    expect(merged.classes.missing).toEqual({ raw: { status: 403 }, from: 'operation' });
  });
});

describe('source map', () => {
  it('locates a schema pulled in from another file at its own file and line', () => {
    const schemas = path.join(dir, 'components/schemas.yaml');
    const at = contract.sourceMap.locate('#/components/schemas/Thing/properties/size/minimum');
    expect(at.file).toBe(schemas);
    expect(at.pointer).toBe('#/Thing/properties/size/minimum');
    expect(at.line).toBe(lineOf(schemas, 'minimum: 0'));
  });

  it('locates an operation and its responses in the path file', () => {
    const things = path.join(dir, 'paths/things.yaml');
    expect(op('deleteThing').source).toMatchObject({ file: things, line: lineOf(things, 'delete:') });
    expect(op('getThing').responses.find((r) => r.status === '200')!.source.line).toBe(lineOf(things, "'200':"));
  });

  it('falls back to the deepest written node for a pointer below it', () => {
    const at = contract.sourceMap.locate('#/components/schemas/Thing/properties/id/notAKeyword/0');
    expect(at.line).toBe(lineOf(path.join(dir, 'components/schemas.yaml'), 'id:'));
  });
});

describe('route table', () => {
  it('prefers a literal segment over a parameter, strips the server base path and tolerates the declared trailing slash', () => {
    expect(lookupRoute(contract, 'GET', '/things/special').match?.operation.id).toBe('getSpecialThing');
    const m = lookupRoute(contract, 'GET', '/api/things/a%2Fb/?x=1').match!;
    expect(m).toMatchObject({ params: { id: 'a/b' }, basePath: '/api', canonicalPath: '/things/a%2Fb', slashTolerated: true });
    expect(m.operation.id).toBe('getThing');
  });

  it('matches no empty parameter and names the methods the path allows', () => {
    expect(lookupRoute(contract, 'GET', '/things/').match).toBeUndefined();
    expect(lookupRoute(contract, 'POST', '/things/1')).toEqual({ otherMethods: ['GET', 'DELETE'] });
  });
});

describe('credential classification', () => {
  const classify = (headers: Record<string, string>, known?: Parameters<typeof classifyCredential>[1]) =>
    classifyCredential(presentedCredential(contract, op('getThing'), { headers }), known);
  const active = { state: 'active', ownerActive: true, tenantMatches: true, lacksRole: false } as const;

  it('tells missing, wrong scheme word, malformed and unknown from the request alone', () => {
    expect(classify({})).toBe('missing');
    expect(classify({ authorization: 'Bearer 0123abcd' })).toBe('wrong-scheme');
    expect(classify({ authorization: 'Token ' })).toBe('wrong-scheme');
    expect(classify({ authorization: 'token 0123abcd' })).toBe('unknown');
    expect(classify({ authorization: 'Token %%garbage%%' })).toBe('malformed');
  });

  it('reads a session cookie when no header credential is sent, and the header first when both are', () => {
    const cookie = presentedCredential(contract, op('getThing'), { headers: { cookie: 'theme=dark; sid=s3ss10n' } });
    expect(cookie).toMatchObject({ cls: 'presented', via: 'cookie', token: 's3ss10n' });
    const both = presentedCredential(contract, op('getThing'), { headers: { cookie: 'sid=s3ss10n', authorization: 'Token 0123abcd' } });
    expect(both).toMatchObject({ via: 'header', token: '0123abcd' });
  });

  it('orders what a store knows as services check it', () => {
    const h = { authorization: 'Token 0123abcd' };
    expect(classify(h, active)).toBe('valid');
    expect(classify(h, { ...active, state: 'revoked', ownerActive: false })).toBe('revoked');
    expect(classify(h, { ...active, state: 'expired' })).toBe('expired');
    expect(classify(h, { ...active, ownerActive: false, tenantMatches: false })).toBe('deprovisioned');
    expect(classify(h, { ...active, tenantMatches: false, lacksRole: true })).toBe('other-tenant');
    expect(classify(h, { ...active, lacksRole: true })).toBe('insufficient');
  });
});
