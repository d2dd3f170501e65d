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
});
