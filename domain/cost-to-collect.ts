/**
 * Cost to collect (docs/cost-to-collect.md): what working a practice's claims costs it, in staff time
 * and clearinghouse fees, set against what it collected; and the net value of working a denial, so a
 * queue can rank denials by what they are worth after their cost.
 *
 * Staff time is priced at standard minutes per action type, not measured: the console does not record
 * how long a biller had a claim open before deciding, so every decision of a type costs the same. The
 * rates are practice settings; `DEFAULT_COST_SETTINGS` holds the defaults a practice starts with.
 *
 * All money is integer cents. The one division (minutes of an hourly rate) is done exactly on
 * integers and rounded once, half up, per priced unit (one claim in one month), so every total of the
 * report is a plain sum of those units and a payer's total is exactly the sum of its claims.
 */
import { type DenialCategory, ruleFor } from './carc.js';
import type { Cents } from './money.js';

/** The kinds of staff work priced at standard minutes. */
export const STAFF_ACTIONS = ['decision', 'appeal', 'note', 'assignment'] as const;
export type StaffAction = (typeof STAFF_ACTIONS)[number];

/** The payer transactions a clearinghouse charges for. */
export const TRANSACTIONS = ['submission', 'statusInquiry', 'appeal', 'era'] as const;
export type Transaction = (typeof TRANSACTIONS)[number];

/** What a practice's work costs it: one hourly rate for staff, minutes per action, a fee per transaction. */
export interface CostSettings {
  /** The loaded hourly cost of a biller (wage and overhead), in cents. */
  hourlyRateCents: Cents;
  /** Standard whole minutes a person spends on one action of each type. */
  standardMinutes: Readonly<Record<StaffAction, number>>;
  /** The clearinghouse fee of one transaction of each type, in cents. */
  transactionFeesCents: Readonly<Record<Transaction, Cents>>;
}

/**
 * Defaults until a practice sets its own: a biller at $25/h; 5 minutes for a decision (a correction, a
 * write-off, a transfer to the patient, a recorded appeal decision, a hold, a payment plan), 15 for an
 * appeal (grounds and attachments), 2 for a note, 1 for an assignment; clearinghouse fees of 35 cents a
 * claim submission, 25 a status inquiry (276/277), 150 an appeal and 10 an ERA claim posting. They are
 * typical of small practices and per-transaction clearinghouse plans, not anyone's contract: a practice
 * replaces them with its own.
 */
export const DEFAULT_COST_SETTINGS: CostSettings = {
  hourlyRateCents: 2_500,
  standardMinutes: { decision: 5, appeal: 15, note: 2, assignment: 1 },
  transactionFeesCents: { submission: 35, statusInquiry: 25, appeal: 150, era: 10 },
};

/** Bounds a setting is checked against: beyond them a value is a typing mistake, not a rate. */
export const COST_LIMITS = {
  maxHourlyRateCents: 100_000,
  maxStandardMinutes: 480,
  maxTransactionFeeCents: 10_000,
} as const;

/** One setting that is out of bounds: the field and why. */
export interface CostSettingsError {
  field: string;
  message: string;
}

function wholeIn(value: unknown, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max;
}

/** Every field of `s` that is not a whole number within `COST_LIMITS`; empty when the settings are usable. */
export function costSettingsErrors(s: CostSettings): CostSettingsError[] {
  const errors: CostSettingsError[] = [];
  if (!wholeIn(s.hourlyRateCents, COST_LIMITS.maxHourlyRateCents))
    errors.push({
      field: 'hourlyRateCents',
      message: `must be whole cents from 0 to ${COST_LIMITS.maxHourlyRateCents}`,
    });
  for (const a of STAFF_ACTIONS)
    if (!wholeIn(s.standardMinutes[a], COST_LIMITS.maxStandardMinutes))
      errors.push({
        field: `standardMinutes.${a}`,
        message: `must be whole minutes from 0 to ${COST_LIMITS.maxStandardMinutes}`,
      });
  for (const t of TRANSACTIONS)
    if (!wholeIn(s.transactionFeesCents[t], COST_LIMITS.maxTransactionFeeCents))
      errors.push({
        field: `transactionFeesCents.${t}`,
        message: `must be whole cents from 0 to ${COST_LIMITS.maxTransactionFeeCents}`,
      });
  return errors;
}

