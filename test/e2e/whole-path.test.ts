/**
 * The whole path with every part real and in its own process: payer-sim, the worker and the API are
 * started as the production entry points (tsx), talking HTTP and gRPC to each other, to Postgres and to
 * the Temporal dev server. A claim posted over HTTP is submitted, adjudicated by payer-sim, its ERA is
 * pulled by the Temporal Schedule, posted, signalled, and the claim ends PAID.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import type { Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seedDemoKeys } from '../../db/seed.js';
import { connectClient, createTemporalClient } from '../../temporal/connection.js';
import { ClaimStatusKey, OpenBalanceCentsKey } from '../../workflows/search-attributes.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { keyringEnv, TEST_KEYRING } from '../support/keys.js';
import { freePort } from '../support/ports.js';
import { claimBody, eventually } from '../support/stack.js';

const procs: ChildProcess[] = [];
let tdb: TestDatabase;
let apiUrl: string;
let temporal: Connection;

function start(entry: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: {
      ...process.env,
      LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
      PAYER_SIM_LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  procs.push(child);
  return child;
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  await seedDemoKeys(tdb.db);
  const [simPort, apiPort] = [await freePort(), await freePort()];
  const taskQueue = `e2e-${Date.now()}`;
  const common = {
    DATABASE_URL: tdb.url,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: taskQueue,
    PAYER_API_URL: `http://127.0.0.1:${simPort}`,
    ...keyringEnv(TEST_KEYRING),
  };
  start('payer-sim/main.ts', { PAYER_SIM_PORT: String(simPort), PAYER_SIM_ADJUDICATION_DELAY_MS: '0' });
  start('worker/main.ts', { ...common, ERA_POLL_INTERVAL_SECONDS: '2' });
  start('api/main.ts', { ...common, API_PORT: String(apiPort) });
  apiUrl = `http://127.0.0.1:${apiPort}`;
  await eventually(
    async () => ((await fetch(`${apiUrl}/readyz`).catch(() => undefined))?.ok ? true : undefined),
    'API ready',
    90_000,
  );
  temporal = await connectClient({ address: inject('temporalAddress') });
}, 120_000);

afterAll(async () => {
  for (const p of procs) p.kill('SIGTERM');
  await Promise.all(
    procs.map((p) => new Promise((r) => (p.exitCode !== null ? r(null) : p.once('exit', r)))),
  );
  await temporal?.close();
  await tdb?.drop();
});

describe('whole path over real processes', () => {
  it('a claim posted over HTTP is submitted, adjudicated, its ERA pulled and posted, and it ends PAID', async () => {
    const body = claimBody();
    body.patient.memberId = 'PAID-778899';
    const res = await fetch(`${apiUrl}/claims`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer demo-integration-key' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; workflowId: string };
    expect(created.workflowId).toBe(`claim-sunrise-fp-${body.claimId}`);

    const claim = await eventually(
      async () => {
        const r = await fetch(`${apiUrl}/claims/${created.id}`, {
          headers: { authorization: 'Bearer demo-biller-key' },
        });
        const json = (await r.json()) as { status: string; paidCents: number; openBalanceCents: number };
        return json.status === 'PAID' ? json : undefined;
      },
      'the claim to be PAID',
      60_000,
    );
    expect(claim.openBalanceCents).toBe(0);
    expect(claim.paidCents).toBeGreaterThan(0);

    const events = await tdb.db
      .selectFrom('claim_events')
      .select(['kind', 'from_status', 'to_status'])
      .where('claim_id', '=', created.id)
      .orderBy('id')
      .execute();
    const transitions = events
      .filter((e) => e.kind === 'STATUS_CHANGED')
      .map((e) => `${e.from_status}->${e.to_status}`);
    expect(transitions).toEqual(['SUBMITTING->AWAITING_ADJUDICATION', 'AWAITING_ADJUDICATION->PAID']);
    expect(events.some((e) => e.kind === 'REMITTANCE_POSTED')).toBe(true);

    const payments = await tdb.db
      .selectFrom('claim_payments')
      .selectAll()
      .where('claim_id', '=', created.id)
      .execute();
    expect(payments).toHaveLength(1);
    expect(payments[0]!.paid_cents).toBe(claim.paidCents);

    const client = createTemporalClient(temporal, 'default', TEST_KEYRING);
    const desc = await client.workflow.getHandle(created.workflowId).describe();
    expect(desc.status.name).toBe('COMPLETED');
    expect(desc.typedSearchAttributes.get(ClaimStatusKey)).toBe('PAID');
    expect(desc.typedSearchAttributes.get(OpenBalanceCentsKey)).toBe(0);
  });
});
