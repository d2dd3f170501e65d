import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';
import { tempProject } from './helpers/project.ts';

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
});
