/**
 * Contracted rates (fee schedules) and the expected allowed amount of a claim's service lines, so that
 * an underpayment (the payer allowed less than the contract says) can be told from a correct payment.
 * The arithmetic is documented in docs/fee-schedules.md; this file is its only implementation.
 *
 * All money is integer cents. Every multiplication is done exactly (BigInt on decimal ratios, never
 * floating point) and rounded once per step, half up, to whole cents.
 */
import type { Cents } from './money.js';
import type { ServiceLine } from './x12/model.js';

/**
 * One contracted rate: what `payerId` agreed to allow `practiceId` for a procedure code, over a range
 * of dates of service. Rates are data with effective dates because contracts are renegotiated: a claim
 * is priced with the row in force on its date of service, not the row in force today.
 */
export interface FeeScheduleRow {
  payerId: string;
  practiceId: string;
  /** The payer's plan (product) the rate is for; undefined means every plan of the payer. */
  planId?: string;
  /** CPT or HCPCS Level II code, 5 characters. */
  procedureCode: string;
  /**
   * The modifier the rate is for (e.g. `26` professional component priced apart from the global code);
   * undefined means the rate applies whatever the line's modifiers are.
   */
  modifier?: string;
  /** The allowed amount for one unit at 100%, in cents. */
  allowedCents: Cents;
  /** First date of service the rate applies to, `YYYY-MM-DD`, inclusive. */
  effectiveFrom: string;
  /** Last date of service the rate applies to, `YYYY-MM-DD`, inclusive; undefined means open-ended. */
  effectiveTo?: string;
  /**
   * Whether the code is subject to the multiple-procedure reduction: when several such procedures are
   * done in one session, payers pay the costliest in full and the others at a reduced percent, because
   * the pre- and post-service work is shared (see `expectedAllowed`).
   */
  multipleProcedureReducible: boolean;
  /**
   * Percent of the allowed amount paid when the line carries a modifier, e.g. `{ '50': 150 }`
   * (bilateral: both sides at 150%), `{ '80': 16 }` (assistant surgeon at 16%), `{ '51': 50 }`.
   */
  modifierAdjustments?: Readonly<Record<string, number>>;
}

/** What a rate is looked up by: the claim's payer, practice and plan, and one service line. */
export interface RateQuery {
  payerId: string;
  practiceId: string;
  /** The patient's plan; rows for a specific plan only match when it is given and equal. */
  planId?: string;
  procedureCode: string;
  /** The line's modifiers in billed order (the pricing modifier first, by billing convention). */
  modifiers: readonly string[];
  /** `YYYY-MM-DD`. */
  dateOfService: string;
}

/**
 * The contracted rate in force for a service line, or undefined when the contract has none.
 *
 * A row matches when payer, practice and procedure code are equal, the date of service lies within
 * `effectiveFrom..effectiveTo` (both inclusive: a rate effective to 2025-12-31 still prices a visit on
 * 2025-12-31), its plan is absent or equal to the query's, and its modifier is absent or one of the
 * line's modifiers. Of the matching rows the most specific wins, because a contract's exceptions are
 * written as narrower rows over a general one:
 *  1. a plan-specific row over an all-plans row (a plan's own schedule replaces the payer's default);
 *  2. then a modifier-specific row over a no-modifier row;
 *  3. then, between modifier-specific rows, the one whose modifier comes first on the line;
 *  4. then the latest `effectiveFrom` (a newer row that overlaps an older one supersedes it).
 */
export function findRate(rows: readonly FeeScheduleRow[], q: RateQuery): FeeScheduleRow | undefined {
  let best: FeeScheduleRow | undefined;
  let bestRank: readonly [number, number, number, string] | undefined;
  for (const row of rows) {
    if (row.payerId !== q.payerId || row.practiceId !== q.practiceId) continue;
    if (row.procedureCode !== q.procedureCode) continue;
    if (q.dateOfService < row.effectiveFrom) continue;
    if (row.effectiveTo !== undefined && q.dateOfService > row.effectiveTo) continue;
    if (row.planId !== undefined && row.planId !== q.planId) continue;
    const modifierPosition = row.modifier === undefined ? -1 : q.modifiers.indexOf(row.modifier);
    if (row.modifier !== undefined && modifierPosition < 0) continue;
    const rank = [
      row.planId === undefined ? 0 : 1,
      row.modifier === undefined ? 0 : 1,
      // Earlier on the line ranks higher.
      row.modifier === undefined ? 0 : -modifierPosition,
      row.effectiveFrom,
    ] as const;
    if (bestRank === undefined || compareRank(rank, bestRank) > 0) {
      best = row;
      bestRank = rank;
    }
  }
  return best;
}

