import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatFeeScheduleCsv,
  MAX_CSV_ERRORS,
  parseFeeScheduleCsv,
} from '../../../domain/fee-schedule-csv.js';
import {
  type BilledServiceLine,
  compareAllowed,
  type ExpectedLine,
  expectedAllowed,
  type FeeScheduleRow,
  findRate,
  payerAllowedCents,
} from '../../../domain/fee-schedules.js';

const PAYER = 'PAYER-A';
const PRACTICE = 'PRACTICE-1';
const ctx = { payerId: PAYER, practiceId: PRACTICE };

function row(overrides: Partial<FeeScheduleRow> = {}): FeeScheduleRow {
  return {
    payerId: PAYER,
    practiceId: PRACTICE,
    procedureCode: '99213',
    allowedCents: 10_000,
    effectiveFrom: '2025-01-01',
    multipleProcedureReducible: false,
    ...overrides,
  };
}

function line(overrides: Partial<BilledServiceLine> = {}): BilledServiceLine {
  return {
    procedureCode: '99213',
    modifiers: [],
    units: 1,
    chargeCents: 20_000,
    dateOfService: '2025-06-15',
    ...overrides,
  };
}

function query(overrides: Partial<Parameters<typeof findRate>[1]> = {}): Parameters<typeof findRate>[1] {
  return {
    payerId: PAYER,
    practiceId: PRACTICE,
    procedureCode: '99213',
    modifiers: [],
    dateOfService: '2025-06-15',
    ...overrides,
  };
}

/** The expected cents of a priced line; fails the test on an unpriced one. */
function cents(e: ExpectedLine | undefined): number {
  if (e === undefined || e.noContractRate) throw new Error('line has no contract rate');
  return e.expectedCents;
}

describe('findRate: the row in force on the date of service, most specific first', () => {
  it('effective dates are inclusive at both ends', () => {
    const rows = [row({ effectiveFrom: '2025-01-01', effectiveTo: '2025-12-31' })];
    expect(findRate(rows, query({ dateOfService: '2025-01-01' }))).toBe(rows[0]);
    expect(findRate(rows, query({ dateOfService: '2025-12-31' }))).toBe(rows[0]);
    expect(findRate(rows, query({ dateOfService: '2024-12-31' }))).toBeUndefined();
    expect(findRate(rows, query({ dateOfService: '2026-01-01' }))).toBeUndefined();
  });

  it('a renegotiated rate prices services from its effective date; older services keep the old rate', () => {
    const old = row({ allowedCents: 9_000, effectiveFrom: '2024-01-01', effectiveTo: '2024-12-31' });
    const current = row({ allowedCents: 9_500, effectiveFrom: '2025-01-01' });
    expect(findRate([old, current], query({ dateOfService: '2024-12-31' }))).toBe(old);
    expect(findRate([old, current], query({ dateOfService: '2025-01-01' }))).toBe(current);
    expect(findRate([old, current], query({ dateOfService: '2031-07-04' }))).toBe(current);
  });

  it('a plan-specific row wins over an all-plans row, and only for that plan', () => {
    const all = row({ allowedCents: 10_000 });
    const gold = row({ planId: 'GOLD', allowedCents: 12_000 });
    expect(findRate([all, gold], query({ planId: 'GOLD' }))).toBe(gold);
    expect(findRate([gold, all], query({ planId: 'GOLD' }))).toBe(gold);
    expect(findRate([all, gold], query({ planId: 'SILVER' }))).toBe(all);
    expect(findRate([all, gold], query())).toBe(all);
  });

  it('a modifier-specific row wins over a no-modifier row when the line carries the modifier', () => {
    const global = row({ procedureCode: '71046', allowedCents: 4_000 });
    const professional = row({ procedureCode: '71046', modifier: '26', allowedCents: 1_200 });
    const q = query({ procedureCode: '71046' });
    expect(findRate([global, professional], { ...q, modifiers: ['26'] })).toBe(professional);
    expect(findRate([professional, global], { ...q, modifiers: ['RT', '26'] })).toBe(professional);
    expect(findRate([global, professional], { ...q, modifiers: [] })).toBe(global);
    expect(findRate([global, professional], { ...q, modifiers: ['TC'] })).toBe(global);
  });

  it('plan specificity outranks modifier specificity', () => {
    const planRow = row({ planId: 'GOLD', allowedCents: 1 });
    const modifierRow = row({ modifier: '25', allowedCents: 2 });
    expect(findRate([modifierRow, planRow], query({ planId: 'GOLD', modifiers: ['25'] }))).toBe(planRow);
  });

  it('between modifier rows, the modifier billed first wins', () => {
    const r26 = row({ modifier: '26', allowedCents: 1 });
    const r59 = row({ modifier: '59', allowedCents: 2 });
    expect(findRate([r26, r59], query({ modifiers: ['59', '26'] }))).toBe(r59);
    expect(findRate([r59, r26], query({ modifiers: ['26', '59'] }))).toBe(r26);
  });

  it('another payer, practice or procedure code is never matched', () => {
    const rows = [row({ payerId: 'OTHER' }), row({ practiceId: 'OTHER' }), row({ procedureCode: '99214' })];
    expect(findRate(rows, query())).toBeUndefined();
  });
});

