import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';

/**
 * CI gate: every contract in this repository is releasable — a semantic info.version, a CHANGELOG
 * entry for it, and (once a `<api>@<version>` tag exists) a version bump that fits the changes.
 */
describe('contracts release-check on this repository', () => {
  it('passes', async () => {
    const r = await runCli(['release-check']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/release-check: \d+ APIs, 0 failed/);
    expect(r.code).toBe(0);
  });
});
