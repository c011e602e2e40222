/**
 * The whole system for one drill, every part real and every role its own process, as `npm start` runs
 * it: an embedded Postgres (its own cluster in a temporary directory, so it can be stopped and started
 * again), a Temporal dev server persisting to a SQLite file (restartable on the same file), payer-sim,
 * the worker and the API, talking HTTP and gRPC on 127.0.0.1 only. The drill itself keeps a small
 * Postgres pool and a Temporal client to check invariants from the outside.
 */

import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { sql } from 'kysely';
import { migrateToLatest } from '../../db/migrate.js';
import { createDb, type Db } from '../../db/pool.js';
import { DEMO_KEYS, seedDemoKeys, seedReferenceData } from '../../db/seed.js';
import { freePort } from '../../test/support/ports.js';
import { devPayloadKeyEnv } from '../infra/dev-keys.js';
import { type RunningPostgres, startEmbeddedPostgres } from '../infra/postgres.js';
import { type RunningTemporal, startDevServer } from '../infra/temporal.js';
import { findTemporalCli } from '../infra/tools.js';
import { RoleProcess } from './process.js';
import { sleep, until } from './util.js';

/** Settings of one stack; every value has a drill-friendly default. */
export interface DrillStackOptions {
  /** Short name: the task queue and the data directory carry it. */
  name: string;
  /** payer-sim: acceptance to adjudication. */
  adjudicationDelayMs?: number;
  /** How often the worker's ERA schedule pulls. */
  eraPollSeconds?: number;
  /** The worker's clearinghouse call timeout. */
  payerTimeoutMs?: number;
  /** Extra environment of the worker / API. */
  workerEnv?: Record<string, string>;
  apiEnv?: Record<string, string>;
  /** Keep the data directory after `stop` (to look at logs). */
  keepDir?: boolean;
  log?: (msg: string) => void;
}

/** A running stack and the handles a drill needs to load it, break it and check it. */
export class DrillStack {
  readonly dir: string;
  readonly taskQueue: string;
  readonly keys = DEMO_KEYS;
  pgPort = 0;
  temporalPort = 0;
  apiPort = 0;
  simPort = 0;
  dbUrl = '';
  pg: RunningPostgres | undefined;
  temporal: RunningTemporal | undefined;
  db!: Db;
  connection: Connection | undefined;
  client!: Client;
  sim!: RoleProcess;
  worker!: RoleProcess;
  api!: RoleProcess;
  private readonly log: (msg: string) => void;

