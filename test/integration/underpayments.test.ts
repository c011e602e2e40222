/**
 * Underpayments against contracted rates on the real stack: a fee schedule uploaded through the API,
 * payer-sim told to underpay, the 835 pulled and posted by the worker, the claim workflow holding the
 * claim in review, and the payer's reprocessing closing it (docs/fee-schedules.md).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Stack, startStack } from '../support/stack.js';

let stack: Stack;

const SCHEDULE = [
  'procedure_code,modifier,plan_id,allowed,effective_from,effective_to,multiple_procedure_reducible',
  '99213,,,120.00,2020-01-01,,N',
  '36415,,,40.00,2020-01-01,,N',
].join('\n');

beforeAll(async () => {
  stack = await startStack({
    payerSim: {
      // 80% of the charge is exactly the contracted rate of both lines (150.00 -> 120.00, 50.00 -> 40.00).
      scenarios: [
        {
          name: 'underpaid',
          description: 'first line allowed 12.40 short; reprocessed one cycle later',
          when: { memberIdPrefix: 'UNDERPAY-' },
          outcome: { kind: 'paid' },
          allowedPercent: 80,
          underpayCents: 1_240,
          repostAllowedPercent: 80,
        },
        {
          name: 'a-dollar-short',
          description: 'within the tolerance',
          when: { memberIdPrefix: 'SHORT-' },
          outcome: { kind: 'paid' },
          allowedPercent: 80,
          underpayCents: 100,
        },
        {
          name: 'clean',
          description: 'paid at 80%',
          when: { memberIdPrefix: 'PAID-' },
          outcome: { kind: 'paid' },
          allowedPercent: 80,
        },
      ],
      // Adjudication happens only on the test's forced payer cycles, one step at a time.
      controls: { adjudicationDelayMs: 3_600_000 },
    },
  });
});
afterAll(async () => {
  await stack?.stop();
});

function putCsv(csv: string, role: 'supervisor' | 'biller' = 'supervisor') {
  return stack.app.inject({
    method: 'PUT',
    url: '/practices/sunrise-fp/fee-schedules/ACME-HEALTH',
    headers: { ...stack.auth(role), 'content-type': 'text/csv' },
    payload: csv,
  });
}

async function variances() {
  const res = await stack.app.inject({
    method: 'GET',
    url: '/practices/sunrise-fp/payment-variances',
    headers: stack.auth('biller'),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    items: { claimId: string; kind: string; status: string; varianceCents: number; recoveredCents: number }[];
    summary: { openUnderpaidCents: number; recoveredCents: number; noContractRatePostings: number };
  };
}

describe('underpayments against the fee schedule, for real', () => {
  it('refuses a CSV with a bad row whole, naming row and column, and keeps the schedule as it was', async () => {
    const saved = await putCsv(SCHEDULE);
    expect(saved.statusCode, saved.body).toBe(201);
    expect(saved.json()).toMatchObject({ version: 1, rowCount: 2, source: 'CSV' });

    const bad = await putCsv(`${SCHEDULE}\n99214,,,12.345,2020-01-01,,N\n`);
    expect(bad.statusCode).toBe(422);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    const problem = bad.json() as { errors: { field: string }[]; rows: { row: number; column: string }[] };
    expect(problem.errors[0]!.field).toBe('row 4, column allowed');
    expect(problem.rows[0]).toMatchObject({ row: 4, column: 'allowed' });

    const refusedForBiller = await putCsv(SCHEDULE, 'biller');
    expect(refusedForBiller.statusCode).toBe(403);

    const versions = await stack.app.inject({
      method: 'GET',
      url: '/practices/sunrise-fp/fee-schedules/ACME-HEALTH/versions',
      headers: stack.auth('biller'),
    });
    expect((versions.json() as { versions: unknown[] }).versions).toHaveLength(1);
    const csv = await stack.app.inject({
      method: 'GET',
      url: '/practices/sunrise-fp/fee-schedules/ACME-HEALTH?format=csv',
      headers: stack.auth('biller'),
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('99213,,,120.00,2020-01-01,,N');
  });

  it('an 835 underpaying by $12.40 opens an underpayment of exactly 1240 cents in the worklist; within tolerance opens none; the reprocessed payment closes it', async () => {
    const { claim: under } = await stack.submitClaim('UNDERPAY-1');
    const { claim: short } = await stack.submitClaim('SHORT-1');
    // A code the contract does not price: counted as "no contract rate", paid as usual.
    const { claim: unpriced } = await stack.submitClaim('PAID-1', {
      lines: [
        { procedureCode: '99214', modifiers: [], units: 1, chargeCents: 20_000, diagnosisPointers: [1] },
      ],
    });
    for (const c of [under, short, unpriced]) await stack.waitForStatus(c.id, 'AWAITING_ADJUDICATION');

    await stack.pullEras();
    const review = await stack.waitForStatus(under.id, 'NEEDS_REVIEW');
    expect(review).toMatchObject({
      denial_category: 'UNDERPAYMENT',
      recommended_action: 'REQUEST_REPROCESSING',
      open_balance_cents: 1_240,
    });
    await stack.waitForStatus(short.id, 'PAID');
    await stack.waitForStatus(unpriced.id, 'PAID');

    const open = await variances();
    expect(open.items.filter((v) => v.claimId === under.id)).toEqual([
      expect.objectContaining({ kind: 'UNDERPAYMENT', status: 'OPEN', varianceCents: 1_240 }),
    ]);
    expect(open.items.some((v) => v.claimId === short.id)).toBe(false);
    expect(open.summary.openUnderpaidCents).toBe(1_240);
    expect(open.summary.noContractRatePostings).toBeGreaterThanOrEqual(1);

    const worklist = await stack.app.inject({
      method: 'GET',
      url: '/worklist?denialCategory=UNDERPAYMENT',
      headers: stack.auth('biller'),
    });
    expect(worklist.statusCode, worklist.body).toBe(200);
    const items = (worklist.json() as { items: { id: string; denialCategory: string }[] }).items;
    expect(items.map((i) => i.id)).toEqual([under.id]);

    // The payer's reprocessing (its next cycle): a reversal and a repost at the contracted rate.
    await stack.pullEras();
    const paid = await stack.waitForStatus(under.id, 'PAID');
    expect(paid.open_balance_cents).toBe(0);
    expect(paid.paid_cents).toBe(16_000);
    const closed = await eventually(async () => {
      const v = await variances();
      const mine = v.items.find((i) => i.claimId === under.id);
      return mine?.status === 'RESOLVED' ? v : undefined;
    }, 'the underpayment to be resolved');
    expect(closed.items.find((i) => i.claimId === under.id)).toMatchObject({ recoveredCents: 1_240 });
    expect(closed.summary).toMatchObject({ openUnderpaidCents: 0, recoveredCents: 1_240 });

    const events = await stack.db
      .selectFrom('claim_events')
      .select(['kind', 'to_status'])
      .where('claim_id', '=', under.id)
      .orderBy('id')
      .execute();
    expect(events.map((e) => e.kind)).toContain('UNDERPAYMENT_OPENED');
  });
});