describe('expectedAllowed: rate x units, then modifier percent, then the multiple-procedure reduction', () => {
  it('multiplies the rate by the units', () => {
    const [e] = expectedAllowed(
      [line({ procedureCode: 'J1100', units: 4 })],
      [row({ procedureCode: 'J1100', allowedCents: 37 })],
      ctx,
    );
    expect(cents(e)).toBe(148);
  });

  it('fractional units are priced exactly and rounded half up to the cent', () => {
    // 0.5 x 125 cents = 62.5 -> 63; 0.5 x 123 = 61.5 -> 62; 0.25 x 10 = 2.5 -> 3
    const rows = [
      row({ allowedCents: 125 }),
      row({ procedureCode: 'J0001', allowedCents: 123 }),
      row({ procedureCode: 'J0002', allowedCents: 10 }),
    ];
    const out = expectedAllowed(
      [
        line({ units: 0.5 }),
        line({ procedureCode: 'J0001', units: 0.5 }),
        line({ procedureCode: 'J0002', units: 0.25 }),
      ],
      rows,
      ctx,
    );
    expect(out.map(cents)).toEqual([63, 62, 3]);
  });

  it('applies the modifier percent of the row: assistant surgeon (80) at 16% of allowed', () => {
    const rows = [
      row({ procedureCode: '27447', allowedCents: 150_000, modifierAdjustments: { '80': 16, '50': 150 } }),
    ];
    const [assist] = expectedAllowed([line({ procedureCode: '27447', modifiers: ['80'] })], rows, ctx);
    expect(cents(assist)).toBe(24_000);
    expect(assist).toMatchObject({ baseCents: 150_000, modifierPercents: [{ modifier: '80', percent: 16 }] });
  });

  it('bilateral (50) at 150% applies after the units', () => {
    const rows = [row({ procedureCode: '69436', allowedCents: 33_333, modifierAdjustments: { '50': 150 } })];
    // 33,333 x 1 = 33,333; x 150% = 49,999.5 -> 50,000 (half up)
    expect(cents(expectedAllowed([line({ procedureCode: '69436', modifiers: ['50'] })], rows, ctx)[0])).toBe(
      50_000,
    );
  });

  it('several listed modifiers multiply, rounded once', () => {
    const rows = [row({ allowedCents: 10_001, modifierAdjustments: { '50': 150, '80': 16 } })];
    // 10,001 x 1.5 x 0.16 = 2,400.24 -> 2,400
    expect(cents(expectedAllowed([line({ modifiers: ['50', '80'] })], rows, ctx)[0])).toBe(2_400);
  });

  it('a modifier the row lists no percent for leaves the amount at 100%', () => {
    const rows = [row({ modifierAdjustments: { '80': 16 } })];
    expect(cents(expectedAllowed([line({ modifiers: ['25'] })], rows, ctx)[0])).toBe(10_000);
  });

  it("the row's own modifier is priced by its rate and not adjusted again", () => {
    const rows = [row({ modifier: '80', allowedCents: 2_000, modifierAdjustments: { '80': 16 } })];
    expect(cents(expectedAllowed([line({ modifiers: ['80'] })], rows, ctx)[0])).toBe(2_000);
  });

  it('multiple-procedure reduction: the costliest reducible line at 100%, every other reducible line at 50%', () => {
    const rows = [
      row({ procedureCode: '11042', allowedCents: 12_000, multipleProcedureReducible: true }),
      row({ procedureCode: '11043', allowedCents: 30_000, multipleProcedureReducible: true }),
      row({ procedureCode: '11045', allowedCents: 5_001, multipleProcedureReducible: true }),
      row({ procedureCode: '99213', allowedCents: 9_000, multipleProcedureReducible: false }),
    ];
    const out = expectedAllowed(
      [
        line({ procedureCode: '11042' }),
        line({ procedureCode: '11043' }),
        line({ procedureCode: '11045' }),
        line({ procedureCode: '99213' }),
      ],
      rows,
      ctx,
    );
    expect(out.map(cents)).toEqual([6_000, 30_000, 2_501, 9_000]);
    expect(out.map((e) => (e.noContractRate ? undefined : e.reduction))).toEqual([
      'REDUCED',
      'PRIMARY',
      'REDUCED',
      'NOT_REDUCIBLE',
    ]);
  });

  it('the reduction ranks lines by their amount after units and modifiers, and a tie goes to the first line', () => {
    const rows = [
      row({ procedureCode: '20610', allowedCents: 10_000, multipleProcedureReducible: true }),
      row({ procedureCode: '20611', allowedCents: 15_000, multipleProcedureReducible: true }),
    ];
    const byUnits = expectedAllowed(
      [line({ procedureCode: '20610', units: 2 }), line({ procedureCode: '20611' })],
      rows,
      ctx,
    );
    expect(byUnits.map(cents)).toEqual([20_000, 7_500]);
    const tie = expectedAllowed(
      [line({ procedureCode: '20610' }), line({ procedureCode: '20610' })],
      rows,
      ctx,
    );
    expect(tie.map(cents)).toEqual([10_000, 5_000]);
  });

  it('the reduction percent is a parameter', () => {
    const rows = [row({ procedureCode: '11042', allowedCents: 10_000, multipleProcedureReducible: true })];
    const out = expectedAllowed([line({ procedureCode: '11042' }), line({ procedureCode: '11042' })], rows, {
      ...ctx,
      multipleProcedureReductionPercent: 25,
    });
    expect(out.map(cents)).toEqual([10_000, 2_500]);
    expect(() => expectedAllowed([line()], rows, { ...ctx, multipleProcedureReductionPercent: 101 })).toThrow(
      RangeError,
    );
  });

  it('a single reducible line is paid in full', () => {
    const rows = [row({ multipleProcedureReducible: true })];
    expect(expectedAllowed([line()], rows, ctx)[0]).toMatchObject({
      reduction: 'PRIMARY',
      expectedCents: 10_000,
    });
  });

  it('a line without a contract rate is flagged, never priced as zero, and takes no part in the reduction', () => {
    const rows = [row({ procedureCode: '11042', allowedCents: 10_000, multipleProcedureReducible: true })];
    const out = expectedAllowed(
      [line({ procedureCode: '11042' }), line({ procedureCode: '11099' })],
      rows,
      ctx,
    );
    expect(out[1]).toEqual({ index: 1, noContractRate: true });
    expect(out[0]).toMatchObject({ reduction: 'PRIMARY', expectedCents: 10_000 });
  });

  it('a line whose date of service is outside every row is flagged as without a contract rate', () => {
    const rows = [row({ effectiveFrom: '2025-01-01', effectiveTo: '2025-03-31' })];
    expect(expectedAllowed([line({ dateOfService: '2025-04-01' })], rows, ctx)[0]).toEqual({
      index: 0,
      noContractRate: true,
    });
  });

  it('refuses negative units rather than pricing them', () => {
    expect(() => expectedAllowed([line({ units: -1 })], [row()], ctx)).toThrow(RangeError);
  });
});

