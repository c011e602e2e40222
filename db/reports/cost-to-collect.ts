/**
 * The facts behind the cost-to-collect report (docs/cost-to-collect.md): per claim and UTC month of a
 * period, how many priced actions and transactions it had and what was collected on it; and the
 * practice's appeal history by payer and denial category. Pricing and grouping are
 * domain/cost-to-collect.ts; here is only what happened, read from the audit trail:
 *
 * - **decision** (staff): the events one person's request wrote on a claim (same actor and request id;
 *   an event without a request id is a request of its own), of the kinds a biller decision writes. A
 *   request that moved the claim to APPEALING is an **appeal**; one that only added notes a **note**;
 *   one that only assigned an **assignment**. So a correction that resubmits the claim, or an appeal
 *   with its packet, is one action, not two. File views and downloads are audit, not decisions.
 * - **submission** (fee): the outcome of sending a claim, i.e. a status change out of SUBMITTING or
 *   RESUBMITTED to AWAITING_ADJUDICATION (accepted) or NEEDS_CORRECTION (rejected): the clearinghouse
 *   charges for both.
 * - **status inquiry** (fee): a STATUS_INQUIRY event (one 276/277 exchange).
 * - **appeal** (fee): a status change to APPEALING (one appeal filed with the payer).
 * - **ERA** (fee): a posted 835 claim loop (`claim_payments`), reversals and informational loops too.
 *
 * A payer's decision recorded by a person as upheld moves the claim with the system as actor, so it
 * leaves no priced decision; appeal status checks are not priced either (only the pending answers
 * leave an event). Both are named in the docs as known gaps.
 */
import { sql } from 'kysely';
import type { DenialCategory } from '../../domain/carc.js';
import {
  type ActionCounts,
  type AppealHistory,
  type CostGrouping,
  type CostUnit,
  costReport,
  costTotals,
  historyKey,
} from '../../domain/cost-to-collect.js';
import { getCostSettings } from '../cost-settings.js';
import type { Db } from '../pool.js';
import { dayEnd, dayStart } from '../sql-fragments.js';

/** The event kinds a person's decision on a claim writes (workflows/claim/decisions.ts and its phases). */
export const DECISION_EVENT_KINDS = [
  'STATUS_CHANGED',
  'WRITE_OFF',
  'HOLD_PLACED',
  'HOLD_RELEASED',
  'NOTE_ADDED',
  'ASSIGNED',
  'APPEAL_PACKET_FILED',
] as const;

/** Actors that are not people: their events are never staff time. */
export const NON_PERSON_ACTORS = ['system', 'payer'] as const;

export interface CostPeriod {
  practiceId: string;
  /** Inclusive ISO dates (UTC days). */
  from: string;
  to: string;
}

const list = (values: readonly string[]) =>
  sql.join(
    values.map((v) => sql.lit(v)),
    sql`, `,
  );

interface UnitRow {
  claimUuid: string;
  claimId: string;
  payerId: string;
  category: string | null;
  deniedCents: string | null;
  month: string;
  decision: number;
  appeal: number;
  note: number;
  assignment: number;
  submission: number;
  statusInquiry: number;
  appealFiled: number;
  era: number;
  collectedCents: number;
}

/**
 * One row per claim and UTC month with priced activity or money collected in the period. Every
 * branch starts from an index range: claim_events (practice_id, at), claim_payments (posted_at) joined
 * to the practice's claims, patient_payments through their claims.
 */
