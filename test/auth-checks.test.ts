import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../src/core/paths.ts';
import { runCli } from './helpers/cli.ts';
import { startVault, type VaultFault } from './fixtures/servers/vault.ts';

const CONTRACT = path.join(packageRoot, 'test/fixtures/auth/vault.yaml');
const CREDENTIALS = path.join(packageRoot, 'test/fixtures/auth/credentials.yaml');
const TOKENS = ['a1a1a1a1a1a1a1a1', 'r2r2r2r2r2r2r2r2', 'e3e3e3e3e3e3e3e3', 'd4d4d4d4d4d4d4d4', 's5s5s5s5s5s5s5s5', 'g6g6g6g6g6g6g6g6'];

describe('auth checks against a server with a real credential store', () => {
  let close: (() => Promise<void>) | undefined;
  const dirs: string[] = [];
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  async function run(fault: VaultFault) {
    const server = await startVault(fault);
    close = server.close;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contracts-auth-'));
    dirs.push(dir);
    const reports = ['json', 'junit', 'sarif', 'html'].map((f) => `--report=${f}:${path.join(dir, `r.${f}`)}`);
    const r = await runCli(['test', CONTRACT, '--target', server.url, '--credentials', CREDENTIALS, ...reports]);
    const files = ['json', 'junit', 'sarif', 'html'].map((f) => fs.readFileSync(path.join(dir, `r.${f}`), 'utf8'));
    return { ...r, files, json: JSON.parse(files[0]!) };
  }

  it('a correct server passes every credential class with zero failures, and no token appears anywhere', async () => {
    const r = await run('none');
    expect(r.stdout).toMatch(/\d+ passed, 0 failed/);
    expect(r.code).toBe(0);
    for (const cls of ['missing', 'malformed', 'wrong-scheme', 'unknown', 'revoked', 'expired', 'deprovisioned', 'insufficient', 'other-tenant']) {
      const own = r.json.results.filter((x: { check: string }) => x.check === `auth-${cls}`);
      expect(own.length, cls).toBeGreaterThan(0);
      expect(own.some((x: { status: string }) => x.status === 'passed'), cls).toBe(true);
    }
    expect(r.stdout).toMatch(/auth matrix/);
    for (const text of [r.stdout, r.stderr, ...r.files]) for (const token of TOKENS) expect(text).not.toContain(token);
    // curl reproducers name the variable of each class credential, never its value
    expect(r.files[0]).toContain('$VAULT_TOKEN_REVOKED');
  });

  it.each([
    ['ignores-auth', 'auth-missing', 'a missing credential was accepted (200)'],
    ['accepts-revoked', 'auth-revoked', 'a revoked credential was accepted (200)'],
    ['401-instead-of-403', 'auth-insufficient', 'answered 401 where 403 is due'],
    ['403-instead-of-401', 'auth-unknown', 'answered 403 where 401 is due'],
    ['other-tenant-leak', 'auth-other-tenant', 'an other-tenant credential was accepted (200)'],
    ['www-authenticate-on-403', 'auth-deprovisioned', 'WWW-Authenticate header is present'],
  ] as const)('%s is caught by %s', async (fault, check, message) => {
    const r = await run(fault);
    expect(r.code).toBe(1);
    const failed = r.json.results.filter((x: { status: string }) => x.status === 'failed');
    const mine = failed.filter((x: { check: string }) => x.check === check);
    expect(mine.length, JSON.stringify(failed.map((x: { check: string; message: string }) => `${x.check}: ${x.message}`))).toBeGreaterThan(0);
    expect(mine[0].message).toContain(message);
    expect(mine[0].findings[0].location.file).toMatch(/vault\.yaml$/);
    // only auth checks (and their status/schema companions) fail; nothing else is disturbed
    expect(failed.every((x: { check: string }) => x.check.startsWith('auth-') || ['status-declared', 'response-schema'].includes(x.check))).toBe(true);
  });

  it('without a credentials file, classes that need real credentials are skipped with a hint', async () => {
    const server = await startVault('none');
    close = server.close;
    const r = await runCli(['test', CONTRACT, '--target', server.url, '--report', `json:${path.join(os.tmpdir(), 'vault-nocreds.json')}`], {
      VAULT_TOKEN: 'a1a1a1a1a1a1a1a1',
    });
    expect(r.code).toBe(0);
    const json = JSON.parse(fs.readFileSync(path.join(os.tmpdir(), 'vault-nocreds.json'), 'utf8'));
    const revoked = json.results.find((x: { check: string }) => x.check === 'auth-revoked');
    expect(revoked.status).toBe('skipped');
    expect(revoked.message).toBe('no revoked credential: add one to the --credentials file with `class: revoked`');
    const unknown = json.results.filter((x: { check: string }) => x.check === 'auth-unknown');
    expect(unknown.every((x: { status: string }) => x.status === 'passed')).toBe(true);
  });

  it('refuses a literal credential in the file for a non-loopback target', async () => {
    const r = await runCli(['test', CONTRACT, '--target', 'https://vault.invalid', '--credentials', CREDENTIALS]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('contracts: vault.admin: literal credentials are allowed only for loopback targets; use env:NAME or file:path');
  });

  it('reports an unknown credential class in the file as a usage error', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contracts-auth-'));
    const file = path.join(dir, 'creds.yaml');
    fs.writeFileSync(file, 'vault:\n  a: {value: env:X, class: stolen}\n');
    const r = await runCli(['test', CONTRACT, '--target', 'http://127.0.0.1:1', '--credentials', file], { X: 'x' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("vault.a has class 'stolen'");
  });
});