/** How many of each priced action and transaction one unit (a claim in a month) had. */
export interface ActionCounts {
  staff: Readonly<Record<StaffAction, number>>;
  transactions: Readonly<Record<Transaction, number>>;
}

export const NO_ACTIONS: ActionCounts = {
  staff: { decision: 0, appeal: 0, note: 0, assignment: 0 },
  transactions: { submission: 0, statusInquiry: 0, appeal: 0, era: 0 },
};

/** The cost of one unit of work, split so the report can say where the money went. */
export interface PricedCost {
  staffMinutes: number;
  staffCents: Cents;
  feeCents: Cents;
  costCents: Cents;
}

/**
 * Cents of `minutes` at `hourlyRateCents`, rounded half up: minutes x rate / 60 computed on integers
 * (`floor((2 x minutes x rate + 60) / 120)`), so 5 minutes at $25/h is exactly 208 cents (208.33...).
 */
export function staffCents(minutes: number, hourlyRateCents: Cents): Cents {
  return Math.floor((2 * minutes * hourlyRateCents + 60) / 120);
}

/**
 * The cost of one unit: staff minutes (sum of count x standard minutes per action) priced once at the
 * hourly rate, plus each transaction's count x fee. Minutes are summed before pricing so the rounding
 * happens once per unit, not once per action.
 */
export function priceActions(counts: ActionCounts, s: CostSettings): PricedCost {
  let minutes = 0;
  for (const a of STAFF_ACTIONS) minutes += counts.staff[a] * s.standardMinutes[a];
  let fees = 0;
  for (const t of TRANSACTIONS) fees += counts.transactions[t] * s.transactionFeesCents[t];
  const staff = staffCents(minutes, s.hourlyRateCents);
  return { staffMinutes: minutes, staffCents: staff, feeCents: fees, costCents: staff + fees };
}

/** Adds priced units: group totals (payer, category, month, period) are exactly these sums. */
export function addCosts(a: PricedCost, b: PricedCost): PricedCost {
  return {
    staffMinutes: a.staffMinutes + b.staffMinutes,
    staffCents: a.staffCents + b.staffCents,
    feeCents: a.feeCents + b.feeCents,
    costCents: a.costCents + b.costCents,
  };
}

export const ZERO_COST: PricedCost = { staffMinutes: 0, staffCents: 0, feeCents: 0, costCents: 0 };

/**
 * Cost per dollar collected: cents spent per 100 cents collected, as a plain ratio rounded to 4
 * decimals (0.0512 = 5.12 cents of cost per dollar). Null when nothing was collected: a cost with no
 * collection has no ratio, and a division by zero would hide that.
 */
export function costPerDollarCollected(costCents: Cents, collectedCents: Cents): number | null {
  if (collectedCents <= 0) return null;
  return Math.round((costCents / collectedCents) * 10_000) / 10_000;
}

/** Fewer decided appeals than this (for a category and payer) are too few to trust as a rate. */
export const MIN_DECIDED_APPEALS = 10;

/** Decided appeals of one category with one payer, from the practice's own history. */
export interface AppealHistory {
  decided: number;
  overturned: number;
}

/** The overturn rate used for a denial, and where it came from. */
export interface OverturnRate {
  rate: number;
  basis: 'history' | 'category';
  decided: number;
}

/**
 * The chance that working a denial of `category` with this payer recovers it: the practice's own
 * overturn rate (overturned / decided appeals) once it has at least `MIN_DECIDED_APPEALS` decided
 * appeals for the pair, otherwise the category's typical recoverability (domain/carc.ts), because a
 * rate from three appeals says more about luck than about the payer.
 */
export function overturnRate(category: DenialCategory, history: AppealHistory | undefined): OverturnRate {
  const decided = history?.decided ?? 0;
  if (history && decided >= MIN_DECIDED_APPEALS) {
    return { rate: Math.round((history.overturned / decided) * 10_000) / 10_000, basis: 'history', decided };
  }
  return { rate: ruleFor(category).recoverability, basis: 'category', decided };
}