  constructor(private readonly opts: DrillStackOptions) {
    this.dir = mkdtempSync(join(tmpdir(), `drill-${opts.name}-`));
    // As root, Postgres runs as the `postgres` user, which must be able to enter this directory.
    chmodSync(this.dir, 0o755);
    this.taskQueue = `drill-${opts.name}`;
    this.log = opts.log ?? (() => {});
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.apiPort}`;
  }

  get simUrl(): string {
    return `http://127.0.0.1:${this.simPort}`;
  }

  get temporalAddress(): string {
    return `127.0.0.1:${this.temporalPort}`;
  }

  /** Starts every part and waits until the API is ready. */
  async start(): Promise<void> {
    const cli = findTemporalCli(process.env.TEMPORAL_CLI_PATH);
    if (!cli)
      throw new Error('No Temporal CLI: run `npm run tools:install` (needs Go) or set TEMPORAL_CLI_PATH');
    [this.pgPort, this.temporalPort, this.apiPort, this.simPort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    await this.startPostgres();
    this.db = createDb(this.dbUrl, { max: 4, onIdleError: () => {} });
    await migrateToLatest(this.db);
    await seedReferenceData(this.db);
    await seedDemoKeys(this.db);
    await this.startTemporal(cli);

    const logDir = join(this.dir, 'logs');
    mkdirSync(logDir, { recursive: true });
    const common = {
      // Payloads are encrypted: each drill's stack seals them with its own development key.
      ...devPayloadKeyEnv({ payloadKeys: undefined }, this.dir, () => {}),
      DATABASE_URL: this.dbUrl,
      TEMPORAL_ADDRESS: this.temporalAddress,
      TEMPORAL_TASK_QUEUE: this.taskQueue,
      PAYER_API_URL: this.simUrl,
      LOG_LEVEL: 'warn',
    };
    this.sim = new RoleProcess(
      'payer-sim',
      'payer-sim/main.ts',
      {
        PAYER_SIM_PORT: String(this.simPort),
        PAYER_SIM_HOST: '127.0.0.1',
        PAYER_SIM_LOG_LEVEL: 'warn',
        PAYER_SIM_STATE_FILE: join(this.dir, 'payer-sim.json'),
        PAYER_SIM_ADJUDICATION_DELAY_MS: String(this.opts.adjudicationDelayMs ?? 2000),
        PAYER_SIM_APPEAL_DECISION_DELAY_MS: '2000',
      },
      join(logDir, 'payer-sim.log'),
    );
    this.worker = new RoleProcess(
      'worker',
      'worker/main.ts',
      {
        ...common,
        ERA_POLL_INTERVAL_SECONDS: String(this.opts.eraPollSeconds ?? 3),
        PAYER_TIMEOUT_MS: String(this.opts.payerTimeoutMs ?? 10_000),
        ...this.opts.workerEnv,
      },
      join(logDir, 'worker.log'),
    );
    this.api = new RoleProcess(
      'api',
      'api/main.ts',
      {
        ...common,
        API_HOST: '127.0.0.1',
        API_PORT: String(this.apiPort),
        API_RATE_LIMIT_PER_MINUTE: '1000000',
        ...this.opts.apiEnv,
      },
      join(logDir, 'api.log'),
    );
    this.sim.start();
    await this.waitHttp(`${this.simUrl}/health`, 60_000, this.sim);
    this.worker.start();
    this.api.start();
    await this.waitHttp(`${this.apiUrl}/readyz`, 120_000, this.api);
    await this.waitWorkerPolling(180_000);
  }

  /** Starts (or restarts, on the same cluster and port) the embedded Postgres. */
  async startPostgres(): Promise<void> {
    this.pg = await startEmbeddedPostgres({
      dataDir: join(this.dir, 'postgres'),
      port: this.pgPort,
      database: 'denial_desk',
      persistent: true,
    });
    this.dbUrl = this.pg.url;
    // A drill's cluster is thrown away afterwards: trade durability for speed on a loaded machine.
    const admin = createDb(this.pg.url.replace(/\/[^/]*$/, '/postgres'), { max: 1, onIdleError: () => {} });
    try {
      await sql`alter system set fsync = off`.execute(admin);
      await sql`alter system set synchronous_commit = off`.execute(admin);
      await sql`select pg_reload_conf()`.execute(admin);
    } finally {
      await admin.destroy();
    }
  }

  /** Stops Postgres (a fast shutdown: every connection is cut). */
  async stopPostgres(): Promise<void> {
    await this.pg?.stop();
    this.pg = undefined;
  }

  private async startTemporal(cli: string): Promise<void> {
    this.temporal = await startDevServer({
      cliPath: cli,
      port: this.temporalPort,
      dbFile: join(this.dir, 'temporal.db'),
      namespace: 'default',
      log: this.log,
    });
    this.connection = await Connection.connect({ address: this.temporalAddress });
    this.client = new Client({ connection: this.connection, namespace: 'default' });
  }

  /** Stops the Temporal dev server; `startTemporalAgain` brings it back on the same SQLite file. */
  async stopTemporal(): Promise<void> {
    await this.connection?.close().catch(() => {});
    this.connection = undefined;
    await this.temporal?.stop();
    this.temporal = undefined;
  }

  async startTemporalAgain(): Promise<void> {
    const cli = findTemporalCli(process.env.TEMPORAL_CLI_PATH);
    if (!cli) throw new Error('No Temporal CLI');
    await this.startTemporal(cli);
  }

  /** Waits for `url` to answer 2xx; fails early with the process's output if it exits. */
  async waitHttp(url: string, timeoutMs: number, proc?: RoleProcess): Promise<void> {
    await until(
      async () => {
        if (proc && !proc.running) {
          throw new Error(
            `${proc.role} exited (${JSON.stringify(proc.lastExit)}):\n${proc.lastLines(20).join('\n')}`,
          );
        }
        const res = await fetch(url, { signal: AbortSignal.timeout(3000) }).catch(() => undefined);
        return res?.ok ? true : undefined;
      },
      `${url} to answer`,
      timeoutMs,
      500,
    );
  }

  /**
   * Waits until a worker polls the task queue (it bundles the workflow code first, which takes a while
   * on a loaded machine). Fails early with the worker's output if it exits.
   */
  async waitWorkerPolling(timeoutMs: number): Promise<void> {
    const startedAt = Date.now();
    await until(
      async () => {
        if (!this.worker.running) {
          throw new Error(
            `worker exited (${JSON.stringify(this.worker.lastExit)}):\n${this.worker.lastLines(20).join('\n')}`,
          );
        }
        const d = await this.client.workflowService
          .describeTaskQueue({
            namespace: 'default',
            taskQueue: { name: this.taskQueue },
            taskQueueType: 1, // workflow
          })
          .catch(() => undefined);
        const recent = (d?.pollers ?? []).some((p) => {
          const seconds = Number(p.lastAccessTime?.seconds ?? 0);
          return seconds * 1000 >= startedAt - 1000;
        });
        return recent ? true : undefined;
      },
      'the worker to poll its task queue',
      timeoutMs,
      500,
    );
  }

  /** Restarts the worker process and waits until it polls again. */
  async restartWorker(): Promise<void> {
    this.worker.start();
    await this.waitWorkerPolling(180_000);
  }

  /** Restarts the API process and waits until it is ready. */
  async restartApi(): Promise<void> {
    this.api.start();
    await this.waitHttp(`${this.apiUrl}/readyz`, 120_000, this.api);
  }

  /** PUT /sim/config on payer-sim (faults, delays). */
  async simConfig(update: Record<string, unknown>): Promise<void> {
    const res = await fetch(`${this.simUrl}/sim/config`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(update),
    });
    if (!res.ok) throw new Error(`payer-sim refused the config: ${res.status} ${await res.text()}`);
  }

  /** Stops everything, in reverse order, and removes the data directory unless asked to keep it. */
  async stop(): Promise<void> {
    for (const p of [this.api, this.worker, this.sim]) await p?.stop().catch(() => {});
    await this.db?.destroy().catch(() => {});
    await this.stopTemporal().catch(() => {});
    await this.stopPostgres().catch(() => {});
    await sleep(100);
    if (!this.opts.keepDir) rmSync(this.dir, { recursive: true, force: true });
    else this.log(`kept ${this.dir}`);
  }
}
