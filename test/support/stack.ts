/**
 * A whole stack for integration tests, all real: a fresh Postgres database, the shared Temporal dev
 * server, payer-sim listening on a loopback port, the claims worker with the real activities (HTTP to
 * payer-sim), and the API app (used through `inject`, or listening when a test needs real HTTP).
 */

import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { pino } from 'pino';
import { inject } from 'vitest';
import { createHttpPayerGateway } from '../../activities/payer/http-gateway.js';
import { type App, buildApp } from '../../api/app.js';
import type { PayloadKeyring } from '../../config/index.js';
import type { Db } from '../../db/pool.js';
import type { ClaimRow } from '../../db/schema.js';
import { DEMO_KEYS, seedDemoKeys } from '../../db/seed.js';
import { LocalAttachmentStore } from '../../documents/attachments/local-store.js';
import { buildPayerSim } from '../../payer-sim/app.js';
import type { PayerSimOptions } from '../../payer-sim/config.js';
import { createDataConverter } from '../../temporal/codec.js';
import { connectClient, connectionOptions, createTemporalClient } from '../../temporal/connection.js';
import { installRuntime } from '../../worker/runtime.js';
import { createClaimsWorker } from '../../worker/worker.js';
import { createTestDatabase } from './db.js';
import { TEST_KEYRING } from './keys.js';

export interface Stack {
  db: Db;
  dbUrl: string;
  app: App;
  client: Client;
  /** The client connection (no codec of its own): read raw histories through it. */
  connection: Connection;
  /**
   * Replaces the worker, client and app with ones using `keyring` (a key rotation: the workflows keep
   * running on the server, the new worker picks them up).
   */
  useKeyring(keyring: PayloadKeyring): Promise<void>;
  taskQueue: string;
  simUrl: string;
  sim: ReturnType<typeof buildPayerSim>;
  keys: typeof DEMO_KEYS;
  /** Authorization header for a demo role. */
  auth(role: keyof typeof DEMO_KEYS): { authorization: string };
  /** Submits a claim through the API (as the integration key); the member id steers payer-sim. */
  submitClaim(
    memberId: string,
    overrides?: Record<string, unknown>,
  ): Promise<{ body: ReturnType<typeof claimBody>; claim: { id: string; workflowId: string } }>;
  claimRow(id: string): Promise<ClaimRow>;
  /** Waits until the claims row shows `status` (DENIED and PARTIAL pass quickly on to NEEDS_REVIEW). */
  waitForStatus(id: string, status: string): Promise<ClaimRow>;
  /** Makes payer-sim run a cycle now, then runs one ERA pull workflow (what the hourly schedule does). */
  pullEras(opts?: { appeals?: boolean }): Promise<void>;
  /** Changes payer-sim's runtime controls (faults, delays) through its HTTP control API. */
  simConfig(update: Record<string, unknown>): Promise<void>;
  stop(): Promise<void>;
}

const silent = pino({ level: 'silent' });