/**
 * What working one more denial is expected to cost: the standard work of an appeal (its staff minutes
 * at the hourly rate and the appeal fee) plus the ERA that would carry the payment. This is the work
 * still ahead, not the work already done: spent cost does not change whether the next step is worth it.
 */
export function denialWorkCostCents(s: CostSettings): Cents {
  return (
    staffCents(s.standardMinutes.appeal, s.hourlyRateCents) +
    s.transactionFeesCents.appeal +
    s.transactionFeesCents.era
  );
}

/**
 * Net value of working a denial: recoverable amount x overturn rate - cost of the work, in cents
 * (the expected recovery rounded half up to a cent; a negative amount recovers nothing). Negative means the work is expected to cost more
 * than it brings: such a denial is a write-off candidate, not a queue leader.
 */
export function netValueOfWorking(recoverableCents: Cents, rate: number, workCostCents: Cents): Cents {
  // Rates carry 4 decimals: as basis points the product stays an exact integer.
  const basisPoints = Math.round(rate * 10_000);
  const expected = Math.floor((2 * Math.max(0, recoverableCents) * basisPoints + 10_000) / 20_000);
  return expected - workCostCents;
}

/** One claim's priced work and collections in one month (UTC) of the report period. */
export interface CostUnit {
  claimUuid: string;
  claimId: string;
  payerId: string;
  /** The category of the claim's first denial; null for a claim never denied. */
  category: DenialCategory | null;
  /** The amount of the claim's first denial; null for a claim never denied. */
  deniedCents: Cents | null;
  /** `YYYY-MM`. */
  month: string;
  counts: ActionCounts;
  /** Payer postings (reversals negative) plus patient payments in the month. */
  collectedCents: Cents;
}

export const COST_GROUPINGS = ['claim', 'payer', 'category', 'month'] as const;
export type CostGrouping = (typeof COST_GROUPINGS)[number];

/** The denial side of a report row: what working its denials is expected to bring. */
export interface DenialValue {
  deniedClaims: number;
  deniedCents: Cents;
  expectedRecoveryCents: Cents;
  workCostCents: Cents;
  netValueCents: Cents;
}

/** One row of the report: a claim, a payer, a denial category or a month. */
export interface CostReportRow {
  /** The claim's uuid, the payer id, the category (null: never denied) or the month. */
  key: string | null;
  /** Set on claim rows. */
  claimId?: string;
  /** Set on claim rows (and the key of payer rows). */
  payerId?: string;
  /** Set on claim rows (and the key of category rows). */
  category?: DenialCategory | null;
  /** Set on claim rows: the overturn rate its net value used. */
  overturnRate?: OverturnRate;
  claims: number;
  counts: ActionCounts;
  cost: PricedCost;
  collectedCents: Cents;
  costPerDollarCollected: number | null;
  /** Null on month rows: a denial's value belongs to the denial, not to the months it was worked in. */
  denials: DenialValue | null;
}

/** Overturn history of one payer and category, keyed by `historyKey`. */
export type AppealHistories = ReadonlyMap<string, AppealHistory>;

export function historyKey(payerId: string, category: DenialCategory): string {
  return `${payerId}\u0000${category}`;
}

function addCounts(a: ActionCounts, b: ActionCounts): ActionCounts {
  const staff = { ...a.staff };
  for (const k of STAFF_ACTIONS) staff[k] += b.staff[k];
  const transactions = { ...a.transactions };
  for (const k of TRANSACTIONS) transactions[k] += b.transactions[k];
  return { staff, transactions };
}

const NO_DENIALS: DenialValue = {
  deniedClaims: 0,
  deniedCents: 0,
  expectedRecoveryCents: 0,
  workCostCents: 0,
  netValueCents: 0,
};