describe('compareAllowed: variance = expected - payer allowed, ignored within tolerance', () => {
  const tolerance = { cents: 100, percent: 1 };

  it('a payer allowing $80.00 on a $92.40 contract rate is a $12.40 (1240 cents) underpayment', () => {
    expect(compareAllowed({ expectedCents: 9_240, payerAllowedCents: 8_000, tolerance })).toEqual({
      kind: 'UNDERPAYMENT',
      varianceCents: 1_240,
      toleranceCents: 100,
    });
  });

  it('allowing more than the contract is an overpayment with a negative variance', () => {
    expect(compareAllowed({ expectedCents: 9_240, payerAllowedCents: 10_000, tolerance })).toMatchObject({
      kind: 'OVERPAYMENT',
      varianceCents: -760,
    });
  });

  it('the cents tolerance is a floor: a small line within it is within tolerance, at the boundary too', () => {
    expect(compareAllowed({ expectedCents: 5_000, payerAllowedCents: 4_900, tolerance }).kind).toBe(
      'WITHIN_TOLERANCE',
    );
    expect(compareAllowed({ expectedCents: 5_000, payerAllowedCents: 5_100, tolerance }).kind).toBe(
      'WITHIN_TOLERANCE',
    );
    expect(compareAllowed({ expectedCents: 5_000, payerAllowedCents: 4_899, tolerance }).kind).toBe(
      'UNDERPAYMENT',
    );
  });

  it('the percent tolerance takes over on a large line: 1% of $2,000.00 is $20.00', () => {
    const big = { expectedCents: 200_000, tolerance };
    expect(compareAllowed({ ...big, payerAllowedCents: 198_000 })).toMatchObject({
      kind: 'WITHIN_TOLERANCE',
      toleranceCents: 2_000,
    });
    expect(compareAllowed({ ...big, payerAllowedCents: 197_999 }).kind).toBe('UNDERPAYMENT');
    expect(compareAllowed({ ...big, payerAllowedCents: 202_001 }).kind).toBe('OVERPAYMENT');
  });

  it('the percent tolerance is rounded half up to the cent', () => {
    // 0.5% of 12,345 = 61.725 -> 62
    expect(
      compareAllowed({
        expectedCents: 12_345,
        payerAllowedCents: 12_283,
        tolerance: { cents: 0, percent: 0.5 },
      }),
    ).toMatchObject({ kind: 'WITHIN_TOLERANCE', toleranceCents: 62 });
  });

  it('with zero tolerance any difference counts', () => {
    const zero = { cents: 0, percent: 0 };
    expect(compareAllowed({ expectedCents: 100, payerAllowedCents: 99, tolerance: zero }).kind).toBe(
      'UNDERPAYMENT',
    );
    expect(compareAllowed({ expectedCents: 100, payerAllowedCents: 100, tolerance: zero }).kind).toBe(
      'WITHIN_TOLERANCE',
    );
  });
});

