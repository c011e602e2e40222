/**
 * Revenue-cycle KPIs of a practice (docs/kpis.md): their definitions, the A/R aging buckets and the
 * arithmetic that turns counted numerators and denominators into rates. The counting itself is SQL
 * (db/queries/kpis.ts); everything here is pure so the definitions are testable and documented once.
 *
 * Shared terms:
 * - **first adjudication**: a claim's earliest posted remittance loop that is not a reversal (CLP02 22)
 *   or informational (CLP02 23 not our claim, 25 predetermination).
 * - **denial adjustment**: a CAS adjustment with a positive amount that is neither patient
 *   responsibility (group PR) nor an expected contractual adjustment (`isExpectedAdjustment`: CO-45,
 *   CO-253, CO-59, OA-23), exactly as the claim workflow classifies it (domain/remittance.ts).
 * - **duplicate-only claim**: a claim whose first adjudication carries denial adjustments and all of them
 *   are duplicates (CARC 18, B13). A duplicate is a resubmission noticed by the payer, not a denial of
 *   care, so such claims leave the denial-rate and clean-claim-rate cohorts entirely (docs/kpis.md).
 * - **denied amount**: the sum of a claim's non-duplicate denial adjustments on its first adjudication.
 */

/** One A/R aging bucket, in whole days since the date of service; `maxDays` null means no upper bound. */
export interface AgingBucket {
  label: string;
  minDays: number;
  maxDays: number | null;
}

/** 0-30 / 31-60 / 61-90 / 91-120 / 121+ days since the date of service. */
export const AGING_BUCKETS: readonly AgingBucket[] = [
  { label: '0-30', minDays: 0, maxDays: 30 },
  { label: '31-60', minDays: 31, maxDays: 60 },
  { label: '61-90', minDays: 61, maxDays: 90 },
  { label: '91-120', minDays: 91, maxDays: 120 },
  { label: '120+', minDays: 121, maxDays: null },
];

/** The bucket of an age in days; ages below zero (a future date of service) count as 0-30. */
export function agingBucketOf(ageDays: number): AgingBucket {
  return AGING_BUCKETS.find((b) => ageDays <= (b.maxDays ?? Number.POSITIVE_INFINITY)) ?? AGING_BUCKETS[0]!;
}

/** The target of docs/kpis.md: a denial is acted on within this many business days. */
export const FIRST_ACTION_TARGET_BUSINESS_DAYS = 10;

/** A rate in [0, 1] rounded to 4 decimals, or null when nothing was counted (never a division by zero). */
export function ratio(numerator: number, denominator: number): number | null {
  if (denominator <= 0) return null;
  return Math.round((numerator / denominator) * 10_000) / 10_000;
}

/**
 * Days in A/R = open A/R / average daily charges, where the average is the period's charges (by date of
 * service) divided by the number of calendar days in the period. Null when nothing was charged.
 */
export function daysInAr(openArCents: number, periodChargesCents: number, periodDays: number): number | null {
  if (periodChargesCents <= 0 || periodDays <= 0) return null;
  return Math.round((openArCents / (periodChargesCents / periodDays)) * 10) / 10;
}

/** Calendar days from `from` to `to`, both included (ISO dates). */
export function periodDays(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** What each KPI means: shown in the OpenAPI description of GET /kpis and in api/README.md. */
export const KPI_DEFINITIONS = {
  denialRate:
    'Initial denial rate. Cohort: claims first submitted in the period (claims.submitted_at) that have a first adjudication, ' +
    'minus duplicate-only claims. By count: cohort claims whose first adjudication carries a non-duplicate denial adjustment / ' +
    'cohort claims. By dollars: denied amount / total charges of the cohort.',
  cleanClaimRate:
    'Clean claim rate. Cohort: claims first submitted in the period that were either adjudicated or rejected at the front end ' +
    '(a NEEDS_CORRECTION transition), minus duplicate-only claims. Clean: never rejected at the front end and first adjudication ' +
    'without a denial adjustment. By count: clean / cohort. By dollars: charges of clean claims / charges of the cohort.',
  daysInAr:
    'Days in A/R = open A/R now (sum of open_balance_cents of claims not PAID, COLLECTIONS or WRITTEN_OFF, patient balances ' +
    'included) / average daily charges of the period (charges of claims whose date of service is in the period / calendar days ' +
    'in the period). Dollars only. The A/R side is a snapshot as of the request: there are no historical balance snapshots.',
  arAging:
    'A/R aging: open claims with a positive open balance, bucketed by whole days from the date of service to today ' +
    '(0-30, 31-60, 61-90, 91-120, 120+ meaning 121 days or more); count and dollars per bucket, and the share of A/R dollars ' +
    'over 90 days. A snapshot as of the request; the period does not apply.',
  appealOverturnRate:
    'Appeal overturn rate. Cohort: appeals decided in the period (appeals.decided_at), every level counted. By count: ' +
    'overturned / decided. By dollars: denied amount of the claims of overturned appeals / denied amount of the claims of ' +
    'decided appeals.',
  netCollectionRate:
    'Net collection rate. Cohort: claims whose date of service is in the period. Collected (payer paid + patient paid) / ' +
    '(charges - contractual adjustments). Dollars only; write-offs are not subtracted, they are what the rate exposes.',
  denialsByCategory:
    'Denials by category: the denial adjustments on the first adjudication of claims first submitted in the period, grouped ' +
    'by the CARC category (domain/carc.ts); claims = distinct claims with a denial in the category, dollars = the adjustment ' +
    'amounts. DUPLICATE is listed here although it is excluded from the rates.',
  denialsByPayer:
    'Denials by payer: the denial-rate cohort grouped by payer, with each payer’s denied claims, cohort claims, denied amount, ' +
    'charges and its own rate by count and by dollars.',
  claimRules:
    'For each modifier claim rule in force (docs/claim-rules.md): the first-adjudication denial rate of the lines it is about (its payer and procedure, without its modifier) on claims created before its adoption and since; a claim it held counts as a denial prevented.',
  underpayments:
    'Against the contracted fee schedules (docs/fee-schedules.md), as of now: open underpaid dollars, dollars recovered by later postings of underpaid claims, open variances by payer, and postings no contract rate could price.',
  costToCollect:
    'Cost to collect (docs/cost-to-collect.md). Cost: the biller decisions, appeals, notes and assignments made in the period at ' +
    'standard minutes per action type x the practice hourly rate (open-to-decision times are not recorded, so every action of a ' +
    'type costs its standard minutes), plus clearinghouse fees for the submissions, status inquiries, appeals and ERA claim ' +
    'postings of the period. Collected: payer postings (reversals negative) and patient payments of the period. Cost per dollar ' +
    'collected = cost / collected. Top payers: the five costing most, each with the net value of working its denials ' +
    '(denied amount x overturn rate - the standard cost of an appeal, summed over its denied claims). Rates: GET /practices/{id}/cost-settings; ' +
    'per claim, payer, category or month, as JSON or CSV: GET /reports/cost-to-collect.',
  timeToFirstAction:
    'Time to first action on a denial. Cohort: claims first denied in the period (claims.first_denied_at); the clock starts at ' +
    'the first denial and stops at the first biller decision other than a note or an assignment (claims.first_action_at). ' +
    'Average and median in days over acted denials; within target = acted within 10 business days (Mon-Fri, holidays not ' +
    'modelled); the target rate counts denials acted on or already older than 10 business days. By count and by denied amount.',
} as const;

export type KpiName = keyof typeof KPI_DEFINITIONS;
