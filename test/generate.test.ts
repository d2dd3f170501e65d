import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';
import { tempProject, writeFile } from './helpers/project.ts';

/** A contract with one operation that takes the session cookie and one that takes none. */
const COOKIE_API = `openapi: 3.1.0
info: {title: Cookie API, version: 1.0.0}
components:
  securitySchemes:
    Session: {type: apiKey, in: cookie, name: sid}
paths:
  /me:
    get:
      operationId: me
      security: [{Session: []}]
      responses: {'200': {description: ok}, '401': {description: no session}}
  /health:
    get:
      operationId: health
      security: []
      responses: {'200': {description: ok}}
`;

describe('contracts generate', () => {
  let cleanup: (() => void) | undefined;
  afterEach(() => cleanup?.());

  it('committed types of every contract are up to date (CI gate)', async () => {
    const r = await runCli(['generate', '--check']);
    expect(r.stdout).toContain('types are up to date');
    expect(r.code).toBe(0);
  });

  it('detects a schema change that was not regenerated, and regenerating fixes it', async () => {
    const p = tempProject(['defender-iot-sensor']);
    cleanup = p.cleanup;
    const schemas = path.join(p.specs, 'defender-iot-sensor/components/schemas.yaml');
    const text = fs.readFileSync(schemas, 'utf8');
    // A new optional field on the alert: the kind of change a contributor forgets to regenerate for.
    fs.writeFileSync(schemas, text.replace('    additionalInformation:\n', '    acknowledgedBy:\n      type: [string, \'null\']\n    additionalInformation:\n'));

    const stale = await runCli(['--root', p.root, 'generate', '--check']);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain('generated/defender-iot-sensor.ts: stale');

    const write = await runCli(['--root', p.root, 'generate']);
    expect(write.code).toBe(0);
    expect(fs.readFileSync(path.join(p.root, 'generated/defender-iot-sensor.ts'), 'utf8')).toContain('acknowledgedBy?: string | null;');

    const fresh = await runCli(['--root', p.root, 'generate', '--check']);
    expect(fresh.code).toBe(0);
  });

  it('reports types left behind by a removed contract', async () => {
    const p = tempProject(['defender-iot-sensor']);
    cleanup = p.cleanup;
    fs.writeFileSync(path.join(p.root, 'generated/retired-api.ts'), 'export type paths = {};\n');
    const r = await runCli(['--root', p.root, 'generate', '--check']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("no contract named 'retired-api'");
  });

  it('lists a new API in generated/index.ts with its credential format: adding an API needs no hand edit', async () => {
    const p = tempProject(['defender-iot-sensor']);
    cleanup = p.cleanup;
    // A copy of the sensor contract under another name, whose access token follows the word `Key`.
    fs.cpSync(path.join(p.specs, 'defender-iot-sensor'), path.join(p.specs, 'acme-sensor'), { recursive: true });
    const root = path.join(p.specs, 'acme-sensor/openapi.yaml');
    const shared = '    AccessToken:\n      $ref: ../shared/defender-iot/components.yaml#/securitySchemes/AccessToken\n';
    const text = fs.readFileSync(root, 'utf8');
    expect(text).toContain(shared);
    const withPrefix = (prefix: string) =>
      text.replace(shared, `    AccessToken:\n      type: apiKey\n      in: header\n      name: Authorization\n      x-scheme-prefix: '${prefix}'\n`);
    fs.writeFileSync(root, withPrefix('Key '));
    writeFile(path.join(p.specs, 'cookie-api/openapi.yaml'), COOKIE_API);

    const before = await runCli(['--root', p.root, 'generate', '--check']);
    expect(before.code).toBe(1);
    expect(before.stdout).toContain('generated/acme-sensor.ts: missing');
    expect(before.stdout).toContain('generated/index.ts: missing');

    const write = await runCli(['--root', p.root, 'generate']);
    expect(write.code).toBe(0);
    const index = fs.readFileSync(path.join(p.root, 'generated/index.ts'), 'utf8');
    expect(index).toContain("import type { paths as AcmeSensorPaths } from './acme-sensor.ts';");
    expect(index).toContain('"acme-sensor": AcmeSensorPaths;');
    expect(index).toContain('export const API_NAMES = ["acme-sensor", "cookie-api", "defender-iot-sensor"] as const;');
    expect(index).toContain('"acme-sensor": { scheme: "AccessToken", header: "Authorization", prefix: "Key " },');
    expect(index).toContain('"cookie-api": { scheme: "Session", cookie: "sid", prefix: "" },');
    expect(index).toContain('"defender-iot-sensor": { scheme: "AccessToken", header: "Authorization", prefix: "" },');
    expect((await runCli(['--root', p.root, 'generate', '--check'])).code).toBe(0);

    // The credential format is part of the generated index: changing it without regenerating is caught.
    fs.writeFileSync(root, withPrefix('Token '));
    const stale = await runCli(['--root', p.root, 'generate', '--check']);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain('generated/index.ts: stale — the list of APIs or the security scheme of one changed');
    expect(stale.stdout).toContain('generated/acme-sensor.ts: unchanged');
  });

  it('leaves an API whose operations need no credential out of AUTH_SCHEMES, and refuses an API named like the index', async () => {
    const p = tempProject([]);
    cleanup = p.cleanup;
    writeFile(path.join(p.specs, 'open-api/openapi.yaml'), COOKIE_API.replace('security: [{Session: []}]', 'security: []'));
    expect((await runCli(['--root', p.root, 'generate'])).code).toBe(0);
    const index = fs.readFileSync(path.join(p.root, 'generated/index.ts'), 'utf8');
    expect(index).toContain('"open-api": OpenApiPaths;');
    expect(index).toMatch(/export const AUTH_SCHEMES = \{\n\} as const;/);

    writeFile(path.join(p.specs, 'index/openapi.yaml'), COOKIE_API);
    const clash = await runCli(['--root', p.root, 'generate']);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toMatch(/specs\/index: an API cannot be named 'index'/);
  });
});