describe('payerAllowedCents: AMT*B6 when given, else paid + patient responsibility', () => {
  const base = {
    paidCents: 6_000,
    adjustments: [
      { group: 'CO' as const, reason: '45', amountCents: 8_000 },
      { group: 'PR' as const, reason: '1', amountCents: 1_500 },
      { group: 'PR' as const, reason: '2', amountCents: 500 },
    ],
  };

  it('uses the payer-reported allowed amount (AMT*B6) when present', () => {
    expect(payerAllowedCents({ ...base, amounts: { B6: 7_777 } })).toBe(7_777);
  });

  it('otherwise adds the PR adjustments to the paid amount, leaving out contractual adjustments', () => {
    expect(payerAllowedCents({ ...base, amounts: {} })).toBe(8_000);
  });
});

describe('properties', () => {
  const code = fc.constantFrom('11042', '11043', '20610', '99213');
  const rows = [
    row({ procedureCode: '11042', allowedCents: 12_345, multipleProcedureReducible: true }),
    row({
      procedureCode: '11043',
      allowedCents: 30_001,
      multipleProcedureReducible: true,
      modifierAdjustments: { '50': 150 },
    }),
    row({
      procedureCode: '20610',
      allowedCents: 9_999,
      multipleProcedureReducible: true,
      modifierAdjustments: { '80': 16 },
    }),
    row({ procedureCode: '99213', allowedCents: 8_765, multipleProcedureReducible: false }),
  ];
  const billed = fc.record({
    procedureCode: code,
    modifiers: fc.subarray(['50', '80', '25']),
    units: fc.oneof(
      fc.integer({ min: 0, max: 50 }),
      fc.integer({ min: 0, max: 200 }).map((n) => n / 4),
    ),
    chargeCents: fc.constant(100_000),
    dateOfService: fc.constant('2025-06-15'),
  });
  const claim = fc.array(billed, { minLength: 1, maxLength: 6 });
  const total = (out: ExpectedLine[], pick: 'expectedCents' | 'beforeReductionCents') =>
    out.reduce((sum, e) => sum + (e.noContractRate ? 0 : e[pick]), 0);

  it('expected is monotone in units: more units never lower a line or the claim', () => {
    fc.assert(
      fc.property(claim, fc.nat({ max: 5 }), fc.integer({ min: 1, max: 20 }), (lines, i, extra) => {
        const at = i % lines.length;
        const more = lines.map((l, j) => (j === at ? { ...l, units: l.units + extra } : l));
        const before = expectedAllowed(lines, rows, ctx);
        const after = expectedAllowed(more, rows, ctx);
        return (
          cents(after[at]) >= cents(before[at]) &&
          total(after, 'expectedCents') >= total(before, 'expectedCents')
        );
      }),
    );
  });

  it("a claim's reduced total never exceeds its unreduced total", () => {
    fc.assert(
      fc.property(claim, fc.integer({ min: 0, max: 100 }), (lines, percent) => {
        const out = expectedAllowed(lines, rows, { ...ctx, multipleProcedureReductionPercent: percent });
        return total(out, 'expectedCents') <= total(out, 'beforeReductionCents');
      }),
    );
  });

  it('at most one reducible line of a claim is paid at 100%', () => {
    fc.assert(
      fc.property(claim, (lines) => {
        const out = expectedAllowed(lines, rows, ctx);
        return out.filter((e) => !e.noContractRate && e.reduction === 'PRIMARY').length <= 1;
      }),
    );
  });

  it('the sign of the variance matches the kind', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 10_000_000 }),
        fc.nat({ max: 10_000_000 }),
        fc.nat({ max: 5_000 }),
        fc.integer({ min: 0, max: 1_000 }).map((n) => n / 100),
        (expectedCents, payerAllowed, tolCents, percent) => {
          const r = compareAllowed({
            expectedCents,
            payerAllowedCents: payerAllowed,
            tolerance: { cents: tolCents, percent },
          });
          if (r.varianceCents !== expectedCents - payerAllowed) return false;
          if (r.kind === 'UNDERPAYMENT') return r.varianceCents > 0 && r.varianceCents > tolCents;
          if (r.kind === 'OVERPAYMENT') return r.varianceCents < 0 && -r.varianceCents > tolCents;
          return Math.abs(r.varianceCents) <= r.toleranceCents;
        },
      ),
    );
  });
});

