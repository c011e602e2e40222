/**
 * The counting behind GET /kpis: each function returns numerators and denominators of one practice and
 * period; domain/kpi.ts defines the KPIs and turns the counts into rates. Every query starts from an
 * index on claims (practice + submitted_at / date_of_service / first_denied_at, or the open-claims
 * partial index) and reaches payments, adjustments and events through their claim indexes, so the cost
 * follows the size of the period, not of the table (checked with EXPLAIN in test/api/query-plans.test.ts).
 */
import { type RawBuilder, sql } from 'kysely';
import { AGING_BUCKETS, FIRST_ACTION_TARGET_BUSINESS_DAYS } from '../../domain/kpi.js';
import type { Db } from '../pool.js';
import {
  dayEnd,
  dayStart,
  denialCategoryOf,
  isDenialAdjustment,
  isDuplicateCarc,
  isOpenClaim,
  NON_ADJUDICATION_STATUS_CODES,
  utcDate,
} from '../sql-fragments.js';

export interface KpiPeriod {
  practiceId: string;
  /** Inclusive ISO dates. */
  from: string;
  to: string;
  /** The instant "now" for snapshots (A/R, aging) and running clocks. */
  now: Date;
}

const nonAdjudication = sql.join(
  NON_ADJUDICATION_STATUS_CODES.map((c) => sql.lit(c)),
  sql`, `,
);

/**
 * Per claim `c`: its first adjudication (`fa`) and what its adjustments say (`adj`): the denied amount
 * (non-duplicate denial adjustments), whether it has a non-duplicate denial, whether it has a duplicate one.
 */
const firstAdjudicationJoins: RawBuilder<unknown> = sql`
  left join lateral (
    select p.id from claim_payments p
    where p.claim_id = c.id and not p.is_reversal and p.status_code not in (${nonAdjudication})
    order by p.posted_at, p.id limit 1
  ) fa on true
  left join lateral (
    select
      coalesce(sum(x.amount_cents) filter (where x.denial and not x.dup), 0)::bigint as denied_cents,
      coalesce(bool_or(x.denial and not x.dup), false) as has_denial,
      coalesce(bool_or(x.denial and x.dup), false) as has_duplicate
    from (
      select a.amount_cents, ${isDenialAdjustment('a')} as denial, ${isDuplicateCarc('a')} as dup
      from claim_adjustments a where a.claim_payment_id = fa.id
    ) x
  ) adj on true`;

/** Claims first submitted in the period, with their first-adjudication facts (the denial cohorts). */
function submittedCohort(p: KpiPeriod): RawBuilder<unknown> {
  return sql`
    select c.id, c.payer_id, c.total_charge_cents,
      fa.id is not null as adjudicated,
      adj.denied_cents, adj.has_denial,
      (adj.has_duplicate and not adj.has_denial) as duplicate_only,
      exists (select 1 from claim_events e
        where e.claim_id = c.id and e.kind = 'STATUS_CHANGED' and e.to_status = 'NEEDS_CORRECTION') as rejected
    from claims c
    ${firstAdjudicationJoins}
    where c.practice_id = ${p.practiceId}
      and c.submitted_at >= ${dayStart(p.from)} and c.submitted_at < ${dayEnd(p.to)}`;
}

export interface DenialCounts {
  adjudicated: number;
  denied: number;
  chargesCents: number;
  deniedCents: number;
  outcome: number;
  clean: number;
  outcomeChargesCents: number;
  cleanChargesCents: number;
  duplicateOnly: number;
}

/** Denial-rate and clean-claim-rate counts over claims first submitted in the period. */
export async function denialAndCleanCounts(db: Db, p: KpiPeriod): Promise<DenialCounts> {
  const { rows } = await sql<DenialCounts>`
    with cohort as (${submittedCohort(p)})
    select
      count(*) filter (where adjudicated and not duplicate_only)::int as adjudicated,
      count(*) filter (where adjudicated and not duplicate_only and has_denial)::int as denied,
      coalesce(sum(total_charge_cents) filter (where adjudicated and not duplicate_only), 0)::bigint as "chargesCents",
      coalesce(sum(denied_cents) filter (where adjudicated and not duplicate_only), 0)::bigint as "deniedCents",
      count(*) filter (where (adjudicated or rejected) and not duplicate_only)::int as outcome,
      count(*) filter (where adjudicated and not duplicate_only and not rejected and not has_denial)::int as clean,
      coalesce(sum(total_charge_cents) filter (where (adjudicated or rejected) and not duplicate_only), 0)::bigint
        as "outcomeChargesCents",
      coalesce(sum(total_charge_cents) filter (where adjudicated and not duplicate_only and not rejected and not has_denial), 0)::bigint
        as "cleanChargesCents",
      count(*) filter (where duplicate_only)::int as "duplicateOnly"
    from cohort`.execute(db);
  return rows[0]!;
}

