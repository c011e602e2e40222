/**
 * The lifecycle paths for real: Temporal dev server, Postgres, payer-sim over HTTP, decisions through the
 * API. Each test checks the Postgres rows the paths leave behind (claims, claim_events, appeals,
 * patient_payments, notifications), and that payer faults are ridden out without double submission.
 */
import { createServer, type Server } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Stack, startStack } from '../support/stack.js';

let stack: Stack;
let webhook: Server;
const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];

beforeAll(async () => {
  webhook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => webhook.listen(0, '127.0.0.1', r));
  const port = (webhook.address() as { port: number }).port;
  stack = await startStack({ webhookUrl: `http://127.0.0.1:${port}/hooks` });
});
afterAll(async () => {
  await stack?.stop();
  await new Promise((r) => webhook.close(r));
});

function decide(id: string, path: string, payload: unknown, role: 'biller' | 'supervisor' = 'biller') {
  return stack.app.inject({
    method: 'POST',
    url: `/claims/${id}/${path}`,
    headers: stack.auth(role),
    payload: payload as object,
  });
}

describe('claim lifecycle for real', () => {
  it('CO-16 denial -> corrected claim (frequency 7) -> paid, with every decision in claim_events', async () => {
    const { claim } = await stack.submitClaim('INFO16-100');
    await stack.waitForStatus(claim.id, 'AWAITING_ADJUDICATION');
    await stack.pullEras({ appeals: true });
    const review = await stack.waitForStatus(claim.id, 'NEEDS_REVIEW');
    expect(review).toMatchObject({
      denial_category: 'MISSING_INFORMATION',
      recommended_action: 'READ_REMARK_AND_RESUBMIT',
    });
    expect(review.next_deadline).not.toBeNull();
    // The work queue computes the priority at read time; the workflow no longer ships its own number.
    const worklist = await stack.app.inject({
      method: 'GET',
      url: '/worklist',
      headers: stack.auth('biller'),
    });
    expect(worklist.statusCode, worklist.body).toBe(200);
    const queued = (worklist.json() as { items: { id: string; livePriority: number }[] }).items;
    expect(queued.find((c) => c.id === claim.id)?.livePriority).toBeGreaterThan(0);

    // The payer's edit keys on the member id: correcting it (and adding a modifier) clears the denial.
    const res = await decide(claim.id, 'resubmit-corrected', {
      reason: 'add the missing modifier',
      changes: { 'lines.1.modifiers': ['25'], memberId: 'PAID-100' },
    });
    expect(res.statusCode).toBe(200);
    expect((res.json() as { state: { status: string } }).state.status).toBe('AWAITING_ADJUDICATION');
    const lines = await stack.db
      .selectFrom('claim_lines')
      .selectAll()
      .where('claim_id', '=', claim.id)
      .orderBy('line_number')
      .execute();
    expect(lines[0]!.modifiers).toEqual(['25']);
    // payer-sim pays the replacement (INFO16 denies only the original).
    await stack.pullEras({ appeals: true });
    await stack.pullEras({ appeals: true });
    const paid = await stack.waitForStatus(claim.id, 'PAID');
    expect(paid.frequency_code).toBe('7');
    const events = await stack.db
      .selectFrom('claim_events')
      .selectAll()
      .where('claim_id', '=', claim.id)
      .orderBy('id')
      .execute();
    const corrected = events.find((e) => e.to_status === 'RESUBMITTED')!;
    expect(corrected).toMatchObject({
      actor: 'demo-biller',
      from_status: 'NEEDS_REVIEW',
      reason: 'add the missing modifier',
    });
    expect(corrected.request_id).toBeTruthy();
    expect(corrected.data).toMatchObject({
      changes: { 'lines.1.modifiers': { from: [], to: ['25'] } },
      frequencyCode: '7',
    });
    expect(events.map((e) => e.kind)).toContain('REMITTANCE_REVERSED');
    expect(events.filter((e) => e.kind === 'STATUS_CHANGED').map((e) => e.to_status)).toEqual([
      'AWAITING_ADJUDICATION',
      // INFO16 denies the first line and pays the second: a partial denial.
      'PARTIAL',
      'NEEDS_REVIEW',
      'RESUBMITTED',
      'AWAITING_ADJUDICATION',
      'PAID',
    ]);
  });

  it('authorization denial -> appeal filed through the API -> payer overturns -> paid; the appeal row records it', async () => {
    const { claim } = await stack.submitClaim('AUTH197-200');
    await stack.waitForStatus(claim.id, 'AWAITING_ADJUDICATION');
    await stack.pullEras({ appeals: true });
    await stack.waitForStatus(claim.id, 'NEEDS_REVIEW');
    const refused = await decide(claim.id, 'write-off', {});
    expect(refused.statusCode).toBe(400);
    const filed = await decide(claim.id, 'appeals', {
      grounds: 'authorization AUTH-5531 was on file',
      attachments: ['auth-letter.pdf'],
    });
    expect(filed.json()).toMatchObject({ state: { status: 'APPEALING' } });
    await stack.waitForStatus(claim.id, 'APPEALING');
    const appeal = await stack.db
      .selectFrom('appeals')
      .selectAll()
      .where('claim_id', '=', claim.id)
      .executeTakeFirstOrThrow();
    expect(appeal).toMatchObject({ level: 1, status: 'pending', filed_by: 'demo-biller' });
    expect(appeal.payer_appeal_id).toBeTruthy();
    // A second appeal while one is pending is refused by the workflow: 409 with its reason.
    const again = await decide(claim.id, 'appeals', { grounds: 'again', attachments: [] });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ status: 409, detail: expect.stringContaining('NEEDS_REVIEW') });
    // The decision letter arrives first; the biller records it.
    const decision = await decide(
      claim.id,
      'appeal-decision',
      { outcome: 'overturned', reason: 'auth verified' },
      'supervisor',
    );
    expect(decision.statusCode).toBe(200);
    await stack.waitForStatus(claim.id, 'AWAITING_PAYMENT');
    expect(
      (
        await stack.db
          .selectFrom('appeals')
          .select('status')
          .where('claim_id', '=', claim.id)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe('overturned');
    await stack.pullEras({ appeals: true });
    await stack.pullEras({ appeals: true });
    const paid = await stack.waitForStatus(claim.id, 'PAID');
    expect(paid.paid_cents).toBeGreaterThan(0);
  });

  it('patient responsibility -> statement -> patient payment through the API closes the claim; the payment posts once', async () => {
    const { claim } = await stack.submitClaim('COINS-300');
    await stack.waitForStatus(claim.id, 'AWAITING_ADJUDICATION');
    await stack.pullEras({ appeals: true });
    const owed = await stack.waitForStatus(claim.id, 'PATIENT_BALANCE');
    expect(owed.patient_responsibility_cents).toBeGreaterThan(0);
    await eventually(async () => {
      const s = await stack.db
        .selectFrom('patient_statements')
        .selectAll()
        .where('claim_id', '=', claim.id)
        .execute();
      return s.length === 1 ? s : undefined;
    }, 'first statement');
    const payment = {
      reference: 'card-7781',
      amountCents: owed.patient_responsibility_cents,
      method: 'card',
    };
    for (let i = 0; i < 2; i++) {
      const res = await decide(claim.id, 'patient-payments', payment);
      expect(res.statusCode).toBe(202);
    }
    const paid = await stack.waitForStatus(claim.id, 'PAID');
    expect(paid.patient_paid_cents).toBe(owed.patient_responsibility_cents);
    expect(paid.open_balance_cents).toBe(0);
    const payments = await stack.db
      .selectFrom('patient_payments')
      .selectAll()
      .where('claim_id', '=', claim.id)
      .execute();
    expect(payments).toHaveLength(1);
  });

  it('a denial escalation notifies the supervisor webhook with an HMAC-SHA256 signature over the body', async () => {
    const { claim } = await stack.submitClaim('DENY50-400');
    await stack.waitForStatus(claim.id, 'AWAITING_ADJUDICATION');
    await stack.pullEras({ appeals: true });
    await stack.waitForStatus(claim.id, 'NEEDS_REVIEW');
    // Appeal, then the payer upholds at level 1 with no time left: the supervisor hears of a missed deadline
    // only through time, so here the path checks the reminder/escalation channel directly via a note.
    const note = await decide(claim.id, 'notes', { text: 'called the payer, records requested' });
    expect(note.statusCode).toBe(200);
    const { notify } = await import('../../activities/index.js').then((m) =>
      m.createActivities({
        db: stack.db,
        payer: undefined as never,
        temporal: stack.client,
        taskQueue: stack.taskQueue,
        log: { info() {}, warn() {}, error() {} } as never,
      }),
    );
    const result = await notify({
      dedupeKey: `${claim.id}:test-escalation`,
      practiceId: 'sunrise-fp',
      claimUuid: claim.id,
      channel: 'supervisor',
      kind: 'ESCALATION',
      payload: { reason: 'appeal deadline in 1 day' },
    });
    expect(result.delivered).toBe(true);
    const hook = received.find((r) => r.headers['webhook-id'] === result.notificationId)!;
    // Standard Webhooks: verified as any receiver would, with the official package.
    new Webhook('test-secret', { format: 'raw' }).verify(hook.body, hook.headers as Record<string, string>);
    expect(JSON.parse(hook.body)).toMatchObject({
      kind: 'ESCALATION',
      channel: 'supervisor',
      payload: { reason: 'appeal deadline in 1 day' },
    });
    // Delivered once: a retried activity does not post it again.
    await notify({
      dedupeKey: `${claim.id}:test-escalation`,
      practiceId: 'sunrise-fp',
      claimUuid: claim.id,
      channel: 'supervisor',
      kind: 'ESCALATION',
      payload: {},
    });
    expect(received.filter((r) => r.headers['webhook-id'] === result.notificationId)).toHaveLength(1);
    const outbox = await stack.db
      .selectFrom('notifications')
      .selectAll()
      .where('id', '=', result.notificationId)
      .executeTakeFirstOrThrow();
    expect(outbox).toMatchObject({ status: 'DELIVERED', attempts: 1 });
  });

  it('payer faults are ridden out: 500s after processing, 429s and an outage; no claim is submitted twice and all are paid afterwards', async () => {
    await stack.simConfig({
      failAfterProcessingRate: 0.3,
      rateLimit: { limit: 5, windowMs: 1000 },
      outageForMs: 2000,
    });
    try {
      const claims = [];
      for (let i = 0; i < 4; i++) claims.push(await stack.submitClaim(`PAID-50${i}`));
      for (const c of claims) {
        await eventually(
          async () =>
            (await stack.claimRow(c.claim.id)).status === 'AWAITING_ADJUDICATION' ? true : undefined,
          'acceptance',
          // The payer activity backs off exponentially (2 s, 4 s, 8 s...): a run of failed attempts on a
          // loaded machine can take minutes; riding it out is what is tested, not how fast.
          240_000,
        );
      }
      for (const c of claims) {
        const sim = (await (await fetch(`${stack.simUrl}/sim/claims/${c.body.claimId}`)).json()) as {
          submissions: number;
        };
        expect(sim.submissions).toBe(1);
      }
      // Once the payer is healthy again the claims complete.
      await stack.simConfig({ failAfterProcessingRate: 0, rateLimit: null, outage: null });
      await stack.pullEras();
      for (const c of claims) await stack.waitForStatus(c.claim.id, 'PAID');
    } finally {
      await stack.simConfig({ failAfterProcessingRate: 0, rateLimit: null, outage: null });
    }
  }, 420_000);
});
