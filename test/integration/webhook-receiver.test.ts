/**
 * A practice's webhook receiver, written as a practice would write it: it verifies every delivery with
 * the `standardwebhooks` package (signature and timestamp tolerance) and remembers the ids it has
 * processed. It accepts our deliveries, refuses a captured delivery sent again (same id), a stale one
 * (old timestamp) and a tampered body; a failed delivery is sent again by the redelivery job with the
 * same id, so the receiver processes it exactly once.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { pino } from 'pino';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotificationActivities, webhookHeaders } from '../../activities/notifications.js';
import { insertClaim } from '../../db/claims.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

const secret = `whsec_${randomBytes(24).toString('base64')}`;
let tdb: TestDatabase;
let server: Server;
let url: string;
let down = false;
let claimUuid: string;
const processed: string[] = [];
const captured: { headers: IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  const verifier = new Webhook(secret);
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      captured.push({ headers: req.headers, body });
      if (down) return res.writeHead(503).end();
      try {
        verifier.verify(body, req.headers as Record<string, string>);
      } catch {
        return res.writeHead(401).end();
      }
      const id = String(req.headers['webhook-id']);
      if (processed.includes(id)) return res.writeHead(409).end();
      processed.push(id);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hooks`;
  tdb = await createTestDatabase();
  await tdb.db
    .updateTable('practices')
    .set({ webhook_url: url, webhook_secret: secret })
    .where('id', '=', 'sunrise-fp')
    .execute();
  const { claim } = await insertClaim(tdb.db, {
    practiceId: 'sunrise-fp',
    claimId: 'HOOK1',
    patient: { externalId: 'HP1', firstName: 'A', lastName: 'B', birthDate: '1970-01-01', memberId: 'M' },
    payerId: 'ACME-HEALTH',
    billingProviderNpi: '1234567893',
    dateOfService: '2026-11-01',
    diagnosisCodes: ['E11.9'],
    lines: [
      {
        procedureCode: '99213',
        modifiers: [],
        units: 1,
        chargeCents: 1,
        serviceDate: '2026-11-01',
        diagnosisPointers: [1],
      },
    ],
    workflowId: 'claim-sunrise-fp-HOOK1',
  });
  claimUuid = claim.id;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await tdb?.drop();
});

const activities = () =>
  createNotificationActivities({
    db: tdb.db,
    payer: undefined as never,
    temporal: undefined as never,
    taskQueue: 'unused',
    log: pino({ level: 'silent' }),
    webhookTimeoutMs: 3_000,
  });

const resend = (c: { headers: IncomingHttpHeaders; body: string }, override: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': String(c.headers['webhook-id']),
      'webhook-timestamp': String(c.headers['webhook-timestamp']),
      'webhook-signature': String(c.headers['webhook-signature']),
      ...override,
    },
    body: override.body ?? c.body,
  });

describe('Standard Webhooks deliveries', () => {
  it('the receiver verifies our signature, and refuses a replayed, stale or tampered delivery', async () => {
    const { notify } = activities();
    const sent = await notify({
      dedupeKey: 'hook-1',
      practiceId: 'sunrise-fp',
      claimUuid,
      channel: 'practice',
      kind: 'CLAIM_PAID',
      payload: { claimId: 'C-1' },
    });
    expect(sent.delivered).toBe(true);
    expect(processed).toEqual([sent.notificationId]);
    const delivery = captured.at(-1)!;
    expect(delivery.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);

    // The same request captured and sent again: the signature is valid, the id has been seen.
    expect((await resend(delivery)).status).toBe(409);
    // A delivery signed ten minutes ago (a captured message replayed later): outside the tolerance.
    const stale = webhookHeaders(secret, 'msg-old', delivery.body, Date.now() - 10 * 60_000);
    expect((await resend({ headers: stale, body: delivery.body })).status).toBe(401);
    // A changed body under the captured signature.
    expect((await resend(delivery, { 'webhook-id': 'other-id', body: `${delivery.body} ` })).status).toBe(
      401,
    );
    expect(processed).toEqual([sent.notificationId]);
  });

  it('a failed delivery is sent again by the redelivery job, with the same id, and processed once', async () => {
    const { notify, redeliverFailedNotifications } = activities();
    down = true;
    await expect(
      notify({
        dedupeKey: 'hook-2',
        practiceId: 'sunrise-fp',
        claimUuid,
        channel: 'practice',
        kind: 'ESCALATION',
        payload: { reason: 'appeal deadline' },
      }),
    ).rejects.toThrow(/webhook delivery failed/);
    const row = await tdb.db
      .selectFrom('notifications')
      .selectAll()
      .where('dedupe_key', '=', 'hook-2')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'FAILED', attempts: 1 });
    // Within the grace period the notify activity's own retries own the row.
    expect(await redeliverFailedNotifications({})).toEqual({ attempted: 0, delivered: 0, failed: 0 });
    down = false;
    expect(await redeliverFailedNotifications({ graceMs: 0 })).toEqual({
      attempted: 1,
      delivered: 1,
      failed: 0,
    });
    expect(processed.at(-1)).toBe(row.id);
    const after = await tdb.db
      .selectFrom('notifications')
      .select(['status', 'attempts'])
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(after).toEqual({ status: 'DELIVERED', attempts: 2 });
    // Delivered rows are never picked again.
    expect(await redeliverFailedNotifications({ graceMs: 0 })).toEqual({
      attempted: 0,
      delivered: 0,
      failed: 0,
    });
  });
});
