import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';
import { startFaultySensor, type SensorFault } from './fixtures/servers/faulty-sensor.ts';

describe('contracts test against an implementation (basic checks)', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  async function smokeAgainst(fault: SensorFault, env: NodeJS.ProcessEnv = {}) {
    const server = await startFaultySensor(fault, env.DEFENDER_IOT_SENSOR_TOKEN || undefined);
    close = server.close;
    return runCli(['test', 'defender-iot-sensor', '--target', server.url], env);
  }

  it('passes a conforming implementation with zero failures', async () => {
    const r = await smokeAgainst('none');
    expect(r.stdout).toMatch(/\d+ passed, 0 failed/);
    expect(r.code).toBe(0);
  });

  it('fails on a body that breaks the schema, naming the operation, the JSON pointer and the spec location', async () => {
    const r = await smokeAgainst('wrong-field-type');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL listAlertsV1/);
    expect(r.stdout).toContain('response-schema: body /0/severity must be one of ["Warning","Minor","Major","Critical"] (got "Huge")');
    expect(r.stdout).toContain('response-schema: body /0/id must be integer (got "one")');
    // Each violation points at the schema keyword it breaks, in the file that writes it.
    expect(r.stdout).toMatch(/at specs\/defender-iot-sensor\/components\/schemas\.yaml:\d+:\d+ #\/AlertSeverity\/enum\n/);
    expect(r.stdout).toMatch(/at specs\/defender-iot-sensor\/components\/schemas\.yaml:\d+:\d+ #\/Alert\/properties\/id\/type\n/);
  });

  it.each([
    ['missing-required-field', "response-schema: body /0 is missing required property 'title'"],
    ['wrong-content-type', "content-type: Content-Type 'text/html' is not declared (declared: application/json)"],
    ['undeclared-status', 'status-declared: status 418 is not declared (declared: 200, 400, 401, 500)'],
    ['ignores-auth', 'auth-missing: a missing credential was accepted (200); the contract requires 401'],
    ['server-error-on-bad-input', "no-server-error [path parameter 'deviceId': wrong type (text where a number is required)]: server error 500"],
    ['accepts-bad-input', "negative-input [query parameter 'state': value outside the enum]: query parameter 'state': value outside the enum: accepted (200); a 4xx is required"],
  ] as const)('catches %s with the right check', async (fault, message) => {
    const r = await smokeAgainst(fault);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(message);
  });

  it('never prints the credential, and gives a curl reproducer that uses the variable instead', async () => {
    const secret = 'feedfacefeedfacefeedfacefeedface';
    const r = await smokeAgainst('wrong-field-type', { DEFENDER_IOT_SENSOR_TOKEN: secret });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).not.toContain(secret);
    expect(r.stdout).toContain('-H "authorization: $DEFENDER_IOT_SENSOR_TOKEN"');
  });
});

describe('bad input to contracts test', () => {
  it('an unreachable target is one line and exit code 2', async () => {
    const r = await runCli(['test', 'defender-iot-sensor', '--target', 'http://127.0.0.1:1']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('contracts: cannot reach http://127.0.0.1:1: connection refused');
    expect(r.stdout).not.toContain('passed');
  });

  it('a target that is not a URL is a usage error', async () => {
    const r = await runCli(['test', 'defender-iot-sensor', '--target', 'sensor.local']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--target must be a URL");
  });

  it('a non-local target without a credential in the environment is refused before anything is sent', async () => {
    const r = await runCli(['test', 'defender-iot-sensor', '--target', 'https://sensor.invalid'], { DEFENDER_IOT_SENSOR_TOKEN: '' });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('contracts: DEFENDER_IOT_SENSOR_TOKEN is not set; defender-iot-sensor needs a credential for https://sensor.invalid (or use --token-env / --credentials)');
  });

  it('--target with several APIs is a usage error', async () => {
    const r = await runCli(['test', 'defender-iot-sensor', 'defguard', '--target', 'http://127.0.0.1:1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--target needs exactly one API name');
  });

  it('an unknown option is a usage error', async () => {
    const r = await runCli(['test', '--tagret', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--tagret'");
  });

  it('mock without an API or --all is a usage error', async () => {
    const r = await runCli(['mock']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('name an API to mock, or pass --all');
  });
});
