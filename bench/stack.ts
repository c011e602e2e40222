/**
 * The real stack the benchmark runs on, in one process: an embedded Postgres (fsync off, a throwaway
 * cluster), a Temporal dev server persisting to SQLite with the configured pragmas, payer-sim with zero
 * adjudication latency, the claims worker (the production workflows bundle and activities, with the
 * tuning knobs from config), the floor worker on its own task queue, and the API listening on a port.
 * ERA pulls run on demand (`pullEras`), never on a clock.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { pino } from 'pino';
import { createActivities } from '../activities/index.js';
import { createHttpPayerGateway } from '../activities/payer/http-gateway.js';
import { type App, buildApp } from '../api/app.js';
import type { AppConfig } from '../config/index.js';
import { migrateToLatest } from '../db/migrate.js';
import { createDb, type Db } from '../db/pool.js';
import { DEMO_KEYS, seedDemoKeys, seedReferenceData } from '../db/seed.js';
import { buildPayerSim } from '../payer-sim/app.js';
import { startEmbeddedPostgres } from '../scripts/infra/postgres.js';
import { connectWithRetry, ensureSearchAttributes } from '../scripts/infra/temporal.js';
import { findTemporalCli } from '../scripts/infra/tools.js';
import { freePort } from '../test/support/ports.js';
import { WORKFLOWS_PATH } from '../worker/worker.js';
import { floorActivities } from './floor/activities.js';

/** Path of the floor workflows, bundled on their own so the claims bundle is exactly production's. */
const FLOOR_WORKFLOWS_PATH = join(import.meta.dirname, 'floor', 'workflows.ts');

export interface BenchStack {
  db: Db;
  dbUrl: string;
  client: Client;
  taskQueue: string;
  floorTaskQueue: string;
  apiUrl: string;
  simUrl: string;
  app: App;
  /** Lets payer-sim adjudicate everything due, then runs one ERA pull workflow to completion. */
  pullEras(opts?: { appeals?: boolean }): Promise<void>;
  /** Resident set size of this process (worker, API and payer-sim share it), bytes. */
  rss(): number;
  stop(): Promise<void>;
}

const silent = pino({ level: 'silent' });

