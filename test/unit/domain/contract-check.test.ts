import { describe, expect, it } from 'vitest';
import { checkContract, type FeeScheduleRow } from '../../../domain/fee-schedules.js';

const ctx = { payerId: 'ACME', practiceId: 'p1' };
const rate = (procedureCode: string, allowedCents: number): FeeScheduleRow => ({
  ...ctx,
  procedureCode,
  allowedCents,
  effectiveFrom: '2025-01-01',
  multipleProcedureReducible: false,
});
const rows = [rate('99213', 12_000), rate('36415', 4_000)];
const billed = [
  {
    lineNumber: 1,
    procedureCode: '99213',
    modifiers: [],
    units: 1,
    chargeCents: 15_000,
    dateOfService: '2026-11-20',
  },
  {
    lineNumber: 2,
    procedureCode: '36415',
    modifiers: [],
    units: 1,
    chargeCents: 5_000,
    dateOfService: '2026-11-20',
  },
];
const tolerance = { cents: 100, percent: 1 };
const allowed = (a: number, b: number) =>
  new Map([
    [1, a],
    [2, b],
  ]);

describe('checkContract: the claim against its contract after a posting', () => {
  it('finds an underpayment of exactly the shortfall', () => {
    const v = checkContract({ billed, payerAllowedByLine: allowed(10_760, 4_000), rows, ctx, tolerance });
    expect(v).toMatchObject({
      kind: 'UNDERPAYMENT',
      expectedCents: 16_000,
      payerAllowedCents: 14_760,
      varianceCents: 1_240,
      toleranceCents: 160,
    });
  });

  it('lets a difference up to the tolerance pass, and calls more than the contract an overpayment', () => {
    expect(
      checkContract({ billed, payerAllowedByLine: allowed(11_840, 4_000), rows, ctx, tolerance }).kind,
    ).toBe('WITHIN_TOLERANCE');
    expect(
      checkContract({ billed, payerAllowedByLine: allowed(11_839, 4_000), rows, ctx, tolerance }).kind,
    ).toBe('UNDERPAYMENT');
    expect(
      checkContract({ billed, payerAllowedByLine: allowed(13_000, 4_000), rows, ctx, tolerance }),
    ).toMatchObject({
      kind: 'OVERPAYMENT',
      varianceCents: -1_000,
    });
  });

  it('leaves denied lines (nothing allowed) to the denial path and compares the rest', () => {
    const v = checkContract({ billed, payerAllowedByLine: allowed(0, 3_000), rows, ctx, tolerance });
    expect(v).toMatchObject({ kind: 'UNDERPAYMENT', expectedCents: 4_000, payerAllowedCents: 3_000 });
    expect(v.lines.map((l) => l.lineNumber)).toEqual([2]);
  });

  it('is NOT_CHECKED when nothing was allowed (a denial, or a reversal awaiting its repost)', () => {
    expect(checkContract({ billed, payerAllowedByLine: allowed(0, 0), rows, ctx, tolerance }).kind).toBe(
      'NOT_CHECKED',
    );
    expect(checkContract({ billed, payerAllowedByLine: new Map(), rows, ctx, tolerance }).kind).toBe(
      'NOT_CHECKED',
    );
  });

  it('counts lines without a contract rate instead of passing them, and compares the priced ones', () => {
    const none = checkContract({
      billed,
      payerAllowedByLine: allowed(12_000, 4_000),
      rows: [],
      ctx,
      tolerance,
    });
    expect(none).toMatchObject({ kind: 'NO_CONTRACT_RATE', noContractRateLines: [1, 2] });
    const some = checkContract({
      billed,
      payerAllowedByLine: allowed(12_000, 1_000),
      rows: [rate('99213', 12_000)],
      ctx,
      tolerance,
    });
    expect(some).toMatchObject({ kind: 'WITHIN_TOLERANCE', noContractRateLines: [2], expectedCents: 12_000 });
  });

  it('for any allowed amounts, the variance is expected minus allowed over the priced lines', () => {
    let seed = 7;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed;
    };
    for (let i = 0; i < 500; i++) {
      const a = (next() % 20_000) + 1;
      const b = (next() % 8_000) + 1;
      const v = checkContract({ billed, payerAllowedByLine: allowed(a, b), rows, ctx, tolerance });
      expect(v.varianceCents).toBe(16_000 - a - b);
      expect(v.payerAllowedCents).toBe(a + b);
      const within = Math.abs(16_000 - a - b) <= 160;
      expect(v.kind === 'WITHIN_TOLERANCE').toBe(within);
    }
  });
});
