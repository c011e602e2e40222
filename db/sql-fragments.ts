/**
 * SQL fragments shared by the list, work-queue, stuck and KPI queries. Each one mirrors a rule of
 * `domain/` so that the database and the workflow classify a claim the same way; the literals are
 * generated from the domain tables (never typed twice) and inlined as SQL literals, not parameters, so
 * the planner can match them against the partial indexes of migration 2026-11-30-003.
 */
import { type RawBuilder, sql } from 'kysely';
import { DENIAL_CATEGORIES, ruleFor } from '../domain/carc.js';
import { CLAIM_STATUSES, TERMINAL_STATUSES } from '../domain/claim-status.js';

const literalList = (values: readonly string[]) =>
  sql.join(
    values.map((v) => sql.lit(v)),
    sql`, `,
  );

/** Statuses of a claim whose workflow is still running. */
export const OPEN_STATUSES = CLAIM_STATUSES.filter((s) => !TERMINAL_STATUSES.has(s));

/** `<alias>.status not in ('PAID', 'COLLECTIONS', 'WRITTEN_OFF')`: implies the `claims_open_idx` predicate. */
export function isOpenClaim(alias: string): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(`${alias}.status`)} not in (${literalList([...TERMINAL_STATUSES])})`;
}

/** Statuses in which a claim waits for a biller: the work queue (`claims_worklist_idx`). */
export const WORKLIST_STATUSES = ['NEEDS_REVIEW', 'NEEDS_CORRECTION', 'HOLD'] as const;

export function isWorklistClaim(alias: string): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(`${alias}.status`)} in (${literalList(WORKLIST_STATUSES)})`;
}

/** CLP02 codes whose loop is not an adjudication of the claim: reversal, not our claim, predetermination. */
export const NON_ADJUDICATION_STATUS_CODES = ['22', '23', '25'] as const;

/**
 * True for a denial adjustment: positive, not patient responsibility (PR) and not an expected
 * contractual adjustment. Mirrors `isExpectedAdjustment` (domain/carc.ts) and `assessRemittance`
 * (domain/remittance.ts); test/api/kpis.test.ts checks the two agree code by code.
 */
export function isDenialAdjustment(alias: string): RawBuilder<boolean> {
  const g = sql.ref(`${alias}.group_code`);
  const r = sql.ref(`${alias}.reason_code`);
  const amount = sql.ref(`${alias}.amount_cents`);
  return sql<boolean>`(${g} <> 'PR' and ${amount} > 0 and not (
    (${g} in ('CO', 'CR', 'PI') and ${r} in ('45', '253', '59')) or (${g} = 'OA' and ${r} = '23')))`;
}

/** True for a duplicate-claim CARC (category DUPLICATE). */
export function isDuplicateCarc(alias: string): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(`${alias}.reason_code`)} in (${literalList(ruleFor('DUPLICATE').carcs)})`;
}

/** The denial category of a CARC column (`categoryOf`), OTHER for an unclassified code. */
export function denialCategoryOf(carcColumn: string): RawBuilder<string> {
  const whens = DENIAL_CATEGORIES.filter((c) => ruleFor(c).carcs.length > 0).map(
    (c) => sql`when ${sql.ref(carcColumn)} in (${literalList(ruleFor(c).carcs)}) then ${sql.lit(c)}`,
  );
  return sql<string>`(case ${sql.join(whens, sql` `)} else 'OTHER' end)`;
}

/**
 * How much of a denial in a category is typically recovered (`ruleFor(c).recoverability`). A claim with
 * no category (a front-end rejection waiting for correction) counts as MISSING_INFORMATION, as the
 * workflow's own priority does.
 */
export function recoverabilityOf(categoryColumn: string): RawBuilder<number> {
  const whens = DENIAL_CATEGORIES.map(
    (c) =>
      sql`when ${sql.ref(categoryColumn)} = ${sql.lit(c)} then ${sql.lit(ruleFor(c).recoverability)}::numeric`,
  );
  return sql<number>`(case ${sql.join(whens, sql` `)} else ${sql.lit(ruleFor('MISSING_INFORMATION').recoverability)}::numeric end)`;
}

/**
 * Work-queue priority of a claim at `now`, in SQL. Its definition is `denialPriority` in
 * domain/priority.ts (open balance in dollars x recoverability of the denial category x 100 / days to
 * the next deadline, at least 1; 90 when there is no deadline), rounded to a whole number;
 * test/unit/db/priority-sql.test.ts checks the two agree. `now` is a parameter so a page of the work
 * queue and its cursor share one instant.
 */
export function claimPriority(alias: string, now: Date | RawBuilder<Date>): RawBuilder<number> {
  const c = (column: string) => sql.ref(`${alias}.${column}`);
  const at = now instanceof Date ? sql`${now}::timestamptz` : now;
  const days = sql`greatest(1, coalesce(ceil(extract(epoch from (${c('next_deadline')} - ${at})) / 86400), 90))`;
  return sql<number>`round((greatest(0, ${c('open_balance_cents')}) / 100.0) * ${recoverabilityOf(`${alias}.denial_category`)} * 100 / ${days})::int`;
}

/** Full-precision keyset value of a timestamp column (microseconds survive, unlike a JS Date). */
export function cursorTimestamp(column: string): RawBuilder<string> {
  return sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** The first instant of an ISO date in UTC (billing days are UTC calendar days, domain/dates.ts). */
export function dayStart(isoDate: string): RawBuilder<Date> {
  return sql<Date>`(${isoDate}::date::timestamp at time zone 'UTC')`;
}

/** The first instant after an ISO date in UTC: the exclusive end of an inclusive date range. */
export function dayEnd(isoDate: string): RawBuilder<Date> {
  return sql<Date>`((${isoDate}::date + 1)::timestamp at time zone 'UTC')`;
}

/** The UTC calendar date of a timestamptz expression. */
export function utcDate(expr: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`(${expr} at time zone 'UTC')::date`;
}