/** The value of working one claim's denial (none for a claim never denied). */
function claimDenialValue(
  unit: CostUnit,
  s: CostSettings,
  histories: AppealHistories,
): { value: DenialValue; rate?: OverturnRate } {
  if (unit.category === null || unit.deniedCents === null) return { value: NO_DENIALS };
  const rate = overturnRate(unit.category, histories.get(historyKey(unit.payerId, unit.category)));
  const work = denialWorkCostCents(s);
  const net = netValueOfWorking(unit.deniedCents, rate.rate, work);
  return {
    rate,
    value: {
      deniedClaims: 1,
      deniedCents: unit.deniedCents,
      expectedRecoveryCents: net + work,
      workCostCents: work,
      netValueCents: net,
    },
  };
}

function addDenials(a: DenialValue, b: DenialValue): DenialValue {
  return {
    deniedClaims: a.deniedClaims + b.deniedClaims,
    deniedCents: a.deniedCents + b.deniedCents,
    expectedRecoveryCents: a.expectedRecoveryCents + b.expectedRecoveryCents,
    workCostCents: a.workCostCents + b.workCostCents,
    netValueCents: a.netValueCents + b.netValueCents,
  };
}

function groupKey(unit: CostUnit, by: CostGrouping): string | null {
  switch (by) {
    case 'claim':
      return unit.claimUuid;
    case 'payer':
      return unit.payerId;
    case 'category':
      return unit.category;
    case 'month':
      return unit.month;
  }
}

/**
 * Prices every unit and sums them into rows of `by`. Each unit is priced on its own (so its rounding
 * is its own) and every row is a sum of priced units: a claim row is the sum of its months, and a
 * payer, category or month row the sum of the units of its claims, so the rows of any grouping add up
 * to the same period total. A claim's denial value is counted once per claim, in the claim's row of
 * payer and category groupings. Rows are ordered by cost, highest first, then by key.
 */
export function costReport(
  units: readonly CostUnit[],
  s: CostSettings,
  histories: AppealHistories,
  by: CostGrouping,
): CostReportRow[] {
  const rows = new Map<string | null, CostReportRow & { claimSet: Set<string> }>();
  const valued = new Set<string>();
  for (const unit of units) {
    const key = groupKey(unit, by);
    let row = rows.get(key);
    if (!row) {
      row = {
        key,
        claims: 0,
        counts: NO_ACTIONS,
        cost: ZERO_COST,
        collectedCents: 0,
        costPerDollarCollected: null,
        denials: by === 'month' ? null : NO_DENIALS,
        claimSet: new Set(),
        ...(by === 'claim' ? { claimId: unit.claimId, payerId: unit.payerId, category: unit.category } : {}),
      };
      rows.set(key, row);
    }
    row.claimSet.add(unit.claimUuid);
    row.counts = addCounts(row.counts, unit.counts);
    row.cost = addCosts(row.cost, priceActions(unit.counts, s));
    row.collectedCents += unit.collectedCents;
    if (row.denials !== null && !valued.has(unit.claimUuid)) {
      valued.add(unit.claimUuid);
      const { value, rate } = claimDenialValue(unit, s, histories);
      row.denials = addDenials(row.denials, value);
      if (by === 'claim' && rate) row.overturnRate = rate;
    }
  }
  return [...rows.values()]
    .map(({ claimSet, ...row }) => ({
      ...row,
      claims: claimSet.size,
      costPerDollarCollected: costPerDollarCollected(row.cost.costCents, row.collectedCents),
    }))
    .sort(
      (a, b) => b.cost.costCents - a.cost.costCents || String(a.key ?? '').localeCompare(String(b.key ?? '')),
    );
}

/** The period's totals: every unit priced and summed (equal to the sum of any grouping's rows). */
export function costTotals(
  units: readonly CostUnit[],
  s: CostSettings,
): { claims: number; cost: PricedCost; collectedCents: Cents; costPerDollarCollected: number | null } {
  let cost = ZERO_COST;
  let collected = 0;
  const claims = new Set<string>();
  for (const u of units) {
    cost = addCosts(cost, priceActions(u.counts, s));
    collected += u.collectedCents;
    claims.add(u.claimUuid);
  }
  return {
    claims: claims.size,
    cost,
    collectedCents: collected,
    costPerDollarCollected: costPerDollarCollected(cost.costCents, collected),
  };
}