export interface PayerDenialRow {
  payerId: string;
  adjudicated: number;
  denied: number;
  chargesCents: number;
  deniedCents: number;
}

/** The denial-rate cohort grouped by payer. */
export async function denialsByPayer(db: Db, p: KpiPeriod): Promise<PayerDenialRow[]> {
  const { rows } = await sql<PayerDenialRow>`
    with cohort as (${submittedCohort(p)})
    select payer_id as "payerId",
      count(*)::int as adjudicated,
      count(*) filter (where has_denial)::int as denied,
      sum(total_charge_cents)::bigint as "chargesCents",
      sum(denied_cents)::bigint as "deniedCents"
    from cohort
    where adjudicated and not duplicate_only
    group by payer_id
    order by payer_id`.execute(db);
  return rows;
}

export interface CategoryDenialRow {
  category: string;
  claims: number;
  deniedCents: number;
}

/** Denial adjustments on the first adjudication of claims submitted in the period, by CARC category. */
export async function denialsByCategory(db: Db, p: KpiPeriod): Promise<CategoryDenialRow[]> {
  const { rows } = await sql<CategoryDenialRow>`
    select ${denialCategoryOf('a.reason_code')} as category,
      count(distinct c.id)::int as claims,
      sum(a.amount_cents)::bigint as "deniedCents"
    from claims c
    join lateral (
      select p.id from claim_payments p
      where p.claim_id = c.id and not p.is_reversal and p.status_code not in (${nonAdjudication})
      order by p.posted_at, p.id limit 1
    ) fa on true
    join claim_adjustments a on a.claim_payment_id = fa.id and ${isDenialAdjustment('a')}
    where c.practice_id = ${p.practiceId}
      and c.submitted_at >= ${dayStart(p.from)} and c.submitted_at < ${dayEnd(p.to)}
    group by 1
    order by 3 desc, 1`.execute(db);
  return rows;
}

export interface ArSnapshot {
  openArCents: number;
  periodChargesCents: number;
  buckets: { label: string; claims: number; cents: number }[];
}

/** Open A/R and its aging by date of service (as of `now`), and the period's charges by date of service. */
export async function arSnapshot(db: Db, p: KpiPeriod): Promise<ArSnapshot> {
  const today = p.now.toISOString().slice(0, 10);
  const bucketCase = sql.join(
    AGING_BUCKETS.map((b, i) =>
      b.maxDays === null
        ? sql`when true then ${sql.lit(i)}`
        : sql`when ${today}::date - c.date_of_service <= ${sql.lit(b.maxDays)} then ${sql.lit(i)}`,
    ),
    sql` `,
  );
  const [open, charges] = await Promise.all([
    sql<{ bucket: number; claims: number; cents: number }>`
      select (case ${bucketCase} end) as bucket, count(*)::int as claims, sum(c.open_balance_cents)::bigint as cents
      from claims c
      where c.practice_id = ${p.practiceId} and ${isOpenClaim('c')} and c.open_balance_cents > 0
      group by 1`.execute(db),
    sql<{ cents: number }>`
      select coalesce(sum(c.total_charge_cents), 0)::bigint as cents
      from claims c
      where c.practice_id = ${p.practiceId} and c.date_of_service between ${p.from}::date and ${p.to}::date`.execute(
      db,
    ),
  ]);
  const buckets = AGING_BUCKETS.map((b, i) => {
    const row = open.rows.find((r) => r.bucket === i);
    return { label: b.label, claims: row?.claims ?? 0, cents: row?.cents ?? 0 };
  });
  return {
    openArCents: buckets.reduce((s, b) => s + b.cents, 0),
    periodChargesCents: charges.rows[0]!.cents,
    buckets,
  };
}