export async function costUnits(db: Db, p: CostPeriod): Promise<CostUnit[]> {
  const start = dayStart(p.from);
  const end = dayEnd(p.to);
  const { rows } = await sql<UnitRow>`
    with events as (
      select e.* from claim_events e
      where e.practice_id = ${p.practiceId} and e.at >= ${start} and e.at < ${end}
    ),
    decisions as (
      select e.claim_id, min(e.at) as at,
        case
          when bool_or(e.kind = 'STATUS_CHANGED' and e.to_status = 'APPEALING') then 'appeal'
          when bool_and(e.kind = 'NOTE_ADDED') then 'note'
          when bool_and(e.kind = 'ASSIGNED') then 'assignment'
          else 'decision'
        end as item
      from events e
      where e.actor not in (${list(NON_PERSON_ACTORS)}) and e.kind in (${list(DECISION_EVENT_KINDS)})
      group by e.claim_id, e.actor, e.request_id, case when e.request_id is null then e.id end
    ),
    transactions as (
      select e.claim_id, e.at,
        case
          when e.kind = 'STATUS_INQUIRY' then 'statusInquiry'
          when e.to_status = 'APPEALING' then 'appealFiled'
          else 'submission'
        end as item
      from events e
      where e.kind = 'STATUS_INQUIRY'
        or (e.kind = 'STATUS_CHANGED' and e.to_status = 'APPEALING')
        or (e.kind = 'STATUS_CHANGED' and e.from_status in ('SUBMITTING', 'RESUBMITTED')
            and e.to_status in ('AWAITING_ADJUDICATION', 'NEEDS_CORRECTION'))
    ),
    postings as (
      select cp.claim_id, cp.posted_at as at, cp.paid_cents
      from claim_payments cp join claims c on c.id = cp.claim_id
      where c.practice_id = ${p.practiceId} and cp.posted_at >= ${start} and cp.posted_at < ${end}
    ),
    items as (
      select claim_id, at, item, 0::bigint as cents from decisions
      union all select claim_id, at, item, 0 from transactions
      union all select claim_id, at, 'era', paid_cents from postings
      union all
      select pp.claim_id, pp.received_at, 'patientPayment', pp.amount_cents
      from patient_payments pp join claims c on c.id = pp.claim_id
      where c.practice_id = ${p.practiceId} and pp.received_at >= ${start} and pp.received_at < ${end}
    ),
    units as (
      select claim_id, to_char(at at time zone 'UTC', 'YYYY-MM') as month,
        count(*) filter (where item = 'decision')::int as decision,
        count(*) filter (where item = 'appeal')::int as appeal,
        count(*) filter (where item = 'note')::int as note,
        count(*) filter (where item = 'assignment')::int as assignment,
        count(*) filter (where item = 'submission')::int as submission,
        count(*) filter (where item = 'statusInquiry')::int as "statusInquiry",
        count(*) filter (where item = 'appealFiled')::int as "appealFiled",
        count(*) filter (where item = 'era')::int as era,
        coalesce(sum(cents), 0)::bigint as "collectedCents"
      from items
      group by 1, 2
    )
    select c.id as "claimUuid", c.claim_id as "claimId", c.payer_id as "payerId",
      fd.category, fd.denied_cents as "deniedCents", u.*
    from units u
    join claims c on c.id = u.claim_id
    left join lateral (
      select e.data->'denial'->>'category' as category, e.data->'denial'->>'deniedCents' as denied_cents
      from claim_events e
      where e.claim_id = c.id and e.kind = 'STATUS_CHANGED' and e.to_status = 'NEEDS_REVIEW'
        and e.data ? 'denial'
      order by e.at, e.id limit 1
    ) fd on true
    order by u.month, c.id`.execute(db);
  return rows.map(unitOf);
}

function unitOf(r: UnitRow): CostUnit {
  const counts: ActionCounts = {
    staff: { decision: r.decision, appeal: r.appeal, note: r.note, assignment: r.assignment },
    transactions: {
      submission: r.submission,
      statusInquiry: r.statusInquiry,
      appeal: r.appealFiled,
      era: r.era,
    },
  };
  return {
    claimUuid: r.claimUuid,
    claimId: r.claimId,
    payerId: r.payerId,
    category: (r.category as DenialCategory | null) ?? null,
    deniedCents: r.category === null || r.deniedCents === null ? null : Number(r.deniedCents),
    month: r.month,
    counts,
    collectedCents: r.collectedCents,
  };
}

export interface AppealHistoryRow extends AppealHistory {
  payerId: string;
  category: DenialCategory;
}

/**
 * Every decided appeal of the practice (all time, every level), by payer and the category of the
 * claim's first denial: the history overturn rates are measured from.
 */
export async function appealHistory(db: Db, practiceId: string): Promise<AppealHistoryRow[]> {
  const { rows } = await sql<AppealHistoryRow>`
    select c.payer_id as "payerId", fd.category,
      count(*)::int as decided,
      count(*) filter (where ap.status = 'overturned')::int as overturned
    from appeals ap
    join claims c on c.id = ap.claim_id
    join lateral (
      select e.data->'denial'->>'category' as category
      from claim_events e
      where e.claim_id = c.id and e.kind = 'STATUS_CHANGED' and e.to_status = 'NEEDS_REVIEW'
        and e.data ? 'denial'
      order by e.at, e.id limit 1
    ) fd on fd.category is not null
    where c.practice_id = ${practiceId} and ap.status in ('overturned', 'upheld')
    group by 1, 2`.execute(db);
  return rows;
}

/** The report of one practice and period in grouping `by`, priced with the practice's settings. */
export async function costToCollectReport(db: Db, p: CostPeriod, by: CostGrouping) {
  const [{ settings }, units, history] = await Promise.all([
    getCostSettings(db, p.practiceId),
    costUnits(db, p),
    appealHistory(db, p.practiceId),
  ]);
  const histories = new Map(history.map((h) => [historyKey(h.payerId, h.category), h]));
  return {
    settings,
    totals: costTotals(units, settings),
    rows: costReport(units, settings, histories, by),
  };
}
