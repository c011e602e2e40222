/**
 * `npm start` end to end, once: the launcher brings up embedded Postgres, the Temporal dev server,
 * payer-sim, the worker and the API on ports of its own and a fresh data directory, and a Ctrl-C (SIGINT
 * to its process group, as a terminal sends it) stops every process with exit code 0 and no stack trace.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/ports.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const READY = 'Ctrl-C stops everything';

describe('npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'denial-desk-devstack-'));
  // As root, Postgres runs as the `postgres` user, which must be able to enter the data directory.
  chmodSync(dataDir, 0o755);
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child?.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stops every process on Ctrl-C with exit code 0 and no stack trace', async () => {
    const [apiPort, simPort, pgPort, temporalPort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATA_DIR: dataDir,
      API_PORT: String(apiPort),
      PAYER_API_URL: `http://127.0.0.1:${simPort}`,
      DEV_POSTGRES_PORT: String(pgPort),
      DEV_TEMPORAL_PORT: String(temporalPort),
      DEV_TEMPORAL_UI_PORT: '0',
      LOG_LEVEL: 'info',
    };
    delete env.DATABASE_URL;
    delete env.TEMPORAL_ADDRESS;
    const proc = spawn(process.execPath, ['--import', 'tsx', 'scripts/dev-stack.ts'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child = proc;
    let output = '';
    proc.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    proc.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    const exit = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));

    await new Promise<void>((ready, fail) => {
      const timer = setInterval(() => {
        if (output.includes(READY)) {
          clearInterval(timer);
          ready();
        } else if (proc.exitCode !== null) {
          clearInterval(timer);
          fail(new Error(`npm start exited early (${proc.exitCode}):\n${output}`));
        }
      }, 250);
    });
    const pid = proc.pid;
    if (!pid) throw new Error('no pid');
    // A terminal's Ctrl-C goes to the whole foreground process group.
    process.kill(-pid, 'SIGINT');
    const code = await exit;

    expect(output, output).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(output).not.toContain('IllegalStateError');
    expect(output).toContain('worker stopped');
    expect(output).toContain('shutting down api');
    expect(output).toContain('payer-sim shutting down');
    expect(output).toContain('[dev-stack] stopped');
    expect(code, output).toBe(0);
  }, 420_000);
});