export async function startStack(
  opts: { payerSim?: PayerSimOptions; webhookUrl?: string; keyring?: PayloadKeyring } = {},
): Promise<Stack> {
  const keyring = opts.keyring ?? TEST_KEYRING;
  installRuntime(pino({ level: 'warn' }));
  const tdb = await createTestDatabase();
  await seedDemoKeys(tdb.db);
  if (opts.webhookUrl) {
    await tdb.db
      .updateTable('practices')
      .set({ webhook_url: opts.webhookUrl, webhook_secret: 'test-secret' })
      .execute();
  }
  const sim = buildPayerSim(
    {
      tickMs: 100,
      ...opts.payerSim,
      controls: { adjudicationDelayMs: 0, appealDecisionDelayMs: 0, ...opts.payerSim?.controls },
    },
    silent,
  );
  const simUrl = await sim.listen({ port: 0, host: '127.0.0.1' });
  const address = inject('temporalAddress');
  const connection = await connectClient({ address });
  const nativeConnection = await NativeConnection.connect(connectionOptions({ address }));
  const taskQueue = `it-${randomUUID()}`;
  // The client, worker and app of one payload keyring; `useKeyring` replaces all three (key rotation).
  // A real attachment store on a temporary directory, shared by the worker and the API as in production.
  const attachmentsDir = mkdtempSync(join(tmpdir(), 'stack-attachments-'));
  const store = new LocalAttachmentStore(attachmentsDir);
  const boot = async (ring: PayloadKeyring) => {
    const client = createTemporalClient(connection, 'default', ring);
    const worker: Worker = await createClaimsWorker({
      connection: nativeConnection,
      namespace: 'default',
      taskQueue,
      db: tdb.db,
      payer: createHttpPayerGateway({ baseUrl: simUrl, apiKey: 'sim-key', timeoutMs: 3_000 }),
      client,
      log: silent,
      workflowBundle: { codePath: inject('workflowBundlePath') },
      dataConverter: createDataConverter(ring),
      store,
    });
    const running = worker.run();
    const app = await buildApp({
      db: tdb.db,
      temporal: client,
      log: silent,
      payloadKeys: ring,
      config: {
        temporal: {
          address,
          namespace: 'default',
          taskQueue,
          uiUrl: 'http://localhost:8233',
          cliPath: undefined,
        },
        api: { host: '127.0.0.1', port: 0, rateLimitPerMinute: 10_000, bodyLimitBytes: 5 * 1024 * 1024 },
      },
      documents: { store, maxUploadBytes: 2 * 1024 * 1024 },
    });
    await app.ready();
    return {
      client,
      app,
      async stop() {
        await app.close();
        worker.shutdown();
        await running;
      },
    };
  };
  let cur = await boot(keyring);
  const claimRow = (id: string) =>
    tdb.db.selectFrom('claims').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return {
    db: tdb.db,
    dbUrl: tdb.url,
    async submitClaim(memberId, overrides = {}) {
      const body = claimBody(overrides);
      body.patient.memberId = memberId;
      const res = await cur.app.inject({
        method: 'POST',
        url: '/claims',
        headers: { authorization: `Bearer ${DEMO_KEYS.integration}` },
        payload: body,
      });
      if (res.statusCode !== 201) throw new Error(`POST /claims answered ${res.statusCode}: ${res.body}`);
      return { body, claim: res.json() as { id: string; workflowId: string } };
    },
    claimRow,
    waitForStatus: (id, status) =>
      eventually(async () => {
        const r = await claimRow(id);
        return r.status === status ? r : undefined;
      }, `claim ${id} to reach ${status}`),
    async pullEras(opts = {}) {
      await fetch(`${simUrl}/sim/adjudicate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(opts.appeals ? { appeals: true } : {}),
      });
      await cur.client.workflow.execute('eraPollWorkflow', {
        taskQueue,
        workflowId: `poll-${randomUUID()}`,
        args: [],
      });
    },
    get app() {
      return cur.app;
    },
    get client() {
      return cur.client;
    },
    connection,
    async useKeyring(ring) {
      await cur.stop();
      cur = await boot(ring);
    },
    taskQueue,
    simUrl,
    sim,
    keys: DEMO_KEYS,
    auth: (role) => ({ authorization: `Bearer ${DEMO_KEYS[role]}` }),
    async simConfig(update) {
      const res = await fetch(`${simUrl}/sim/config`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(update),
      });
      if (!res.ok) throw new Error(`payer-sim config refused: ${res.status} ${await res.text()}`);
    },
    async stop() {
      await cur.stop();
      await sim.close();
      rmSync(attachmentsDir, { recursive: true, force: true });
      await nativeConnection.close();
      await connection.close();
      await tdb.drop();
    },
  };
}

let claimSeq = 0;

/** A valid claim body for POST /claims; `overrides` replace top-level fields. */
export function claimBody(overrides: Record<string, unknown> = {}) {
  claimSeq += 1;
  const claimId = `T${Date.now().toString(36).toUpperCase()}${claimSeq}`;
  return {
    practiceId: 'sunrise-fp',
    claimId,
    payerId: 'ACME-HEALTH',
    billingProviderNpi: '1234567893',
    dateOfService: new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10),
    patient: {
      externalId: `P-${claimId}`,
      firstName: 'Ada',
      lastName: 'Lovelace',
      birthDate: '1980-04-02',
      memberId: 'ACM123456789',
    },
    diagnosisCodes: ['E11.9'],
    lines: [
      { procedureCode: '99213', modifiers: [], units: 1, chargeCents: 15_000, diagnosisPointers: [1] },
      { procedureCode: '36415', modifiers: [], units: 1, chargeCents: 5_000, diagnosisPointers: [1] },
    ],
    ...overrides,
  };
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}