describe('parseFeeScheduleCsv: a file is accepted whole or refused with every error by row and column', () => {
  const HEADER =
    'procedure_code,modifier,plan_id,allowed,effective_from,effective_to,multiple_procedure_reducible';
  const parse = (text: string) => parseFeeScheduleCsv(text, ctx);
  const errorsOf = (text: string) => {
    const r = parse(text);
    if (r.ok) throw new Error('expected the file to be refused');
    return r.errors;
  };

  it('reads rows into fee schedule rows for the upload payer and practice, empty cells left out', () => {
    const r = parse(`${HEADER}\n99213,,,92.40,2025-01-01,,\n27447,80,GOLD,1500,2025-01-01,2025-12-31,Y\n`);
    expect(r).toEqual({
      ok: true,
      rows: [
        row({ allowedCents: 9_240 }),
        row({
          procedureCode: '27447',
          modifier: '80',
          planId: 'GOLD',
          allowedCents: 150_000,
          effectiveTo: '2025-12-31',
          multipleProcedureReducible: true,
        }),
      ],
    });
  });

  it('the example of docs/fee-schedules.md is accepted', () => {
    const doc = readFileSync(new URL('../../../docs/fee-schedules.md', import.meta.url), 'utf8');
    const example = /```csv\n([\s\S]*?)```/.exec(doc)?.[1];
    const r = parse(example ?? '');
    expect(r.ok && r.rows.map((x) => [x.procedureCode, x.allowedCents, x.planId])).toEqual([
      ['99213', 9_240, undefined],
      ['99213', 9_510, undefined],
      ['99213', 10_100, 'PPO, "Gold"'],
      ['71046', 1_235, undefined],
      ['11042', 12_000, undefined],
    ]);
  });

  it('accepts columns in any order, a UTF-8 BOM, CRLF line endings and blank trailing lines', () => {
    const text =
      '\uFEFFallowed,procedure_code,effective_from,modifier,plan_id,effective_to,multiple_procedure_reducible\r\n' +
      '0.07,G0008,2025-01-01,,,,N\r\n\r\n\r\n';
    expect(parse(text)).toEqual({ ok: true, rows: [row({ procedureCode: 'G0008', allowedCents: 7 })] });
  });

  it('quoted fields may hold commas, doubled quotes and line breaks; rows are numbered by file line', () => {
    const text = `${HEADER}\n99213,,"PPO, ""Gold""",10,2025-01-01,,N\n99214,,"two\nlines",10,2025-01-01,,N\n99215,,,x,2025-01-01,,N\n`;
    const r = parse(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    // The line break is read inside its field (and refused in a plan id); it puts 99215 on file line 5.
    expect(r.errors).toEqual([
      { row: 3, column: 'plan_id', message: expect.stringContaining('line break') },
      { row: 5, column: 'allowed', message: expect.stringContaining('"x"') },
    ]);
    const good = parse(`${HEADER}\n99213,,"PPO, ""Gold""",10,2025-01-01,,N\n`);
    expect(good.ok && good.rows[0]?.planId).toBe('PPO, "Gold"');
  });

  it('names missing, unknown and duplicate header columns on row 1', () => {
    const errors = errorsOf(
      'procedure_code,modifier,modifier,price,effective_from,effective_to\n99213,,,,,\n',
    );
    expect(errors.map((e) => [e.row, e.column])).toEqual([
      [1, 'modifier'],
      [1, 'price'],
      [1, 'plan_id'],
      [1, 'allowed'],
      [1, 'multiple_procedure_reducible'],
    ]);
    expect(errors[1]?.message).toContain('unknown column "price"');
    expect(errors[0]?.message).toContain('more than once');
    expect(errors[2]?.message).toContain('missing');
  });

  it('refuses an empty file and a header without rates', () => {
    expect(errorsOf('')).toEqual([{ row: 1, message: expect.stringContaining('empty') }]);
    expect(errorsOf('\uFEFF\r\n')).toHaveLength(1);
    expect(errorsOf(`${HEADER}\r\n`)).toEqual([{ row: 1, message: expect.stringContaining('no rates') }]);
  });

  it.each([
    ['procedure_code', '9921,,,10,2025-01-01,,N', 'not a CPT or HCPCS code'],
    ['procedure_code', '99213x,,,10,2025-01-01,,N', 'not a CPT or HCPCS code'],
    ['procedure_code', 'j1100,,,10,2025-01-01,,N', 'not a CPT or HCPCS code'],
    ['procedure_code', ',,,10,2025-01-01,,N', 'required'],
    ['modifier', '99213,5,,10,2025-01-01,,N', 'not a modifier'],
    ['modifier', '99213,26X,,10,2025-01-01,,N', 'not a modifier'],
    ['allowed', '99213,,,-10.00,2025-01-01,,N', 'negative'],
    ['allowed', '99213,,,10.005,2025-01-01,,N', 'more than 2 decimals'],
    ['allowed', '99213,,,$10,2025-01-01,,N', 'not an amount'],
    ['allowed', '99213,,,"1,000.00",2025-01-01,,N', 'not an amount'],
    ['allowed', '99213,,,ten,2025-01-01,,N', 'not an amount'],
    ['allowed', '99213,,,,2025-01-01,,N', 'required'],
    ['effective_from', '99213,,,10,2025-02-30,,N', 'not a date'],
    ['effective_from', '99213,,,10,01/02/2025,,N', 'not a date'],
    ['effective_from', '99213,,,10,,,N', 'required'],
    ['effective_to', '99213,,,10,2025-01-01,2025-13-01,N', 'not a date'],
    ['effective_to', '99213,,,10,2025-06-01,2025-05-31,N', 'before effective_from'],
    ['multiple_procedure_reducible', '99213,,,10,2025-01-01,,yes', 'not Y or N'],
    ['plan_id', `99213,,${'P'.repeat(51)},10,2025-01-01,,N`, 'longer than 50'],
  ])('refuses a bad %s and names row 2 and the column: %s', (column, data, message) => {
    const errors = errorsOf(`${HEADER}\n${data}\n`);
    expect(errors).toEqual([{ row: 2, column, message: expect.stringContaining(message) }]);
  });

  it('an effective_to equal to effective_from is a one-day rate, accepted', () => {
    expect(parse(`${HEADER}\n99213,,,10,2025-06-01,2025-06-01,N\n`).ok).toBe(true);
  });

  it('collects every error of every row, in file order, instead of stopping at the first', () => {
    const errors = errorsOf(
      `${HEADER}\n9921,5,,-1,2025-01-01,,N\n99213,,,10,2025-01-01,,\n99214,,,1.234,bad,,Q\n`,
    );
    expect(errors.map((e) => `${e.row}:${e.column}`)).toEqual([
      '2:procedure_code',
      '2:modifier',
      '2:allowed',
      '4:allowed',
      '4:effective_from',
      '4:multiple_procedure_reducible',
    ]);
  });

  it('refuses overlapping effective ranges of one procedure/modifier/plan and names the later row', () => {
    const text = [
      HEADER,
      '99213,,,90,2024-01-01,2024-12-31,N',
      '99213,,,95,2025-01-01,,N',
      '99213,25,,99,2025-01-01,,N',
      '99213,,GOLD,99,2025-01-01,,N',
      '99213,,,97,2025-06-01,2025-12-31,N',
      '99213,,,91,2024-12-31,2024-12-31,N',
    ].join('\n');
    const errors = errorsOf(text);
    expect(errors).toEqual([
      { row: 6, column: 'effective_from', message: expect.stringContaining('overlaps row 3') },
      { row: 7, column: 'effective_from', message: expect.stringContaining('overlaps row 2') },
    ]);
    expect(errors[0]?.message).toContain('99213, no modifier, all plans');
  });

  it('adjacent ranges (one ends the day before the next begins) do not overlap', () => {
    const text = `${HEADER}\n99213,,,90,2024-01-01,2024-12-31,N\n99213,,,95,2025-01-01,,N\n`;
    expect(parse(text).ok).toBe(true);
  });

  it('a row with the wrong number of fields is refused as a whole', () => {
    expect(errorsOf(`${HEADER}\n99213,,,10,2025-01-01,N\n`)).toEqual([
      { row: 2, message: 'the row has 6 fields; the header has 7' },
    ]);
  });

  it('refuses stray and unclosed quotes', () => {
    expect(errorsOf(`${HEADER}\n99213,,PP"O,10,2025-01-01,,N\n`)).toEqual([
      { row: 2, message: expect.stringContaining('quote inside an unquoted field') },
    ]);
    expect(errorsOf(`${HEADER}\n99213,,"PPO"x,10,2025-01-01,,N\n`)).toEqual([
      { row: 2, message: expect.stringContaining('closing quote') },
    ]);
    expect(errorsOf(`${HEADER}\n99213,,"PPO,10,2025-01-01,,N\n99214,,,10,2025-01-01,,N\n`)).toEqual([
      { row: 2, message: expect.stringContaining('not closed') },
    ]);
  });

  it(`reports at most ${MAX_CSV_ERRORS} errors and says more were found`, () => {
    const rows = Array.from({ length: 150 }, () => 'BAD,,,10,2025-01-01,,N');
    const r = parse([HEADER, ...rows].join('\n'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(MAX_CSV_ERRORS);
    expect(r.truncated).toBe(true);
  });

  it('parse(format(rows)) gives the rows back', () => {
    const code = fc.stringMatching(/^[A-Z0-9]{5}$/);
    const date = fc
      .integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) })
      .map((ms) => new Date(ms).toISOString().slice(0, 10));
    const planId = fc
      .string({ minLength: 1, maxLength: 20 })
      .filter((s) => s.trim() === s && !/\p{Cc}/u.test(s));
    const arbRow = fc
      .record({
        procedureCode: code,
        modifier: fc.option(fc.stringMatching(/^[A-Z0-9]{2}$/), { nil: undefined }),
        planId: fc.option(planId, { nil: undefined }),
        allowedCents: fc.nat({ max: 100_000_000 }),
        effectiveFrom: date,
        days: fc.option(fc.nat({ max: 4_000 }), { nil: undefined }),
        multipleProcedureReducible: fc.boolean(),
      })
      .map(({ days, modifier, planId, ...r }): FeeScheduleRow => {
        const out: FeeScheduleRow = { payerId: PAYER, practiceId: PRACTICE, ...r };
        if (modifier !== undefined) out.modifier = modifier;
        if (planId !== undefined) out.planId = planId;
        if (days !== undefined) {
          out.effectiveTo = new Date(Date.parse(r.effectiveFrom) + days * 86_400_000)
            .toISOString()
            .slice(0, 10);
        }
        return out;
      });
    // One row per procedure/modifier/plan, so that no two rows overlap.
    const rows = fc.uniqueArray(arbRow, {
      minLength: 1,
      maxLength: 20,
      selector: (r) => `${r.procedureCode}|${r.modifier ?? ''}|${r.planId ?? ''}`,
    });
    fc.assert(
      fc.property(rows, (rs) => {
        expect(parse(formatFeeScheduleCsv(rs))).toEqual({ ok: true, rows: rs });
      }),
    );
  });
});
