/**
 * GET /kpis on a dataset seeded claim by claim, whose right answers are worked out by hand in the
 * comments next to each expectation. Period: March 2026 (1 March was a Sunday). Practice: sunrise-fp;
 * lakeside-ortho rows exist only to prove they never leak in.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../api/app.js';
import type { Db } from '../../db/pool.js';
import { denialCategoryOf, isDenialAdjustment } from '../../db/sql-fragments.js';
import { categoryOf, DENIAL_CATEGORIES, isExpectedAdjustment, ruleFor } from '../../domain/carc.js';
import { bearer, seedClaim, seedEvent, seedPosting, seedRemittance, startDbApp, sunrise } from './support.js';

let app: App;
let db: Db;
let stop: () => Promise<void>;

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString().slice(0, 10);

async function appeal(claimUuid: string, level: number, status: string, decidedAt: string | null) {
  await db
    .insertInto('appeals')
    .values({
      claim_id: claimUuid,
      level,
      grounds: 'records',
      attachments: [],
      deadline: '2026-12-31T00:00:00Z',
      status,
      filed_by: 'seed',
      filed_at: '2026-03-15T00:00:00Z',
      decided_at: decidedAt,
    })
    .execute();
}

beforeAll(async () => {
  ({ app, db, stop } = await startDbApp());
  const era = await seedRemittance(db);

  // K1: clean. $100 charged, CO-45 $20 contractual, $80 paid.
  const k1 = await seedClaim(db, {
    status: 'PAID',
    totalChargeCents: 10_000,
    paidCents: 8_000,
    adjustmentCents: 2_000,
    openBalanceCents: 0,
    dateOfService: '2026-03-01',
    submittedAt: '2026-03-02T10:00:00Z',
  });
  await seedPosting(db, {
    claimUuid: k1,
    remittanceId: era,
    postedAt: '2026-03-20T00:00:00Z',
    paidCents: 8_000,
    adjustments: [['CO', '45', 2_000]],
  });
  // K2: denied whole, CO-50 $200 (medical necessity); first denied Sat 21 Mar, acted Wed 25 Mar (4.0 days, 3 business days).
  const k2 = await seedClaim(db, {
    status: 'APPEALING',
    totalChargeCents: 20_000,
    openBalanceCents: 20_000,
    dateOfService: '2026-03-02',
    submittedAt: '2026-03-03T10:00:00Z',
    firstDeniedAt: '2026-03-21T09:00:00Z',
    firstActionAt: '2026-03-25T09:00:00Z',
  });
  await seedPosting(db, {
    claimUuid: k2,
    remittanceId: era,
    postedAt: '2026-03-21T09:00:00Z',
    adjustments: [['CO', '50', 20_000]],
  });
  // K3: partly denied: CO-45 $50, PR-2 $50 (patient), CO-16 $100 denied, $100 paid; patient paid $20; never acted on.
  const k3 = await seedClaim(db, {
    payerId: 'MEDICARE',
    status: 'NEEDS_REVIEW',
    totalChargeCents: 30_000,
    paidCents: 10_000,
    adjustmentCents: 5_000,
    patientPaidCents: 2_000,
    openBalanceCents: 13_000,
    dateOfService: '2026-03-03',
    submittedAt: '2026-03-04T10:00:00Z',
    firstDeniedAt: '2026-03-22T10:00:00Z',
  });
  await seedPosting(db, {
    claimUuid: k3,
    remittanceId: era,
    postedAt: '2026-03-22T10:00:00Z',
    paidCents: 10_000,
    adjustments: [
      ['CO', '45', 5_000],
      ['PR', '2', 5_000],
      ['CO', '16', 10_000],
    ],
  });
  // K4: a duplicate only (OA-18 $400): out of the denial and clean cohorts; first denied Mon 23 Mar, acted 12 h later.
  const k4 = await seedClaim(db, {
    payerId: 'MEDICARE',
    status: 'NEEDS_REVIEW',
    totalChargeCents: 40_000,
    openBalanceCents: 40_000,
    dateOfService: '2026-03-04',
    submittedAt: '2026-03-05T10:00:00Z',
    firstDeniedAt: '2026-03-23T00:00:00Z',
    firstActionAt: '2026-03-23T12:00:00Z',
  });
  await seedPosting(db, {
    claimUuid: k4,
    remittanceId: era,
    postedAt: '2026-03-23T00:00:00Z',
    adjustments: [['OA', '18', 40_000]],
  });
  // K5: rejected at the front end, then paid without denial: adjudicated, not clean.
  const k5 = await seedClaim(db, {
    status: 'PAID',
    totalChargeCents: 50_000,
    paidCents: 40_000,
    adjustmentCents: 10_000,
    openBalanceCents: 0,
    dateOfService: '2026-03-05',
    submittedAt: '2026-03-06T10:00:00Z',
  });
  await seedEvent(db, {
    claimUuid: k5,
    at: '2026-03-06T10:05:00Z',
    kind: 'STATUS_CHANGED',
    fromStatus: 'SUBMITTING',
    toStatus: 'NEEDS_CORRECTION',
  });
  await seedPosting(db, {
    claimUuid: k5,
    remittanceId: era,
    postedAt: '2026-03-25T00:00:00Z',
    paidCents: 40_000,
    adjustments: [['CO', '45', 10_000]],
  });
  // K6: rejected and never adjudicated: in the clean-claim cohort only.
  const k6 = await seedClaim(db, {
    status: 'NEEDS_CORRECTION',
    totalChargeCents: 60_000,
    openBalanceCents: 60_000,
    dateOfService: '2026-03-06',
    submittedAt: '2026-03-07T10:00:00Z',
  });
  await seedEvent(db, {
    claimUuid: k6,
    at: '2026-03-07T10:05:00Z',
    kind: 'STATUS_CHANGED',
    fromStatus: 'SUBMITTING',
    toStatus: 'NEEDS_CORRECTION',
  });
  // K7: with the payer, no outcome yet.
  await seedClaim(db, {
    status: 'AWAITING_ADJUDICATION',
    totalChargeCents: 70_000,
    openBalanceCents: 70_000,
    dateOfService: '2026-03-07',
    submittedAt: '2026-03-08T10:00:00Z',
  });
  // K8: submitted in February (outside), CO-50 $300 denied; its appeal is decided in March (upheld).
  const k8 = await seedClaim(db, {
    status: 'WRITTEN_OFF',
    totalChargeCents: 80_000,
    openBalanceCents: 0,
    writtenOffCents: 30_000,
    dateOfService: '2026-02-20',
    submittedAt: '2026-02-27T10:00:00Z',
    firstDeniedAt: '2026-02-28T10:00:00Z',
  });
  await seedPosting(db, {
    claimUuid: k8,
    remittanceId: era,
    postedAt: '2026-02-28T10:00:00Z',
    paidCents: 50_000,
    adjustments: [['CO', '50', 30_000]],
  });
  // K10: an informational loop (CLP02 23, with a CAS that must be ignored) before its real adjudication: clean.
  const k10 = await seedClaim(db, {
    status: 'PAID',
    totalChargeCents: 10_000,
    paidCents: 9_000,
    adjustmentCents: 1_000,
    openBalanceCents: 0,
    dateOfService: '2026-03-08',
    submittedAt: '2026-03-09T10:00:00Z',
  });
  await seedPosting(db, {
    claimUuid: k10,
    remittanceId: era,
    postedAt: '2026-03-10T00:00:00Z',
    statusCode: '23',
    adjustments: [['CO', '50', 10_000]],
  });
  await seedPosting(db, {
    claimUuid: k10,
    remittanceId: era,
    postedAt: '2026-03-11T00:00:00Z',
    paidCents: 9_000,
    adjustments: [['CO', '45', 1_000]],
  });
  // F1: not submitted in the period; first denied Mon 2 Mar, acted Fri 20 Mar (18 days, 14 business days).
  await seedClaim(db, {
    status: 'WRITTEN_OFF',
    totalChargeCents: 5_000,
    openBalanceCents: 0,
    dateOfService: '2026-02-15',
    firstDeniedAt: '2026-03-02T08:00:00Z',
    firstActionAt: '2026-03-20T08:00:00Z',
  });

  // Aging: open claims by days since the date of service (today's date), none in March.
  await seedClaim(db, {
    status: 'AWAITING_ADJUDICATION',
    totalChargeCents: 1_000,
    openBalanceCents: 1_000,
    dateOfService: daysAgo(10),
  });
  await seedClaim(db, {
    status: 'AWAITING_ADJUDICATION',
    totalChargeCents: 500,
    openBalanceCents: 500,
    dateOfService: daysAgo(30),
  });
  await seedClaim(db, {
    status: 'AWAITING_ADJUDICATION',
    totalChargeCents: 700,
    openBalanceCents: 700,
    dateOfService: daysAgo(31),
  });
  await seedClaim(db, {
    status: 'NEEDS_REVIEW',
    totalChargeCents: 2_000,
    openBalanceCents: 2_000,
    dateOfService: daysAgo(45),
  });
  await seedClaim(db, {
    status: 'NEEDS_REVIEW',
    totalChargeCents: 3_000,
    openBalanceCents: 3_000,
    dateOfService: daysAgo(75),
  });
  await seedClaim(db, {
    status: 'APPEALING',
    totalChargeCents: 4_000,
    openBalanceCents: 4_000,
    dateOfService: daysAgo(100),
  });
  await seedClaim(db, {
    status: 'PATIENT_BALANCE',
    totalChargeCents: 800,
    openBalanceCents: 800,
    dateOfService: daysAgo(121),
  });
  await seedClaim(db, {
    status: 'AWAITING_PAYMENT',
    totalChargeCents: 900,
    openBalanceCents: 0,
    dateOfService: daysAgo(5),
  });

  // Appeals decided in March: K2 level 1 overturned, K8 level 1 upheld. Outside or pending: not counted.
  await appeal(k2, 1, 'overturned', '2026-03-28T12:00:00Z');
  await appeal(k8, 1, 'upheld', '2026-03-29T12:00:00Z');
  await appeal(k2, 2, 'overturned', '2026-04-02T12:00:00Z');
  await appeal(k3, 1, 'pending', null);

  // lakeside-ortho: denied in March, an appeal decided in March, an open balance, and a fresh unacted denial.
  const lake = await seedClaim(db, {
    practiceId: 'lakeside-ortho',
    status: 'NEEDS_REVIEW',
    totalChargeCents: 99_000,
    openBalanceCents: 99_000,
    dateOfService: '2026-03-10',
    submittedAt: '2026-03-11T00:00:00Z',
    firstDeniedAt: '2026-03-20T00:00:00Z',
  });
  await seedPosting(db, {
    claimUuid: lake,
    remittanceId: era,
    postedAt: '2026-03-20T00:00:00Z',
    adjustments: [['CO', '50', 99_000]],
  });
  await appeal(lake, 1, 'overturned', '2026-03-28T00:00:00Z');
  await seedClaim(db, {
    practiceId: 'lakeside-ortho',
    status: 'NEEDS_REVIEW',
    totalChargeCents: 1_000,
    openBalanceCents: 1_000,
    dateOfService: daysAgo(3),
    firstDeniedAt: new Date(Date.now() - DAY).toISOString(),
  });
});

afterAll(async () => {
  await stop?.();
});

const kpis = (query: string, headers: Record<string, string> = sunrise('supervisor')) =>
  app.inject({ method: 'GET', url: `/kpis?${query}`, headers });

describe('GET /kpis for March 2026', () => {
  let report: Record<string, unknown> & {
    denialRate: Record<string, unknown>;
    cleanClaimRate: Record<string, unknown>;
    daysInAr: Record<string, unknown>;
    arAging: {
      buckets: { label: string; claims: number; cents: number }[];
      over90DaysShareOfDollars: number;
    };
    appealOverturnRate: Record<string, unknown>;
    netCollectionRate: Record<string, unknown>;
    denialsByCategory: unknown[];
    denialsByPayer: unknown[];
    timeToFirstAction: Record<string, unknown>;
  };

  beforeAll(async () => {
    const res = await kpis('practiceId=sunrise-fp&from=2026-03-01&to=2026-03-31');
    expect(res.statusCode, res.body).toBe(200);
    report = res.json();
  });

  it('denial rate: K2 and K3 denied of K1, K2, K3, K5, K10 adjudicated; the duplicate-only K4 left out', () => {
    // count 2/5; dollars (200 + 100) / (100 + 200 + 300 + 500 + 100) = 300 / 1200.
    expect(report.denialRate).toEqual({
      adjudicatedClaims: 5,
      deniedClaims: 2,
      byCount: 0.4,
      chargesCents: 120_000,
      deniedCents: 30_000,
      byDollars: 0.25,
      duplicateOnlyClaimsExcluded: 1,
    });
  });

  it('clean claim rate: K1 and K10 clean of the six with an outcome (K5 and K6 were rejected first)', () => {
    // count 2/6 = 0.3333; dollars (100 + 100) / (1200 + 600) = 0.1111.
    expect(report.cleanClaimRate).toEqual({
      claims: 6,
      cleanClaims: 2,
      byCount: 0.3333,
      chargesCents: 180_000,
      cleanChargesCents: 20_000,
      byDollars: 0.1111,
    });
  });

  it('days in A/R: open A/R now over March’s average daily charges', () => {
    // Open A/R: K2 200 + K3 130 + K4 400 + K6 600 + K7 700 + aging 10 + 5 + 7 + 20 + 30 + 40 + 8 = $2150.
    // March charges (by date of service): K1..K7 + K10 = 100+200+300+400+500+600+700+100 = $2900 over 31 days.
    // 215000 / (290000 / 31) = 22.98 -> 23.0.
    expect(report.daysInAr).toEqual({
      openArCents: 215_000,
      periodChargesCents: 290_000,
      periodDays: 31,
      days: 23,
    });
  });

  it('A/R aging by date of service: 30 days is still 0-30, 31 is 31-60, 121 is 120+', () => {
    expect(report.arAging.buckets.map(({ label, claims, cents }) => ({ label, claims, cents }))).toEqual([
      { label: '0-30', claims: 2, cents: 1_500 },
      { label: '31-60', claims: 2, cents: 2_700 },
      { label: '61-90', claims: 1, cents: 3_000 },
      { label: '91-120', claims: 1, cents: 4_000 },
      // K2, K3, K4, K6, K7 (all March 2026) and the 121-day patient balance.
      { label: '120+', claims: 6, cents: 203_800 },
    ]);
    // (4000 + 203800) / 215000 = 0.96651.
    expect(report.arAging.over90DaysShareOfDollars).toBe(0.9665);
  });

  it('appeal overturn rate: one of the two appeals decided in March overturned', () => {
    // dollars: K2's denied $200 overturned of K2 $200 + K8 $300.
    expect(report.appealOverturnRate).toEqual({
      decided: 2,
      overturned: 1,
      byCount: 0.5,
      decidedCents: 50_000,
      overturnedCents: 20_000,
      byDollars: 0.4,
    });
  });

  it('net collection rate: collected over charges less contractual adjustments, by date of service', () => {
    // collected: K1 80 + K3 100 + 20 (patient) + K5 400 + K10 90 = $690; contractual 20 + 50 + 100 + 10 = $180.
    // 69000 / (290000 - 18000) = 0.25368.
    expect(report.netCollectionRate).toEqual({
      collectedCents: 69_000,
      chargesCents: 290_000,
      contractualCents: 18_000,
      rate: 0.2537,
    });
  });

  it('denials by category (duplicates listed) and by payer (duplicates excluded)', () => {
    expect(report.denialsByCategory).toEqual([
      { category: 'DUPLICATE', claims: 1, deniedCents: 40_000 },
      { category: 'MEDICAL_NECESSITY', claims: 1, deniedCents: 20_000 },
      { category: 'MISSING_INFORMATION', claims: 1, deniedCents: 10_000 },
    ]);
    expect(report.denialsByPayer).toEqual([
      // K1, K2, K5, K10: 1 of 4 denied; $200 of $900.
      {
        payerId: 'ACME-HEALTH',
        adjudicatedClaims: 4,
        deniedClaims: 1,
        byCount: 0.25,
        chargesCents: 90_000,
        deniedCents: 20_000,
        byDollars: 0.2222,
      },
      // K3 only (K4 is a duplicate): $100 of $300.
      {
        payerId: 'MEDICARE',
        adjudicatedClaims: 1,
        deniedClaims: 1,
        byCount: 1,
        chargesCents: 30_000,
        deniedCents: 10_000,
        byDollars: 0.3333,
      },
    ]);
  });

  it('time to first action: K2, K4 and F1 acted (4, 0.5 and 18 days), K3 never; 10 business days is the target', () => {
    // average (4 + 0.5 + 18) / 3 = 7.5, median 4. Due: the three acted plus K3 (long past 10 business days).
    // Within target: K2 (3 business days) and K4 (0). Dollars: denied K2 $200 within, of K2 $200 + K3 $100 due.
    expect(report.timeToFirstAction).toEqual({
      denials: 4,
      acted: 3,
      averageDays: 7.5,
      medianDays: 4,
      targetBusinessDays: 10,
      due: 4,
      withinTarget: 2,
      withinTargetByCount: 0.5,
      dueCents: 30_000,
      withinTargetCents: 20_000,
      withinTargetByDollars: 0.6667,
    });
  });
});

describe('GET /kpis rules', () => {
  it('a denial still inside its 10 business days is not yet counted against the target', async () => {
    const res = await kpis(
      `practiceId=lakeside-ortho&from=${daysAgo(7)}&to=${daysAgo(0)}`,
      bearer('demo-admin-key'),
    );
    expect(res.statusCode).toBe(200);
    expect((res.json() as { timeToFirstAction: unknown }).timeToFirstAction).toMatchObject({
      denials: 1,
      acted: 0,
      due: 0,
      withinTargetByCount: null,
    });
  });

  it('an empty period answers zeros and null rates, never a division by zero', async () => {
    const res = await kpis('practiceId=sunrise-fp&from=2020-01-01&to=2020-01-31');
    expect(res.statusCode).toBe(200);
    expect((res.json() as { denialRate: unknown }).denialRate).toMatchObject({
      adjudicatedClaims: 0,
      byCount: null,
      byDollars: null,
    });
  });

  it('is for supervisors and admins of the practice: 401, 403 for a biller, 403 for another practice', async () => {
    expect((await kpis('practiceId=sunrise-fp', {})).statusCode).toBe(401);
    expect((await kpis('practiceId=sunrise-fp', sunrise('biller'))).statusCode).toBe(403);
    const other = await kpis('practiceId=lakeside-ortho&from=2026-03-01&to=2026-03-31', sunrise('admin'));
    expect(other.statusCode).toBe(403);
    expect(other.body).not.toContain('99000');
  });

  it('refuses an inverted period and a missing practice with 400 naming the parameter', async () => {
    const inverted = await kpis('practiceId=sunrise-fp&from=2026-04-01&to=2026-03-01');
    expect(inverted.statusCode).toBe(400);
    expect((inverted.json() as { errors: { field: string }[] }).errors[0]!.field).toBe('querystring/from');
    const missing = await kpis('from=2026-03-01');
    expect((missing.json() as { errors: { field: string }[] }).errors[0]!.field).toBe(
      'querystring/practiceId',
    );
  });
});

describe('the SQL classification agrees with the domain', () => {
  it('denial adjustments and CARC categories match isExpectedAdjustment and categoryOf code by code', async () => {
    const carcs = [
      ...new Set([
        ...DENIAL_CATEGORIES.flatMap((c) => ruleFor(c).carcs),
        '1',
        '2',
        '3',
        '23',
        '45',
        '59',
        '253',
        '999',
      ]),
    ];
    const groups = ['CO', 'CR', 'PI', 'PR', 'OA'];
    const rows = groups.flatMap((g) => carcs.map((c) => sql`(${g}, ${c}, 100)`));
    const result = await sql<{ group_code: string; reason_code: string; denial: boolean; category: string }>`
      select a.group_code, a.reason_code, ${isDenialAdjustment('a')} as denial, ${denialCategoryOf('a.reason_code')} as category
      from (values ${sql.join(rows)}) as a (group_code, reason_code, amount_cents)`.execute(db);
    for (const r of result.rows) {
      const expected = r.group_code !== 'PR' && !isExpectedAdjustment(r.group_code, r.reason_code);
      expect({ code: `${r.group_code}-${r.reason_code}`, denial: r.denial }).toEqual({
        code: `${r.group_code}-${r.reason_code}`,
        denial: expected,
      });
      expect(r.category).toBe(categoryOf(r.reason_code));
    }
  });
});
