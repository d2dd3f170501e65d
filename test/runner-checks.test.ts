import { describe, expect, it } from 'vitest';
import { checks, checksFor, primaryCheck } from '../conformance/checks/index.ts';
import { judge } from '../conformance/judge.ts';
import { runContract } from '../conformance/run.ts';
import type { ObservedResponse, RequestCase } from '../conformance/types.ts';
import { PRISM_UNSUPPORTED_CHECKS } from '../src/cli/commands/test.ts';
import { selectApis } from '../src/core/contract/discover.ts';
import { loadContract } from '../src/core/contract/load.ts';
import { projectPaths } from '../src/core/paths.ts';
import { validators } from '../src/core/validate/cache.ts';
import { RESPONSE_CHECKS } from '../src/index.ts';

const sensor = () => loadContract(selectApis(projectPaths(), ['defender-iot-sensor'])[0]!);

describe('the check registry', () => {
  it('every check states which cases it judges, and its id is the one it is filed under', () => {
    expect(checks.size).toBe(22);
    for (const [id, check] of checks) {
      expect(check.id).toBe(id);
      expect(check.appliesTo.kinds.length, id).toBeGreaterThan(0);
      expect(['planned', 'any'], id).toContain(check.appliesTo.request);
    }
  });

  it('puts the check a case exists for first', async () => {
    const contract = await sensor();
    const secured = contract.operations.find((o) => o.authContract)!;
    expect(checksFor({ kind: 'positive', operation: secured }, 'planned')[0]).toBe('status-declared');
    expect(checksFor({ kind: 'negative', operation: secured }, 'planned')[0]).toBe('negative-input');
    expect(checksFor({ kind: 'no-credentials', operation: { authContract: undefined } }, 'planned')[0]).toBe('auth-required');
    expect(checksFor({ kind: 'auth', credentialClass: 'revoked', operation: secured }, 'planned')).toEqual([
      'auth-revoked',
      'status-declared',
      'content-type',
      'response-schema',
      'no-server-error',
    ]);
    expect(() => primaryCheck({ kind: 'auth' })).toThrow(/names the credential class/);
  });

  it('an observed exchange is judged only by checks that need no request the runner built', async () => {
    const contract = await sensor();
    const secured = contract.operations.find((o) => o.authContract)!;
    const planned = checksFor({ kind: 'positive', operation: secured }, 'planned');
    const observed = checksFor({ kind: 'positive', operation: secured }, 'observed');
    expect(planned).toEqual(['status-declared', 'content-type', 'response-schema', 'response-headers', 'pagination-consistent', 'no-server-error', 'positive-input', 'auth-valid']);
    expect(observed).toEqual(['status-declared', 'content-type', 'response-schema', 'response-headers']);
    // Library mode's list is the registry's answer, not a list of its own.
    expect(RESPONSE_CHECKS).toEqual(observed);
    expect(checksFor({ kind: 'auth', credentialClass: 'malformed', operation: secured }, 'observed')[0]).toBe('auth-malformed');
    // A case no observed exchange can be (a request made invalid on purpose) is refused loudly.
    expect(() => checksFor({ kind: 'negative', operation: secured }, 'observed')).toThrow(/negative-input/);
  });
});

describe('judge', () => {
  const answer = (status: number, body: unknown): ObservedResponse => ({ status, headers: { 'content-type': 'application/json' }, text: JSON.stringify(body), durationMs: 1 });

  it('turns outcomes into results: failures with joined messages, skips with their reason, unsupported checks skipped', async () => {
    const contract = await sensor();
    const operation = contract.operations.find((o) => o.id === 'listAlertsV1')!;
    const rc: RequestCase = { kind: 'positive', operation, method: 'GET', url: operation.path, headers: {}, secretHeaders: [] };
    const results = judge(contract, rc, answer(200, [{ id: 'one', severity: 'Huge' }]), { validators, origin: 'planned', unsupported: PRISM_UNSUPPORTED_CHECKS });
    const schema = results.find((r) => r.check === 'response-schema')!;
    expect(schema.status).toBe('failed');
    expect(schema.message).toBe(schema.findings.map((f) => f.message).join('; '));
    expect(schema.findings.some((f) => f.bodyPointer === '/0/severity')).toBe(true);
    expect(results.find((r) => r.check === 'pagination-consistent')).toMatchObject({ status: 'skipped', message: PRISM_UNSUPPORTED_CHECKS.reason });
    expect(results.find((r) => r.check === 'status-declared')?.status).toBe('passed');
    expect(results.every((r) => r.response?.status === 200)).toBe(true);

    const observed = judge(contract, rc, answer(500, {}), { validators, origin: 'observed', messagePrefix: 'entry 7: ' });
    expect(observed.map((r) => r.check)).toEqual(['status-declared', 'content-type', 'response-schema', 'response-headers']);
    expect(observed.filter((r) => r.status === 'failed').every((r) => r.message!.startsWith('entry 7: '))).toBe(true);
  });

  it('a case that is not sent is reported once, under its primary check', async () => {
    const contract = await loadContract(selectApis(projectPaths(), ['defguard'])[0]!);
    // Nothing listens there: a request that was sent would fail the run.
    const run = await runContract(contract, {
      baseUrl: 'https://defguard.invalid',
      operations: contract.operations.filter((o) => o.method === 'post' && !o.safe),
      credentials: () => 'c0ffee00c0ffee00c0ffee00c0ffee00',
      secretVariable: 'T',
    });
    expect(run.results.length).toBeGreaterThan(0);
    for (const r of run.results) {
      const expected = r.case === 'auth' ? `auth-${r.credentialClass}` : ({ positive: 'status-declared', negative: 'negative-input', 'no-credentials': 'auth-required', 'read-back': 'created-readable', gone: 'deleted-gone' } as Record<string, string>)[r.case];
      expect(r.check, `${r.operationId} ${r.case}`).toBe(expected);
    }
    expect(new Set(run.results.map((r) => r.case))).toEqual(new Set(['positive', 'negative', 'auth']));
  });
});
