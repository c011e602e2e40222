/**
 * Starts the real servers the suite needs, once per `vitest run`: an embedded Postgres (a migrated and
 * seeded template database that each test file clones) and a Temporal dev server (in memory, headless,
 * search attributes registered). Time-skipping tests start their own Java test server per file.
 * Set TEST_DATABASE_URL / TEST_TEMPORAL_ADDRESS to use servers you run yourself.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { migrateToLatest } from '../../db/migrate.js';
import { createDb } from '../../db/pool.js';
import { seedReferenceData } from '../../db/seed.js';
import { type RunningPostgres, startEmbeddedPostgres } from '../../scripts/infra/postgres.js';
import { type RunningTemporal, startDevServer } from '../../scripts/infra/temporal.js';
import { findTemporalCli, findTestServer } from '../../scripts/infra/tools.js';
import { WORKFLOWS_PATH } from '../../worker/worker.js';
import { freePort } from './ports.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
    temporalAddress: string;
    testServerPath: string;
    workflowBundlePath: string;
  }
}

const quietLogger = new DefaultLogger('WARN');

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cleanups: (() => Promise<void>)[] = [];
  // The worker and API refuse to start without a payload key (payloads are encrypted): the processes
  // the suite spawns (e2e, console, drills' short runs) inherit this run's own throwaway key.
  if (!process.env.TEMPORAL_PAYLOAD_KEYS && !process.env.TEMPORAL_PAYLOAD_KEYS_FILE) {
    process.env.TEMPORAL_PAYLOAD_KEYS = `test-1:${randomBytes(32).toString('base64')}`;
    process.env.TEMPORAL_PAYLOAD_ACTIVE_KEY = 'test-1';
  }
  let pgAdminUrl = process.env.TEST_DATABASE_URL;
  if (!pgAdminUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'denial-desk-pg-'));
    const pg: RunningPostgres = await startEmbeddedPostgres({
      dataDir: dir,
      port: await freePort(),
      database: 'postgres',
      persistent: false,
    });
    cleanups.push(async () => {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    });
    pgAdminUrl = pg.url;
  }
  const template = 'denial_desk_template';
  const admin = createDb(pgAdminUrl, { max: 1 });
  const { sql } = await import('kysely');
  await sql.raw(`drop database if exists ${template}`).execute(admin);
  await sql.raw(`create database ${template}`).execute(admin);
  await admin.destroy();
  const templateDb = createDb(pgAdminUrl.replace(/\/[^/]*$/, `/${template}`), { max: 2 });
  await migrateToLatest(templateDb);
  await seedReferenceData(templateDb);
  await templateDb.destroy();

  let temporalAddress = process.env.TEST_TEMPORAL_ADDRESS;
  if (!temporalAddress) {
    const cli = findTemporalCli(process.env.TEMPORAL_CLI_PATH);
    if (!cli)
      throw new Error('No Temporal CLI: run `npm run tools:install` (needs Go) or set TEMPORAL_CLI_PATH');
    const temporal: RunningTemporal = await startDevServer({
      cliPath: cli,
      port: await freePort(),
      namespace: 'default',
    });
    cleanups.push(() => temporal.stop());
    temporalAddress = temporal.address;
  }
  const testServerPath = findTestServer();
  if (!testServerPath)
    throw new Error('No Temporal test server: run `npm run tools:install` (needs Java and Maven)');

  // One workflow bundle for the whole run: every worker in the suite loads the same code.
  const bundleDir = mkdtempSync(join(tmpdir(), 'denial-desk-bundle-'));
  const bundlePath = join(bundleDir, 'workflows.js');
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger });
  writeFileSync(bundlePath, code);
  cleanups.push(async () => rmSync(bundleDir, { recursive: true, force: true }));

  project.provide('workflowBundlePath', bundlePath);
  project.provide('pgAdminUrl', pgAdminUrl);
  project.provide('pgTemplate', template);
  project.provide('temporalAddress', temporalAddress);
  project.provide('testServerPath', testServerPath);
  return async () => {
    for (const c of cleanups.reverse()) await c();
  };
}