async function startTemporal(
  cli: string,
  dbFile: string,
  pragmas: string[],
): Promise<{ address: string; stop(): Promise<void> }> {
  const port = await freePort();
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--headless'];
  args.push('--namespace', 'default', '--log-level', 'error', '--db-filename', dbFile);
  for (const p of pragmas) args.push('--sqlite-pragma', p);
  const child: ChildProcess = spawn(cli, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-4000);
  });
  const address = `127.0.0.1:${port}`;
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`temporal dev server exited (${code}): ${stderr}`))),
  );
  exited.catch(() => {});
  const connection = await Promise.race([connectWithRetry(address, 120_000), exited]);
  await ensureSearchAttributes(connection, 'default');
  await connection.close();
  return {
    address,
    stop: () =>
      new Promise<void>((resolve) => {
        process.off('exit', kill);
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}

/** Starts the stack with the worker tuning of `config.bench`; `config.temporal.cliPath` picks the CLI. */
export async function startBenchStack(config: Pick<AppConfig, 'bench' | 'temporal'>): Promise<BenchStack> {
  const tuning = config.bench;
  const stops: (() => Promise<void>)[] = [];
  let stopped: Promise<void> | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'denial-desk-bench-'));
  // As root Postgres runs as the `postgres` user, which must be able to enter the directory.
  chmodSync(dir, 0o755);
  stops.push(async () => rmSync(dir, { recursive: true, force: true }));
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // Installed already (a second stack in the same process).
  }
  const pg = await startEmbeddedPostgres({
    dataDir: join(dir, 'pg'),
    port: await freePort(),
    database: 'denial_desk_bench',
    persistent: false,
  });
  stops.push(() => pg.stop());
  const db = createDb(pg.url, { max: 10 });
  stops.push(() => db.destroy());
  await migrateToLatest(db);
  await seedReferenceData(db);
  await seedDemoKeys(db);

  const cli = findTemporalCli(config.temporal.cliPath);
  if (!cli)
    throw new Error('No Temporal CLI: run `npm run tools:install` (needs Go) or set TEMPORAL_CLI_PATH');
  const temporal = await startTemporal(cli, join(dir, 'temporal.db'), tuning.devServerPragmas);
  stops.push(() => temporal.stop());

  const sim = buildPayerSim(
    { tickMs: 100, controls: { adjudicationDelayMs: 0, appealDecisionDelayMs: 0 } },
    silent,
  );
  const simUrl = await sim.listen({ port: 0, host: '127.0.0.1' });
  stops.push(() => sim.close());

  const connection = await Connection.connect({ address: temporal.address });
  stops.push(() => connection.close());
  const client = new Client({ connection, namespace: 'default' });
  const native = await NativeConnection.connect({ address: temporal.address });
  stops.push(() => native.close());
  const taskQueue = `bench-${randomUUID()}`;
  const floorTaskQueue = `bench-floor-${randomUUID()}`;
  const quiet = new DefaultLogger('ERROR');
  const [claimsCode, floorCode] = await Promise.all([
    bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quiet }),
    bundleWorkflowCode({ workflowsPath: FLOOR_WORKFLOWS_PATH, logger: quiet }),
  ]);
  const knobs = {
    maxCachedWorkflows: tuning.maxCachedWorkflows,
    maxConcurrentWorkflowTaskExecutions: tuning.workflowTaskSlots,
    maxConcurrentActivityTaskExecutions: tuning.activityTaskSlots,
    maxConcurrentWorkflowTaskPolls: tuning.workflowTaskPollers,
    maxConcurrentActivityTaskPolls: tuning.activityTaskPollers,
    reuseV8Context: tuning.reuseV8Context,
  };
  const worker = await Worker.create({
    connection: native,
    namespace: 'default',
    taskQueue,
    workflowBundle: claimsCode,
    activities: createActivities({
      db,
      payer: createHttpPayerGateway({ baseUrl: simUrl, apiKey: 'sim-key', timeoutMs: 10_000 }),
      temporal: client,
      taskQueue,
      log: silent,
    }),
    ...knobs,
  });
  const floor = await Worker.create({
    connection: native,
    namespace: 'default',
    taskQueue: floorTaskQueue,
    workflowBundle: floorCode,
    activities: floorActivities,
    ...knobs,
  });
  const running = [worker.run(), floor.run()];
  stops.push(async () => {
    worker.shutdown();
    floor.shutdown();
    await Promise.allSettled(running);
  });

  const app = await buildApp({
    db,
    temporal: client,
    log: silent,
    config: {
      temporal: {
        address: temporal.address,
        namespace: 'default',
        taskQueue,
        uiUrl: 'http://localhost:8233',
        cliPath: undefined,
      },
      // The bench measures the routes, not the rate limiter: allow far more than autocannon sends.
      api: { host: '127.0.0.1', port: 0, rateLimitPerMinute: 100_000_000, bodyLimitBytes: 64 * 1024 * 1024 },
    },
  });
  const apiUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  stops.push(() => app.close());

  return {
    db,
    dbUrl: pg.url,
    client,
    taskQueue,
    floorTaskQueue,
    apiUrl,
    simUrl,
    app,
    async pullEras(opts = {}) {
      const res = await fetch(`${simUrl}/sim/adjudicate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(opts.appeals ? { appeals: true } : {}),
      });
      if (!res.ok) throw new Error(`payer-sim adjudicate answered ${res.status}`);
      await client.workflow.execute('eraPollWorkflow', {
        taskQueue,
        workflowId: `poll-${randomUUID()}`,
        args: [],
      });
    },
    rss: () => process.memoryUsage().rss,
    // Once only, in reverse start order: a stop signal and the run's own cleanup may both call it.
    stop() {
      stopped ??= (async () => {
        for (const s of [...stops].reverse()) await s().catch(() => {});
      })();
      return stopped;
    },
  };
}

/** Authorization header of a demo role. */
export function auth(role: keyof typeof DEMO_KEYS): { authorization: string } {
  return { authorization: `Bearer ${DEMO_KEYS[role]}` };
}
