/**
 * Cost to collect for real (docs/cost-to-collect.md): a claim denied for authorization, appealed
 * through the API, overturned and paid is priced at exactly the sum of its actions and fees, computed
 * here by hand from the practice's own rates; a payer's total is the sum of its claims; the KPI report
 * and the CSV export say the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CostSettings } from '../../domain/cost-to-collect.js';
import { type Stack, startStack } from '../support/stack.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const PRACTICE = 'sunrise-fp';
const PAYER = 'ACME-HEALTH';

/** Rates unlike the defaults, so the test shows the practice's own settings are the ones used. */
const RATES: CostSettings = {
  hourlyRateCents: 3_000,
  standardMinutes: { decision: 6, appeal: 20, note: 2, assignment: 1 },
  transactionFeesCents: { submission: 40, statusInquiry: 30, appeal: 200, era: 12 },
};

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

function decide(id: string, path: string, payload: object, role: 'biller' | 'supervisor' = 'biller') {
  return stack.app.inject({
    method: 'POST',
    url: `/claims/${id}/${path}`,
    headers: stack.auth(role),
    payload,
  });
}

interface Row {
  key: string | null;
  payerId?: string;
  claims: number;
  counts: { staff: Record<string, number>; transactions: Record<string, number> };
  cost: { staffMinutes: number; staffCents: number; feeCents: number; costCents: number };
  collectedCents: number;
  denials: { deniedCents: number; netValueCents: number } | null;
}