export interface AppealCounts {
  decided: number;
  overturned: number;
  decidedCents: number;
  overturnedCents: number;
}

/** Appeals decided in the period (every level), with the denied amount of their claims. */
export async function appealCounts(db: Db, p: KpiPeriod): Promise<AppealCounts> {
  const { rows } = await sql<AppealCounts>`
    select
      count(*)::int as decided,
      count(*) filter (where ap.status = 'overturned')::int as overturned,
      coalesce(sum(adj.denied_cents), 0)::bigint as "decidedCents",
      coalesce(sum(adj.denied_cents) filter (where ap.status = 'overturned'), 0)::bigint as "overturnedCents"
    from appeals ap
    join claims c on c.id = ap.claim_id
    ${firstAdjudicationJoins}
    where c.practice_id = ${p.practiceId}
      and ap.decided_at is not null
      and ap.decided_at >= ${dayStart(p.from)} and ap.decided_at < ${dayEnd(p.to)}
      and ap.status in ('overturned', 'upheld')`.execute(db);
  return rows[0]!;
}

export interface CollectionCounts {
  collectedCents: number;
  chargesCents: number;
  contractualCents: number;
}

/** Money collected against the net expected on claims whose date of service is in the period. */
export async function collectionCounts(db: Db, p: KpiPeriod): Promise<CollectionCounts> {
  const { rows } = await sql<CollectionCounts>`
    select
      coalesce(sum(c.paid_cents + c.patient_paid_cents), 0)::bigint as "collectedCents",
      coalesce(sum(c.total_charge_cents), 0)::bigint as "chargesCents",
      coalesce(sum(c.adjustment_cents), 0)::bigint as "contractualCents"
    from claims c
    where c.practice_id = ${p.practiceId} and c.date_of_service between ${p.from}::date and ${p.to}::date`.execute(
    db,
  );
  return rows[0]!;
}

export interface FirstActionCounts {
  denials: number;
  acted: number;
  averageDays: number | null;
  medianDays: number | null;
  /** Denials acted on, or unacted and already past the target: the within-target denominator. */
  due: number;
  withinTarget: number;
  dueCents: number;
  withinTargetCents: number;
}

/**
 * Time from a claim's first denial to its first biller action, over claims first denied in the period.
 * Business days are counted Mon-Fri over at most 21 calendar days: 21 days always hold more than 10
 * business days, so the cap never changes whether a denial met the target and keeps the series small.
 */
export async function firstActionCounts(db: Db, p: KpiPeriod): Promise<FirstActionCounts> {
  const target = sql.lit(FIRST_ACTION_TARGET_BUSINESS_DAYS);
  const { rows } = await sql<FirstActionCounts>`
    with denied as (
      select c.first_denied_at, c.first_action_at, adj.denied_cents,
        (select count(*) from generate_series(
            (${utcDate(sql`c.first_denied_at`)} + 1)::timestamp,
            least(${utcDate(sql`coalesce(c.first_action_at, ${p.now}::timestamptz)`)}, ${utcDate(sql`c.first_denied_at`)} + 21)::timestamp,
            interval '1 day') g
          where extract(isodow from g) < 6)::int as business_days
      from claims c
      ${firstAdjudicationJoins}
      where c.practice_id = ${p.practiceId}
        and c.first_denied_at is not null
        and c.first_denied_at >= ${dayStart(p.from)} and c.first_denied_at < ${dayEnd(p.to)}
    )
    select
      count(*)::int as denials,
      count(first_action_at)::int as acted,
      round(avg(extract(epoch from (first_action_at - first_denied_at)) / 86400)::numeric, 2)::float8 as "averageDays",
      round((percentile_cont(0.5) within group (order by extract(epoch from (first_action_at - first_denied_at)) / 86400))::numeric, 2)::float8
        as "medianDays",
      count(*) filter (where first_action_at is not null or business_days > ${target})::int as due,
      count(*) filter (where first_action_at is not null and business_days <= ${target})::int as "withinTarget",
      coalesce(sum(denied_cents) filter (where first_action_at is not null or business_days > ${target}), 0)::bigint as "dueCents",
      coalesce(sum(denied_cents) filter (where first_action_at is not null and business_days <= ${target}), 0)::bigint
        as "withinTargetCents"
    from denied`.execute(db);
  return rows[0]!;
}