function compareRank(
  a: readonly [number, number, number, string],
  b: readonly [number, number, number, string],
): number {
  for (let i = 0; i < 3; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a[3] < b[3] ? -1 : a[3] > b[3] ? 1 : 0;
}

/** A service line as billed on the claim (837 SV1/SV2), the input of `expectedAllowed`. */
export interface BilledServiceLine {
  procedureCode: string;
  modifiers: readonly string[];
  /** Units of service; may be fractional (drug units, time units), never negative. */
  units: number;
  /** The billed charge. Carried for the report; the contract arithmetic does not use it. */
  chargeCents: Cents;
  /** `YYYY-MM-DD`. */
  dateOfService: string;
}

/** The claim-level facts the lines are priced under. */
export interface PricingContext {
  payerId: string;
  practiceId: string;
  planId?: string;
  /**
   * Percent of the expected amount paid for every reducible line but the costliest one. Defaults to
   * 50, the usual commercial and Medicare rule for surgical procedures in one session.
   */
  multipleProcedureReductionPercent?: number;
}

/** The default multiple-procedure reduction: secondary reducible procedures at 50%. */
export const DEFAULT_MULTIPLE_PROCEDURE_PERCENT = 50;

/** How the multiple-procedure reduction treated a priced line. */
export type ReductionRole = 'NOT_REDUCIBLE' | 'PRIMARY' | 'REDUCED';

/** The expected allowed amount of one service line, with every step of the arithmetic shown. */
export type ExpectedLine =
  | {
      /** Position of the line in the input (0-based). */
      index: number;
      /**
       * No row of the contract prices this line. The line must be priced by a person: treating it as
       * zero would report every payment of it as an overpayment.
       */
      noContractRate: true;
    }
  | {
      index: number;
      noContractRate: false;
      rate: FeeScheduleRow;
      /** Step 1: `rate.allowedCents x units`, rounded. */
      baseCents: Cents;
      /** The modifier percents applied in step 2, in line order. */
      modifierPercents: { modifier: string; percent: number }[];
      /** Step 2: `baseCents` x every modifier percent / 100, rounded once: the amount at 100%. */
      beforeReductionCents: Cents;
      reduction: ReductionRole;
      /** Step 3: the expected allowed amount, after the multiple-procedure reduction, rounded. */
      expectedCents: Cents;
    };

/**
 * The expected allowed amount of each service line of one claim under the contract.
 *
 * Order of operations, each step exact and then rounded half up to whole cents:
 *  1. `base = rate x units`, the rate being `findRate` for the line (the row in force on its date of
 *     service, most specific first);
 *  2. `beforeReduction = base x p1/100 x p2/100 ...` for each of the line's modifiers that the row's
 *     `modifierAdjustments` lists, except the row's own modifier (its rate already prices it);
 *  3. the multiple-procedure reduction: among the claim's priced lines whose row is reducible, the one
 *     with the highest `beforeReduction` is paid at 100% (on a tie, the first on the claim) and every
 *     other reducible line at `multipleProcedureReductionPercent` (default 50). Lines that are not
 *     reducible keep 100%. The reduction is per line, not per unit.
 *
 * A line no row prices is returned as `{ noContractRate: true }` and takes no part in the ranking.
 * Throws RangeError on negative units, a negative rate or percent, or a reduction percent above 100.
 */
export function expectedAllowed(
  lines: readonly BilledServiceLine[],
  rows: readonly FeeScheduleRow[],
  ctx: PricingContext,
): ExpectedLine[] {
  const reductionPercent = ctx.multipleProcedureReductionPercent ?? DEFAULT_MULTIPLE_PROCEDURE_PERCENT;
  if (!(reductionPercent >= 0 && reductionPercent <= 100)) {
    throw new RangeError(`multiple-procedure reduction percent ${reductionPercent} is not within 0..100`);
  }
  const priced = lines.map((line, index) => {
    if (!(line.units >= 0)) throw new RangeError(`line ${index + 1}: units ${line.units} is negative`);
    const rate = findRate(rows, {
      payerId: ctx.payerId,
      practiceId: ctx.practiceId,
      planId: ctx.planId,
      procedureCode: line.procedureCode,
      modifiers: line.modifiers,
      dateOfService: line.dateOfService,
    });
    if (rate === undefined) return { index, noContractRate: true as const };
    if (!(rate.allowedCents >= 0) || !Number.isSafeInteger(rate.allowedCents)) {
      throw new RangeError(`rate for ${rate.procedureCode} is not a non-negative whole number of cents`);
    }
    const baseCents = multiplyRounded(rate.allowedCents, [ratio(line.units)]);
    const modifierPercents: { modifier: string; percent: number }[] = [];
    for (const modifier of line.modifiers) {
      if (modifier === rate.modifier) continue;
      const percent = rate.modifierAdjustments?.[modifier];
      if (percent === undefined) continue;
      if (!(percent >= 0)) throw new RangeError(`modifier ${modifier} percent ${percent} is negative`);
      modifierPercents.push({ modifier, percent });
    }
    const beforeReductionCents = multiplyRounded(
      baseCents,
      modifierPercents.map((m) => percentRatio(m.percent)),
    );
    return { index, noContractRate: false as const, rate, baseCents, modifierPercents, beforeReductionCents };
  });

  let primary: number | undefined;
  for (const p of priced) {
    if (p.noContractRate || !p.rate.multipleProcedureReducible) continue;
    const best = primary === undefined ? undefined : priced[primary];
    if (best === undefined || best.noContractRate || p.beforeReductionCents > best.beforeReductionCents) {
      primary = p.index;
    }
  }

  return priced.map((p): ExpectedLine => {
    if (p.noContractRate) return p;
    if (!p.rate.multipleProcedureReducible) {
      return { ...p, reduction: 'NOT_REDUCIBLE', expectedCents: p.beforeReductionCents };
    }
    if (p.index === primary) return { ...p, reduction: 'PRIMARY', expectedCents: p.beforeReductionCents };
    return {
      ...p,
      reduction: 'REDUCED',
      expectedCents: multiplyRounded(p.beforeReductionCents, [percentRatio(reductionPercent)]),
    };
  });
}

/** How far an expected amount may differ from the payer's before it is worth working. */
export interface Tolerance {
  /** An absolute floor, in cents: differences up to this are ignored however small the line. */
  cents: Cents;
  /** A share of the expected amount, in percent (may be fractional, e.g. 0.5). */
  percent: number;
}

/** The verdict on one line (or claim): underpaid, overpaid, or close enough. */
export interface AllowedComparison {
  kind: 'UNDERPAYMENT' | 'OVERPAYMENT' | 'WITHIN_TOLERANCE';
  /** `expected - payerAllowed`: positive means the payer allowed less than the contract (underpaid). */
  varianceCents: Cents;
  /** The tolerance applied: `max(tolerance.cents, round(expected x percent / 100))`. */
  toleranceCents: Cents;
}

/**
 * Compares the contract's expected allowed amount with what the payer allowed.
 *
 * `varianceCents = expected - payerAllowed`. The difference is ignored (`WITHIN_TOLERANCE`) when
 * `|variance| <= max(tolerance.cents, round(expected x tolerance.percent / 100))`, rounded half up:
 * chasing a few cents costs more than it recovers, and payers' own rounding differs from ours. Beyond
 * that a positive variance is an `UNDERPAYMENT` (worth a reprocessing request or appeal) and a
 * negative one an `OVERPAYMENT` (a refund the payer may recoup later).
 */
export function compareAllowed(input: {
  expectedCents: Cents;
  payerAllowedCents: Cents;
  tolerance: Tolerance;
}): AllowedComparison {
  const { expectedCents, payerAllowedCents, tolerance } = input;
  const varianceCents = expectedCents - payerAllowedCents;
  const toleranceCents = Math.max(
    tolerance.cents,
    multiplyRounded(Math.abs(expectedCents), [percentRatio(tolerance.percent)]),
  );
  if (Math.abs(varianceCents) <= toleranceCents) {
    return { kind: 'WITHIN_TOLERANCE', varianceCents, toleranceCents };
  }
  return { kind: varianceCents > 0 ? 'UNDERPAYMENT' : 'OVERPAYMENT', varianceCents, toleranceCents };
}

/**
 * What the payer allowed for an 835 service line: its `AMT*B6` (allowed actual) when the payer sent
 * one, since that is the payer's own figure; otherwise the amount paid plus the patient
 * responsibility (the line's CAS group PR adjustments: deductible, coinsurance, copay), which is what
 * the allowed amount is split into. Contractual (CO) and other adjustments are what was not allowed,
 * so they are left out.
 */
export function payerAllowedCents(line: Pick<ServiceLine, 'amounts' | 'paidCents' | 'adjustments'>): Cents {
  const b6 = line.amounts['B6'];
  if (b6 !== undefined) return b6;
  let allowed = line.paidCents;
  for (const a of line.adjustments) if (a.group === 'PR') allowed += a.amountCents;
  return allowed;
}

/** An exact non-negative decimal as numerator / denominator. */
interface Ratio {
  num: bigint;
  den: bigint;
}

/** A finite number written in plain decimal (not exponent) notation, as an exact ratio. */
function ratio(n: number): Ratio {
  const text = String(n);
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new RangeError(`${text} is not a plain decimal number`);
  const frac = m[3] ?? '';
  const num = BigInt((m[2] ?? '0') + frac) * (m[1] === '-' ? -1n : 1n);
  return { num, den: 10n ** BigInt(frac.length) };
}

function percentRatio(percent: number): Ratio {
  const r = ratio(percent);
  return { num: r.num, den: r.den * 100n };
}

/** `cents x f1 x f2 ...` exactly, rounded once, half up (toward +infinity on exactly half a cent). */
function multiplyRounded(cents: Cents, factors: readonly Ratio[]): Cents {
  let num = BigInt(cents);
  let den = 1n;
  for (const f of factors) {
    num *= f.num;
    den *= f.den;
  }
  return Number(floorDiv(2n * num + den, 2n * den));
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** What the contract comparison of one posting found, for the claim as a whole after the posting. */
export interface ContractCheck {
  /**
   * `UNDERPAYMENT`/`OVERPAYMENT`/`WITHIN_TOLERANCE`: the priced lines compared; `NO_CONTRACT_RATE`:
   * lines were allowed but no rate prices any of them; `NOT_CHECKED`: nothing allowed to compare
   * (a denial, a reversal awaiting its repost, a claim-level-only remittance).
   */
  kind: AllowedComparison['kind'] | 'NO_CONTRACT_RATE' | 'NOT_CHECKED';
  /** Sum over the priced lines; 0 when none was priced. */
  expectedCents: Cents;
  payerAllowedCents: Cents;
  /** `expected - payerAllowed` over the priced lines: positive means underpaid. */
  varianceCents: Cents;
  toleranceCents: Cents;
  /** Billed line numbers that were allowed but have no contract rate: counted, never passed silently. */
  noContractRateLines: number[];
  lines: {
    lineNumber: number;
    procedureCode: string;
    payerAllowedCents: Cents;
    /** Absent when the line has no contract rate. */
    expectedCents?: Cents;
  }[];
}

/**
 * Prices a claim's billed lines against the contract and compares them with what the payer allowed,
 * summed over every posting of the claim so far (`payerAllowedByLine`, reversals negative), so that a
 * reversal and repost, or a supplemental payment, is judged on the net result.
 *
 * Only lines the payer allowed something for (net allowed above zero) are compared: a line allowed
 * nothing is a denial, and denials are worked on their own path. The multiple-procedure ranking runs
 * over the compared lines.
 */
export function checkContract(input: {
  billed: readonly (BilledServiceLine & { lineNumber: number })[];
  payerAllowedByLine: ReadonlyMap<number, Cents>;
  rows: readonly FeeScheduleRow[];
  ctx: PricingContext;
  tolerance: Tolerance;
}): ContractCheck {
  const compared = input.billed.filter((l) => (input.payerAllowedByLine.get(l.lineNumber) ?? 0) > 0);
  const empty = { expectedCents: 0, payerAllowedCents: 0, varianceCents: 0, toleranceCents: 0 };
  if (compared.length === 0) return { kind: 'NOT_CHECKED', ...empty, noContractRateLines: [], lines: [] };
  const priced = expectedAllowed(compared, input.rows, input.ctx);
  let expectedCents = 0;
  let payerAllowed = 0;
  const noContractRateLines: number[] = [];
  const lines = compared.map((line, i) => {
    const allowed = input.payerAllowedByLine.get(line.lineNumber) ?? 0;
    const p = priced[i]!;
    if (p.noContractRate) {
      noContractRateLines.push(line.lineNumber);
      return { lineNumber: line.lineNumber, procedureCode: line.procedureCode, payerAllowedCents: allowed };
    }
    expectedCents += p.expectedCents;
    payerAllowed += allowed;
    return {
      lineNumber: line.lineNumber,
      procedureCode: line.procedureCode,
      payerAllowedCents: allowed,
      expectedCents: p.expectedCents,
    };
  });
  if (noContractRateLines.length === compared.length) {
    return { kind: 'NO_CONTRACT_RATE', ...empty, noContractRateLines, lines };
  }
  const verdict = compareAllowed({
    expectedCents,
    payerAllowedCents: payerAllowed,
    tolerance: input.tolerance,
  });
  return {
    kind: verdict.kind,
    expectedCents,
    payerAllowedCents: payerAllowed,
    varianceCents: verdict.varianceCents,
    toleranceCents: verdict.toleranceCents,
    noContractRateLines,
    lines,
  };
}
