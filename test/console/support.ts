/**
 * The console's browser tests: the real stack as separate processes (payer-sim, worker, API serving
 * the built console), Debian's Chromium driven by playwright-core (never a downloaded browser), and
 * axe-core injected into each page.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { seedDemoKeys } from '../../db/seed.js';
import { seedDemoUsers } from '../../db/seed-users.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { freePort } from '../support/ports.js';
import { claimBody, eventually } from '../support/stack.js';

const require = createRequire(import.meta.url);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Debian's Chromium (installed by apt; .ci/run installs it when missing). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface ConsoleStack {
  url: string;
  tdb: TestDatabase;
  browser: Browser;
  /** POSTs as the integration key (test setup: what a practice-management system would send). */
  integration(path: string, body: unknown, contentType?: string): Promise<Response>;
  /** Submits a claim whose member id steers payer-sim; returns its uuid once it reached `status`. */
  claim(
    memberId: string,
    overrides?: Record<string, unknown>,
    status?: string,
  ): Promise<{ id: string; claimId: string }>;
  stop(): Promise<void>;
}

/** Builds web/ into web/dist (vite's own build API), so the test serves the console of this checkout. */
async function buildConsole(): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: `${ROOT}web/vite.config.ts`, logLevel: 'warn' });
  if (!existsSync(`${ROOT}web/dist/index.html`)) throw new Error('the console build wrote no index.html');
}

export async function startConsoleStack(): Promise<ConsoleStack> {
  const procs: ChildProcess[] = [];
  const tdb = await createTestDatabase();
  await seedDemoKeys(tdb.db);
  await seedDemoUsers(tdb.db);
  await buildConsole();
  const [simPort, apiPort] = [await freePort(), await freePort()];
  const common = {
    DATABASE_URL: tdb.url,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: `console-${Date.now()}`,
    PAYER_API_URL: `http://127.0.0.1:${simPort}`,
  };
  const start = (entry: string, env: Record<string, string>) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn', PAYER_SIM_LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    procs.push(child);
  };
  start('payer-sim/main.ts', { PAYER_SIM_PORT: String(simPort), PAYER_SIM_ADJUDICATION_DELAY_MS: '0' });
  start('worker/main.ts', { ...common, ERA_POLL_INTERVAL_SECONDS: '2' });
  start('api/main.ts', { ...common, API_PORT: String(apiPort), API_RATE_LIMIT_PER_MINUTE: '100000' });
  const url = `http://127.0.0.1:${apiPort}`;
  await eventually(
    async () => ((await fetch(`${url}/readyz`).catch(() => undefined))?.ok ? true : undefined),
    'API ready',
    120_000,
  );
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  const integration = (path: string, body: unknown, contentType = 'application/json') =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': contentType, authorization: 'Bearer demo-integration-key' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  return {
    url,
    tdb,
    browser,
    integration,
    async claim(memberId, overrides = {}, status = 'NEEDS_REVIEW') {
      const body = claimBody(overrides);
      body.patient.memberId = memberId;
      const res = await integration('/claims', body);
      if (res.status !== 201) throw new Error(`POST /claims answered ${res.status}: ${await res.text()}`);
      const { id } = (await res.json()) as { id: string };
      await eventually(
        async () => {
          const row = await tdb.db
            .selectFrom('claims')
            .select('status')
            .where('id', '=', id)
            .executeTakeFirst();
          return row?.status === status ? true : undefined;
        },
        `claim ${body.claimId} to reach ${status}`,
        90_000,
      );
      return { id, claimId: body.claimId };
    },
    async stop() {
      await browser?.close().catch(() => {});
      for (const p of procs) p.kill('SIGTERM');
      await Promise.all(
        procs.map((p) => new Promise((r) => (p.exitCode !== null ? r(null) : p.once('exit', r)))),
      );
      await tdb.drop();
    },
  };
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Serious and critical axe-core violations on the page as it is now ("rule: target" lines). */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  // A string expression: this runs in the page, where axe is now a global.
  const violations = (await page.evaluate(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) })))`,
  )) as { id: string; impact: string | null; targets: string[] }[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.targets.slice(0, 3).join(', ')}`);
}

/** Signs in through the form; `totp` fills the authentication code. */
export async function signIn(page: Page, url: string, email: string, password: string, totp?: string) {
  await page.goto(url);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  if (totp) await page.getByLabel('Authentication code').fill(totp);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out', exact: true }).waitFor();
}