async function report(groupBy: string, format = 'json') {
  const res = await stack.app.inject({
    method: 'GET',
    url: `/reports/cost-to-collect?practiceId=${PRACTICE}&from=${day(-1)}&to=${day(1)}&groupBy=${groupBy}&format=${format}`,
    headers: stack.auth('supervisor'),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res;
}

describe('cost to collect for real', () => {
  it('settings: billers read them, supervisors set them', async () => {
    const url = `/practices/${PRACTICE}/cost-settings`;
    const before = await stack.app.inject({ method: 'GET', url, headers: stack.auth('biller') });
    expect(before.statusCode).toBe(200);
    expect(before.json()).toMatchObject({ custom: false, settings: before.json().defaults });
    const refused = await stack.app.inject({
      method: 'PUT',
      url,
      headers: stack.auth('biller'),
      payload: RATES,
    });
    expect(refused.statusCode).toBe(403);
    const put = await stack.app.inject({
      method: 'PUT',
      url,
      headers: stack.auth('supervisor'),
      payload: RATES,
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ custom: true, settings: RATES, updatedBy: expect.any(String) });
  });

  it('a claim worked through denial, appeal and payment costs the hand-computed sum of its priced actions and fees', async () => {
    // The denial -> appeal -> overturn -> payment path of the claim-lifecycle test.
    const { claim } = await stack.submitClaim('AUTH197-700');
    await stack.waitForStatus(claim.id, 'AWAITING_ADJUDICATION');
    await stack.pullEras({ appeals: true });
    await stack.waitForStatus(claim.id, 'NEEDS_REVIEW');
    // A refused decision writes nothing and costs nothing.
    expect((await decide(claim.id, 'write-off', {})).statusCode).toBe(400);
    const filed = await decide(claim.id, 'appeals', {
      grounds: 'authorization AUTH-5531 was on file',
      attachments: ['auth-letter.pdf'],
    });
    expect(filed.statusCode, filed.body).toBe(200);
    await stack.waitForStatus(claim.id, 'APPEALING');
    const decided = await decide(
      claim.id,
      'appeal-decision',
      { outcome: 'overturned', reason: 'auth verified' },
      'supervisor',
    );
    expect(decided.statusCode).toBe(200);
    await stack.waitForStatus(claim.id, 'AWAITING_PAYMENT');
    await stack.pullEras({ appeals: true });
    await stack.pullEras({ appeals: true });
    const paid = await stack.waitForStatus(claim.id, 'PAID');

    // A clean claim of the same payer: one submission, one ERA, no staff time.
    const { claim: clean } = await stack.submitClaim('PAID-701');
    await stack.waitForStatus(clean.id, 'AWAITING_ADJUDICATION');
    await stack.pullEras({ appeals: true });
    const cleanPaid = await stack.waitForStatus(clean.id, 'PAID');

    // What the appealed claim went through: 1 submission; the denial's ERA and the payment's ERA;
    // 1 appeal filed by the biller (its staff time and its fee); 1 appeal decision recorded by the
    // supervisor; no status inquiry (no follow-up came due), no note, no assignment.
    const postings = await stack.db
      .selectFrom('claim_payments')
      .select('paid_cents')
      .where('claim_id', '=', claim.id)
      .execute();
    expect(postings).toHaveLength(2);
    const staffMinutes = 1 * RATES.standardMinutes.appeal + 1 * RATES.standardMinutes.decision; // 26
    const staffCents = Math.round((staffMinutes * RATES.hourlyRateCents) / 60); // 1,300
    const feeCents =
      1 * RATES.transactionFeesCents.submission +
      1 * RATES.transactionFeesCents.appeal +
      2 * RATES.transactionFeesCents.era; // 264
    expect(staffCents).toBe(1_300);
    expect(feeCents).toBe(264);

    const claims = (await report('claim')).json() as { rows: Row[]; totals: Row };
    const row = claims.rows.find((r) => r.key === claim.id)!;
    expect(row.counts).toEqual({
      staff: { decision: 1, appeal: 1, note: 0, assignment: 0 },
      transactions: { submission: 1, statusInquiry: 0, appeal: 1, era: 2 },
    });
    expect(row.cost).toEqual({ staffMinutes, staffCents, feeCents, costCents: staffCents + feeCents });
    expect(row.collectedCents).toBe(paid.paid_cents + paid.patient_paid_cents);
    expect(row.collectedCents).toBe(postings.reduce((s, p) => s + p.paid_cents, 0));
    // Its denial: AUTHORIZATION, too few decided appeals for a history, so the category's 0.5.
    expect(row.denials!.deniedCents).toBeGreaterThan(0);
    const work = Math.round((RATES.standardMinutes.appeal * RATES.hourlyRateCents) / 60) + 200 + 12;
    expect(row.denials!.netValueCents).toBe(Math.round(row.denials!.deniedCents * 0.5) - work);

    const cleanRow = claims.rows.find((r) => r.key === clean.id)!;
    expect(cleanRow.cost).toEqual({ staffMinutes: 0, staffCents: 0, feeCents: 40 + 12, costCents: 52 });
    expect(cleanRow.collectedCents).toBe(cleanPaid.paid_cents);

    // Per payer: exactly the sum of its claims.
    const payers = (await report('payer')).json() as { rows: Row[]; totals: Row };
    const payer = payers.rows.find((r) => r.key === PAYER)!;
    const mine = claims.rows.filter((r) => r.payerId === PAYER);
    expect(mine.map((r) => r.key).sort()).toEqual([claim.id, clean.id].sort());
    expect(payer.claims).toBe(2);
    expect(payer.cost.costCents).toBe(mine.reduce((s, r) => s + r.cost.costCents, 0));
    expect(payer.collectedCents).toBe(mine.reduce((s, r) => s + r.collectedCents, 0));
    expect(payer.denials!.netValueCents).toBe(mine.reduce((s, r) => s + r.denials!.netValueCents, 0));
    expect(payers.totals.cost.costCents).toBe(staffCents + feeCents + 52);

    // The category and month groupings add up to the same total.
    for (const by of ['category', 'month']) {
      const r = (await report(by)).json() as { rows: Row[] };
      expect(r.rows.reduce((s, x) => s + x.cost.costCents, 0)).toBe(payers.totals.cost.costCents);
    }

    // The KPI report's summary and the CSV export say the same.
    const kpis = await stack.app.inject({
      method: 'GET',
      url: `/kpis?practiceId=${PRACTICE}&from=${day(-1)}&to=${day(1)}`,
      headers: stack.auth('supervisor'),
    });
    expect(kpis.statusCode, kpis.body).toBe(200);
    const summary = kpis.json().costToCollect;
    expect(summary).toMatchObject({
      costCents: payers.totals.cost.costCents,
      collectedCents: payers.totals.collectedCents,
      topPayers: [{ payerId: PAYER, costCents: payer.cost.costCents }],
    });
    const csv = await report('claim', 'csv');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const [header, ...lines] = csv.body.trim().split('\r\n');
    const cols = header!.split(',');
    const line = lines.map((l) => l.split(',')).find((cells) => cells[0] === claim.id)!;
    expect(Number(line[cols.indexOf('cost_cents')])).toBe(staffCents + feeCents);
    expect(Number(line[cols.indexOf('appeal_transactions')])).toBe(1);
  });
});
