/**
 * Requests never hang on Temporal: a decision the workflow accepted but cannot finish yet (the payer is
 * down while an appeal is filed) answers 202, and its retry with the same Idempotency-Key joins the same
 * update instead of applying it twice; an ERA whose posting takes longer than the wait answers 202 too.
 */
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../api/app.js';
import { eventually, type Stack, startStack } from '../support/stack.js';
import { adjudicatedClaims, type ClaimJson } from './support.js';

let stack: Stack;
let impatient: App;

beforeAll(async () => {
  stack = await startStack();
  impatient = await buildApp({
    db: stack.db,
    temporal: stack.client,
    log: pino({ level: 'silent' }),
    config: {
      temporal: {
        address: 'unused',
        namespace: 'default',
        taskQueue: stack.taskQueue,
        uiUrl: 'http://ui.test',
        cliPath: undefined,
      },
      api: { host: '127.0.0.1', port: 0, rateLimitPerMinute: 10_000, bodyLimitBytes: 1024 * 1024 },
    },
    waits: { decisionMs: 1_500, eraIngestMs: 0 },
  });
  await impatient.ready();
});

afterAll(async () => {
  await impatient?.close();
  await stack?.stop();
});

describe('bounded waits on Temporal', () => {
  it('an appeal filed while the payer is down answers 202; the retry with the same key joins that update', async () => {
    const [claim] = (await adjudicatedClaims(stack, ['DENY50-5001'])) as [ClaimJson];
    const request = {
      method: 'POST' as const,
      url: `/claims/${claim.id}/appeals`,
      payload: { grounds: 'records attached', attachments: ['op.pdf'] },
      headers: { ...stack.auth('biller'), 'idempotency-key': 'appeal-during-outage' },
    };
    await stack.simConfig({ errorRate: 1 });
    let pending: Awaited<ReturnType<App['inject']>>;
    try {
      pending = await impatient.inject(request);
    } finally {
      await stack.simConfig({ errorRate: 0 });
    }
    expect(pending.statusCode, pending.body).toBe(202);
    expect(pending.json()).toMatchObject({ accepted: true, claim: { id: claim.id } });
    // "Still running" is not stored under the key: the retry reaches the update itself.
    expect(
      await stack.db
        .selectFrom('idempotency_keys')
        .selectAll()
        .where('key', '=', 'appeal-during-outage')
        .execute(),
    ).toHaveLength(0);
    const done = await stack.app.inject(request);
    expect(done.statusCode, done.body).toBe(200);
    expect((done.json() as { state: { status: string; appeals: unknown[] } }).state).toMatchObject({
      status: 'APPEALING',
    });
    expect((done.json() as { state: { appeals: unknown[] } }).state.appeals).toHaveLength(1);
    const filed = await stack.db
      .selectFrom('claim_events')
      .select('id')
      .where('claim_id', '=', claim.id)
      .where('to_status', '=', 'APPEALING')
      .where('kind', '=', 'STATUS_CHANGED')
      .execute();
    expect(filed).toHaveLength(1);
  });

  it('an ERA whose posting outlasts the wait answers 202 with its workflow; posting still completes', async () => {
    const raw = readFileSync(new URL('../fixtures/x12/835-minimal.edi', import.meta.url), 'utf8')
      .replaceAll('CHK10001', 'CHK-SLOW-1')
      .replaceAll('PCN0001', 'SLOW-PCN-1');
    const res = await impatient.inject({
      method: 'POST',
      url: '/remittances',
      payload: raw,
      headers: { ...stack.auth('integration'), 'content-type': 'text/plain' },
    });
    expect(res.statusCode, res.body).toBe(202);
    expect((res.json() as { workflowId: string }).workflowId).toMatch(/^era-/);
    await eventually(async () => {
      const rows = await stack.db
        .selectFrom('unmatched_claim_payments')
        .select('id')
        .where('patient_control_number', '=', 'SLOW-PCN-1')
        .execute();
      return rows.length === 1 ? rows : undefined;
    }, 'the posting to finish');
  });
});
