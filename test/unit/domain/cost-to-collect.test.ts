/** The arithmetic of cost to collect (docs/cost-to-collect.md), checked against hand-computed figures. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ruleFor } from '../../../domain/carc.js';
import {
  type ActionCounts,
  type CostSettings,
  type CostUnit,
  costPerDollarCollected,
  costReport,
  costSettingsErrors,
  costTotals,
  DEFAULT_COST_SETTINGS,
  denialWorkCostCents,
  historyKey,
  MIN_DECIDED_APPEALS,
  NO_ACTIONS,
  netValueOfWorking,
  overturnRate,
  priceActions,
  staffCents,
} from '../../../domain/cost-to-collect.js';

const S = DEFAULT_COST_SETTINGS;

function counts(
  staff: Partial<ActionCounts['staff']> = {},
  transactions: Partial<ActionCounts['transactions']> = {},
): ActionCounts {
  return {
    staff: { ...NO_ACTIONS.staff, ...staff },
    transactions: { ...NO_ACTIONS.transactions, ...transactions },
  };
}

function unit(overrides: Partial<CostUnit> = {}): CostUnit {
  return {
    claimUuid: 'c1',
    claimId: 'A-1',
    payerId: 'P1',
    category: null,
    deniedCents: null,
    month: '2026-01',
    counts: NO_ACTIONS,
    collectedCents: 0,
    ...overrides,
  };
}

describe('staffCents', () => {
  it('prices minutes of an hourly rate, rounded half up to a cent', () => {
    expect(staffCents(5, 2_500)).toBe(208); // 208.33
    expect(staffCents(15, 2_500)).toBe(625);
    expect(staffCents(1, 2_500)).toBe(42); // 41.67
    expect(staffCents(3, 10)).toBe(1); // 0.5 rounds up
    expect(staffCents(0, 2_500)).toBe(0);
  });

  it('equals Math.round(minutes x rate / 60) for every whole input', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 100_000 }), (m, r) => {
        expect(staffCents(m, r)).toBe(Math.round((m * r) / 60));
      }),
    );
  });
});

describe('priceActions', () => {
  it('a claim worked through denial, appeal and payment costs the sum of its priced actions', () => {
    // 1 submission, 1 appeal filed by a biller, 1 appeal decision recorded by a supervisor, 2 ERA postings.
    const priced = priceActions(counts({ appeal: 1, decision: 1 }, { submission: 1, appeal: 1, era: 2 }), S);
    // Staff: 15 + 5 = 20 minutes at $25/h = 833.33 -> 833 cents. Fees: 35 + 150 + 2 x 10 = 205.
    expect(priced).toEqual({ staffMinutes: 20, staffCents: 833, feeCents: 205, costCents: 1_038 });
  });

  it('sums minutes before rounding, so one unit is rounded once', () => {
    // Three decisions one by one would be 3 x 208 = 624; 15 minutes are 625.
    expect(priceActions(counts({ decision: 3 }), S).staffCents).toBe(625);
  });

  it('uses the practice’s own rates', () => {
    const own: CostSettings = {
      hourlyRateCents: 3_000,
      standardMinutes: { decision: 10, appeal: 30, note: 0, assignment: 0 },
      transactionFeesCents: { submission: 50, statusInquiry: 0, appeal: 0, era: 5 },
    };
    const priced = priceActions(counts({ decision: 1, note: 4 }, { submission: 2, statusInquiry: 3 }), own);
    expect(priced).toEqual({ staffMinutes: 10, staffCents: 500, feeCents: 100, costCents: 600 });
  });
});

describe('costPerDollarCollected', () => {
  it('is cost over collected, null when nothing was collected', () => {
    expect(costPerDollarCollected(1_038, 20_000)).toBe(0.0519);
    expect(costPerDollarCollected(500, 0)).toBeNull();
    expect(costPerDollarCollected(500, -100)).toBeNull();
  });
});

describe('overturn rate and net value', () => {
  it('uses the practice’s history from MIN_DECIDED_APPEALS decided appeals, the category’s recoverability below', () => {
    const few = { decided: MIN_DECIDED_APPEALS - 1, overturned: MIN_DECIDED_APPEALS - 1 };
    expect(overturnRate('AUTHORIZATION', few)).toEqual({
      rate: ruleFor('AUTHORIZATION').recoverability,
      basis: 'category',
      decided: MIN_DECIDED_APPEALS - 1,
    });
    expect(overturnRate('AUTHORIZATION', undefined).basis).toBe('category');
    expect(overturnRate('AUTHORIZATION', { decided: 12, overturned: 3 })).toEqual({
      rate: 0.25,
      basis: 'history',
      decided: 12,
    });
  });

  it('net value = recoverable x rate - cost of the work', () => {
    // The standard work of a denial: 15 appeal minutes (625) + appeal fee 150 + ERA 10 = 785.
    expect(denialWorkCostCents(S)).toBe(785);
    expect(netValueOfWorking(20_000, 0.8, 785)).toBe(16_000 - 785);
    expect(netValueOfWorking(1_000, 0.25, 785)).toBe(250 - 785);
    expect(netValueOfWorking(1, 0.5, 0)).toBe(1); // 0.5 rounds up
    expect(netValueOfWorking(333, 0.3333, 0)).toBe(111); // 110.99
  });
});

describe('costReport', () => {
  const denied = (uuid: string, payerId: string, month: string, extra: Partial<CostUnit> = {}) =>
    unit({
      claimUuid: uuid,
      claimId: `A-${uuid}`,
      payerId,
      month,
      category: 'AUTHORIZATION',
      deniedCents: 10_000,
      counts: counts({ decision: 1 }, { submission: 1, era: 1 }),
      collectedCents: 5_000,
      ...extra,
    });
  const units = [
    denied('c1', 'P1', '2026-01'),
    denied('c1', 'P1', '2026-02', { counts: counts({ appeal: 1 }, { appeal: 1, era: 1 }) }),
    denied('c2', 'P1', '2026-01'),
    unit({
      claimUuid: 'c3',
      payerId: 'P2',
      counts: counts({}, { submission: 1, era: 1 }),
      collectedCents: 9_000,
    }),
  ];

  it('every grouping adds up to the period totals, and a payer is the sum of its claims', () => {
    const totals = costTotals(units, S);
    for (const by of ['claim', 'payer', 'category', 'month'] as const) {
      const rows = costReport(units, S, new Map(), by);
      expect(rows.reduce((s, r) => s + r.cost.costCents, 0)).toBe(totals.cost.costCents);
      expect(rows.reduce((s, r) => s + r.collectedCents, 0)).toBe(totals.collectedCents);
    }
    const claims = costReport(units, S, new Map(), 'claim');
    const payers = costReport(units, S, new Map(), 'payer');
    for (const p of payers) {
      const mine = claims.filter((c) => c.payerId === p.key);
      expect(p.cost.costCents).toBe(mine.reduce((s, c) => s + c.cost.costCents, 0));
      expect(p.claims).toBe(mine.length);
      expect(p.denials!.netValueCents).toBe(mine.reduce((s, c) => s + c.denials!.netValueCents, 0));
    }
  });

  it('a claim row is the sum of its months, and its denial is valued once', () => {
    const c1 = costReport(units, S, new Map(), 'claim').find((r) => r.key === 'c1')!;
    // January: 5 min (208) + 35 + 10 = 253. February: 15 min (625) + 150 + 10 = 785.
    expect(c1.cost.costCents).toBe(253 + 785);
    expect(c1.collectedCents).toBe(10_000);
    expect(c1.costPerDollarCollected).toBe(0.1038);
    // AUTHORIZATION recoverability 0.5 (no history) on 10,000 denied, less the standard work 785.
    expect(c1.denials).toEqual({
      deniedClaims: 1,
      deniedCents: 10_000,
      expectedRecoveryCents: 5_000,
      workCostCents: 785,
      netValueCents: 4_215,
    });
    expect(ruleFor('AUTHORIZATION').recoverability).toBe(0.5);
    expect(c1.overturnRate).toEqual({ rate: 0.5, basis: 'category', decided: 0 });
  });

  it('uses the payer’s own overturn history when it has enough decided appeals', () => {
    const histories = new Map([[historyKey('P1', 'AUTHORIZATION'), { decided: 10, overturned: 2 }]]);
    const c2 = costReport(units, S, histories, 'claim').find((r) => r.key === 'c2')!;
    expect(c2.denials!.netValueCents).toBe(2_000 - 785);
  });

  it('months carry no denial value; never-denied claims group under a null category', () => {
    expect(costReport(units, S, new Map(), 'month').every((r) => r.denials === null)).toBe(true);
    const never = costReport(units, S, new Map(), 'category').find((r) => r.key === null)!;
    expect(never.claims).toBe(1);
    expect(never.denials!.deniedClaims).toBe(0);
  });

  it('orders rows by cost, highest first', () => {
    const rows = costReport(units, S, new Map(), 'payer');
    expect(rows.map((r) => r.key)).toEqual(['P1', 'P2']);
  });
});

describe('costSettingsErrors', () => {
  it('accepts the defaults and names every value out of bounds', () => {
    expect(costSettingsErrors(S)).toEqual([]);
    const bad = {
      hourlyRateCents: -1,
      standardMinutes: { ...S.standardMinutes, appeal: 1.5 },
      transactionFeesCents: { ...S.transactionFeesCents, era: 1_000_000 },
    };
    expect(costSettingsErrors(bad).map((e) => e.field)).toEqual([
      'hourlyRateCents',
      'standardMinutes.appeal',
      'transactionFeesCents.era',
    ]);
  });
});
