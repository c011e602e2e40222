/**
 * `npm start`: the whole system on one machine for a newcomer. Uses DATABASE_URL and TEMPORAL_ADDRESS
 * when set; otherwise starts an embedded Postgres (data in .data/postgres) and a Temporal dev server
 * (SQLite in .data/temporal.db, Web UI on :8233). Then runs payer-sim, the worker and the API as their
 * own processes, submits the demo claims through the API, and stops everything cleanly on Ctrl-C.
 * A second run resumes with the data of the first.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../config/index.js';
import { migrateToLatest } from '../db/migrate.js';
import { createDb } from '../db/pool.js';
import { DEMO_KEYS, seedDemoKeys, seedReferenceData } from '../db/seed.js';
import { demoClaims } from './demo-claims.js';
import { devPayloadKeyEnv } from './infra/dev-keys.js';
import { startEmbeddedPostgres } from './infra/postgres.js';
import { startDevServer } from './infra/temporal.js';
import { installTemporalCli, REPO_ROOT } from './infra/tools.js';

const config = loadConfig();
const dataDir = resolve(REPO_ROOT, config.dataDir);
mkdirSync(dataDir, { recursive: true });
const log = (msg: string) => console.log(`[dev-stack] ${msg}`);
const stops: (() => Promise<void>)[] = [];
const children: ChildProcess[] = [];
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (stopping) process.exit(code);
  stopping = true;
  log('stopping...');
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  await Promise.all(
    children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))),
  );
  for (const stop of stops.reverse()) await stop().catch((err) => log(`stop failed: ${String(err)}`));
  log('stopped');
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

function run(name: string, entry: string, env: Record<string, string>): void {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.push(child);
  process.once('exit', () => child.exitCode === null && child.kill('SIGTERM'));
  child.once('exit', (code) => {
    if (!stopping) {
      log(`${name} exited with code ${code}; stopping the stack`);
      void shutdown(1);
    }
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
    log('DATABASE_URL is not set: starting an embedded Postgres (.data/postgres, port 5433)');
    const pg = await startEmbeddedPostgres({
      dataDir: join(dataDir, 'postgres'),
      port: 5433,
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
      log(
        `TEMPORAL_ADDRESS is not set: starting the Temporal dev server (${cli}), UI on http://localhost:8233`,
      );
      const temporal = await startDevServer({
        cliPath: cli,
        port: 7233,
        uiPort: 8233,
        dbFile: join(dataDir, 'temporal.db'),
        namespace: config.temporal.namespace,
        // The UI decodes encrypted payloads through the API's codec server (supervisors and admins).
        uiCodecEndpoint: `http://127.0.0.1:${config.api.port}/codec`,
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
          port: 7233,
          ui: true,
          uiPort: 8233,
          dbFilename: join(dataDir, 'temporal.db'),
          namespace: config.temporal.namespace,
          searchAttributes: Object.entries(SEARCH_ATTRIBUTES).map(([name, type]) =>
            defineSearchAttributeKey(name, types[type]),
          ),
          extraArgs: [
            '--sqlite-pragma',
            'journal_mode=WAL',
            '--sqlite-pragma',
            'synchronous=NORMAL',
            '--ui-codec-endpoint',
            `http://127.0.0.1:${config.api.port}/codec`,
          ],
        },
      });
      stops.push(() => env.teardown());
      temporalAddress = env.address;
    }
  }

  const common = {
    ...devPayloadKeyEnv(config, dataDir, log),
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
  log(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  void shutdown(1);
});
