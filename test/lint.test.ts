import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';
import { tempProject, writeFile } from './helpers/project.ts';

const MINIMAL = (extra: string) => `openapi: 3.1.0
info:
  title: Broken
  version: 1.0.0
  license: {name: MIT, identifier: MIT}
  description: A deliberately broken contract.
servers:
  - url: https://example.test
security:
  - Key: []
tags:
  - name: things
    description: Things.
components:
  securitySchemes:
    Key: {type: apiKey, in: header, name: X-Key}
paths:
${extra}`;

describe('contracts lint', () => {
  let cleanup: (() => void) | undefined;
  afterEach(() => cleanup?.());

  it('passes on the sensor contract', async () => {
    const r = await runCli(['lint', 'defender-iot-sensor']);
    expect(r.stdout).toContain('0 errors');
    expect(r.code).toBe(0);
  });

  it('names file, line and pointer when a secured operation declares no 401 and no x-api-version', async () => {
    const p = tempProject([]);
    cleanup = p.cleanup;
    writeFile(
      path.join(p.specs, 'broken/openapi.yaml'),
      MINIMAL(`  /things:
    get:
      operationId: listThings
      summary: List things
      description: Lists things.
      tags: [things]
      responses:
        '200':
          description: ok
        '404':
          description: none
`),
    );
    const r = await runCli(['--root', p.root, 'lint', 'broken']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/specs\/broken\/openapi\.yaml:\d+:\d+ #\/paths\/~1things\/get\/responses .*contracts\/secured-operation-401/);
    expect(r.stdout).toMatch(/specs\/broken\/openapi\.yaml:\d+:\d+ #\/paths\/~1things\/get .*contracts\/operation-api-version/);
    expect(r.stdout).toMatch(/#\/paths\/~1things\/get .*contracts\/auth-contract .*no `x-auth-contract` outcome for: missing, malformed/);
    expect(r.stdout).toContain('lint: 1 APIs, 3 errors');
  });

  it('checks x-auth-contract: its shape, and that every expected status is declared', async () => {
    const p = tempProject([]);
    cleanup = p.cleanup;
    writeFile(
      path.join(p.specs, 'broken/openapi.yaml'),
      MINIMAL(`  /things:
    get:
      operationId: listThings
      summary: List things
      description: Lists things.
      tags: [things]
      x-api-version: v1
      x-auth-contract:
        classes:
          missing: {status: 401}
          malformed: {status: 401}
          wrong-scheme: {status: 401}
          unknown: {status: 401}
          revoked: {status: 410}
          expired: {applies: false}
          deprovisioned: {status: 403}
          insufficient: {applies: false, reason: no roles}
          other-tenant: {applies: false, reason: single tenant}
          other-user: {applies: false, reason: nothing belongs to one user}
          valid: {status: 2XX, wwwAuthenticate: sometimes}
      responses:
        '200':
          description: ok
        '401':
          description: no key
`),
    );
    const r = await runCli(['--root', p.root, 'lint', 'broken']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("contracts/auth-contract  `x-auth-contract`/classes/expired must have required property 'reason'");
    expect(r.stdout).toContain('contracts/auth-contract  `x-auth-contract`/classes/valid/wwwAuthenticate must be equal to one of the allowed values');
    writeFile(
      path.join(p.specs, 'broken/openapi.yaml'),
      fs.readFileSync(path.join(p.specs, 'broken/openapi.yaml'), 'utf8').replace('expired: {applies: false}', 'expired: {applies: false, reason: never}').replace(', wwwAuthenticate: sometimes', ''),
    );
    const r2 = await runCli(['--root', p.root, 'lint', 'broken']);
    expect(r2.stdout).toMatch(/#\/paths\/~1things\/get\/x-auth-contract\/classes\/revoked\/status .*expects 410 for 'revoked', but the operation declares no such response/);
    expect(r2.stdout).toMatch(/deprovisioned', but the operation declares no such response/);
    expect(r2.stdout).toContain('lint: 1 APIs, 2 errors');
  });

  it('x-auth-contract: the document default applies to secured operations, an operation replaces a class as a whole', async () => {
    const p = tempProject([]);
    cleanup = p.cleanup;
    const op = (id: string, extra: string) => `    get:
      operationId: ${id}
      summary: ${id}
      description: ${id}.
      tags: [things]
      x-api-version: v1
${extra}      responses:
        '200':
          description: ok
        '401':
          description: no key
`;
    writeFile(
      path.join(p.specs, 'broken/openapi.yaml'),
      MINIMAL(`  /inherits:
${op('inherits', '')}  /overrides:
${op('overrides', `      x-auth-contract:
        classes:
          revoked: {status: 401, x-doc-notes: [a deleted key is simply unknown]}
`)}  /half:
${op('half', `      x-auth-contract:
        classes:
          revoked: {wwwAuthenticate: forbidden}
`)}  /open:
${op('open', `      security: []
`)}x-auth-contract:
  classes:
    missing: {status: 401}
    malformed: {status: 401}
    wrong-scheme: {status: 401}
    unknown: {status: 401}
    revoked: {status: 410}
    expired: {applies: false, reason: keys never expire}
    deprovisioned: {status: 401}
    insufficient: {applies: false, reason: no roles}
    other-tenant: {applies: false, reason: single tenant}
    other-user: {applies: false, reason: nothing belongs to one user}
    valid: {status: 2XX}
`),
    );
    const r = await runCli(['--root', p.root, 'lint', 'broken']);
    const findings = r.stdout.split('\n').filter((l) => l.includes('contracts/auth-contract'));
    // The default's 410 is checked on the operation that inherits it, at its responses.
    expect(findings).toEqual([
      expect.stringMatching(/#\/paths\/~1inherits\/get\/responses .*expects 410 for 'revoked' \(the document default\), but the operation declares no such response/),
      // An override is a whole entry: it does not borrow the default's status.
      expect.stringMatching(/#\/paths\/~1half\/get\/x-auth-contract\/classes\/revoked .*`x-auth-contract`\/classes\/revoked must have required property 'status'/),
    ]);
    // The operation that overrides `revoked` and the open operation (no credential, no default) are clean.
    expect(r.stdout).not.toMatch(/~1overrides|~1open/);
    expect(r.stdout).toContain('lint: 1 APIs, 2 errors');
    expect(r.code).toBe(1);
  });

  it('rejects an x-auth-contract under info, telling to move it to the document root', async () => {
    const p = tempProject([]);
    cleanup = p.cleanup;
    const text = MINIMAL(`  /things:
    get:
      operationId: listThings
      summary: List things
      description: Lists things.
      tags: [things]
      x-api-version: v1
      security: []
      responses:
        '200':
          description: ok
        '400':
          description: bad query
`).replace(
      '  description: A deliberately broken contract.\n',
      '  description: A deliberately broken contract.\n  x-auth-contract:\n    classes:\n      missing: {status: 401}\n',
    );
    writeFile(path.join(p.specs, 'broken/openapi.yaml'), text);
    const r = await runCli(['--root', p.root, 'lint', 'broken']);
    expect(r.stdout).toMatch(
      /specs\/broken\/openapi\.yaml:7:\d+ #\/info\/x-auth-contract +error +contracts\/auth-contract +`x-auth-contract` under `info` is not read: move it to the document root/,
    );
    expect(r.stdout).toContain('lint: 1 APIs, 1 errors');
    expect(r.code).toBe(1);
  });

  it('reports an example that does not match its schema, at the example', async () => {
    const p = tempProject([]);
    cleanup = p.cleanup;
    writeFile(
      path.join(p.specs, 'broken/openapi.yaml'),
      MINIMAL(`  /things:
    get:
      operationId: listThings
      summary: List things
      description: Lists things.
      tags: [things]
      x-api-version: v1
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [count]
                properties:
                  count: {type: integer}
              examples:
                wrong:
                  value: {count: many}
        '401':
          description: no key
`),
    );
    const r = await runCli(['--root', p.root, 'lint', 'broken']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/openapi\.yaml:\d+:\d+ #\/paths\/~1things\/get\/responses\/200\/content\/application~1json\/examples\/wrong\/value\/count .*no-invalid-media-type-examples/);
  });

  it('names the file and line of a YAML syntax error in a referenced file, and exits non-zero', async () => {
    const p = tempProject([]);
    cleanup = p.cleanup;
    writeFile(path.join(p.specs, 'broken/openapi.yaml'), MINIMAL(`  /things:\n    $ref: paths/things.yaml\n`));
    writeFile(path.join(p.specs, 'broken/paths/things.yaml'), 'get:\n  responses: {\n    "200": [\n');
    const r = await runCli(['--root', p.root, 'lint', 'broken']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/specs\/broken\/paths\/things\.yaml:4:1 #\/ .*YAML syntax error/);
    expect(r.stdout).toMatch(/specs\/broken\/openapi\.yaml:\d+:\d+ #\/paths\/~1things .*Can't resolve \$ref/);
    expect(r.stderr).toBe('');
  });

  it('gives one line and exit code 2 when the root document itself is not YAML', async () => {
    const p = tempProject([]);
    cleanup = p.cleanup;
    writeFile(path.join(p.specs, 'broken/openapi.yaml'), 'openapi: 3.1.0\ninfo: [\n');
    const r = await runCli(['--root', p.root, 'lint', 'broken']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/specs\/broken\/openapi\.yaml:3:1 #\/: YAML syntax error/);
  });

  it('rejects an unknown API with one line and exit code 2', async () => {
    const r = await runCli(['lint', 'no-such-api']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain("unknown API 'no-such-api'");
  });

  it('names a path parameter with no producer, accepts a written link or a stated reason, and rejects an empty reason', async () => {
    const p = tempProject([]);
    cleanup = p.cleanup;
    const op = (id: string, method: string, pathParams: string) => `    ${method}:
      operationId: ${id}
      summary: ${id}
      description: ${id}.
      tags: [things]
${pathParams}      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {name: {type: string}}}
        '401':
          description: no
        '404':
          description: none
`;
    const param = (extra = '') => `      parameters:
        - {name: serial, in: path, required: true, schema: {type: string}${extra}}
`;
    const spec = (itemParam: string) =>
      MINIMAL(`  /things:
${op('listThings', 'get', '')}  /things/{serial}:
${op('getThing', 'get', itemParam)}`).replace(/operationId: (\w+)/g, 'operationId: $1\n      x-api-version: v1\n      x-auth-contract: {classes: {}}');
    writeFile(path.join(p.specs, 'things/openapi.yaml'), spec(param()));
    let r = await runCli(['--root', p.root, 'lint', 'things']);
    expect(r.stdout).toMatch(/specs\/things\/openapi\.yaml:\d+:\d+ #\/paths\/~1things~1\{serial\}\/get\/parameters\/0 .*contracts\/path-parameter-producer .*Path parameter 'serial' of GET \/things\/\{serial\} has no producer/);

    writeFile(path.join(p.specs, 'things/openapi.yaml'), spec(param(", x-no-producer: ''")));
    r = await runCli(['--root', p.root, 'lint', 'things']);
    expect(r.stdout).toMatch(/x-no-producer .*contracts\/path-parameter-producer .*must give the reason/);

    writeFile(path.join(p.specs, 'things/openapi.yaml'), spec(param(", x-no-producer: 'printed on the device label'")));
    r = await runCli(['--root', p.root, 'lint', 'things']);
    expect(r.stdout).not.toContain('path-parameter-producer');

    // The list's items carry `serial`: the inferred link feeds the parameter, no reason needed.
    writeFile(
      path.join(p.specs, 'things/openapi.yaml'),
      spec(param()).replace('schema: {type: object, properties: {name: {type: string}}}', 'schema: {type: array, items: {type: object, properties: {serial: {type: string}}}}'),
    );
    r = await runCli(['--root', p.root, 'lint', 'things']);
    expect(r.stdout).not.toContain('path-parameter-producer');
  });

  it('requires an other-user outcome where an operation reaches one user\'s object (x-owned-by), at file:line:pointer', async () => {
    const p = tempProject([]);
    cleanup = p.cleanup;
    const classes = `{missing: {status: 401}, malformed: {status: 401}, wrong-scheme: {status: 401}, unknown: {status: 401}, revoked: {status: 401}, expired: {status: 401}, deprovisioned: {status: 401}, insufficient: {status: 403}, other-tenant: {applies: false, reason: one tenant}, other-user: {applies: false, reason: nothing belongs to one user}, valid: {status: 2XX}}`;
    const spec = (ownedBy: string, own = '') =>
      MINIMAL(`  /things:
    get:
      operationId: listThings
      x-api-version: v1
      summary: list
      description: List.
      tags: [things]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {type: object, properties: {serial: {type: string}}}}
        '401': {description: no}
        '403': {description: no}
  /things/{serial}:
    get:
      operationId: getThing
      x-api-version: v1
      summary: get
      description: Get.
      tags: [things]
${ownedBy}${own}      parameters:
        - {name: serial, in: path, required: true, schema: {type: string}}
      responses:
        '200': {description: ok}
        '401': {description: no}
        '403': {description: no}
        '404': {description: none}
`) + `x-auth-contract:\n  classes: ${classes}\n`;
    const write = (text: string) => writeFile(path.join(p.specs, 'things/openapi.yaml'), text);
    write(spec('      x-owned-by: {object: serial}\n'));
    let r = await runCli(['--root', p.root, 'lint', 'things']);
    expect(r.stdout).toMatch(/specs\/things\/openapi\.yaml:\d+:\d+ #\/x-auth-contract\/classes\/other-user .*contracts\/owned-object-outcome .*GET \/things\/\{serial\} reaches an object owned by one user \('serial'\) but states no `other-user` outcome/);
    expect(r.code).toBe(1);

    write(spec('      x-owned-by: {object: id}\n'));
    r = await runCli(['--root', p.root, 'lint', 'things']);
    expect(r.stdout).toMatch(/#\/paths\/~1things~1\{serial\}\/get\/x-owned-by .*contracts\/owned-object-outcome .*names 'id', which is not a path parameter/);

    write(spec('      x-owned-by: serial\n'));
    r = await runCli(['--root', p.root, 'lint', 'things']);
    expect(r.stdout).toMatch(/contracts\/owned-object-outcome .*must be `\{owner: <path parameter>\}`/);

    // The operation states what another user gets: no finding, and its 404 is a declared status.
    write(spec('      x-owned-by: {object: serial}\n', '      x-auth-contract: {classes: {other-user: {status: 404, sameAsMissing: true}}}\n'));
    r = await runCli(['--root', p.root, 'lint', 'things']);
    expect(r.stdout).not.toContain('owned-object-outcome');
    expect(r.stdout).not.toMatch(/other-user/);
  });
});
