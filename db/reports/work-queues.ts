/**
 * The biller's work queue and the supervisor's stuck list, read from the claims projection.
 *
 * The work queue is ordered by a priority computed in SQL at read time with the formula of
 * `denialPriority` (domain/priority.ts): open balance in dollars x recoverability of the denial
 * category x 100 / days to the next deadline (at least 1; 90 when there is no deadline). It is computed
 * here, not read from the stored column, because days-to-deadline shrink every day a claim waits: a
 * denial whose appeal deadline is tomorrow must outrank one denied this morning.
 */
import { sql } from 'kysely';
import { DEFAULT_RULES } from '../../domain/payer-rules.js';
import type { Db } from '../pool.js';
import type { ClaimRow } from '../schema.js';
import { claimPriority, isOpenClaim, isWorklistClaim } from '../sql-fragments.js';

export interface WorklistFilter {
  practiceIds: readonly string[];
  assignedTo?: string;
  unassigned?: boolean;
  denialCategories?: readonly string[];
  payerIds?: readonly string[];
  /** The instant priorities are computed at (now in production, fixed in tests). */
  now: Date;
  /** Rows strictly after this (priority desc, id asc) position. */
  after?: { priority: number; id: string };
  limit: number;
}

export type WorklistRow = ClaimRow & { live_priority: number };

/** Live priority of a claim at `now` (`claimPriority`, whose definition is domain/priority.ts). */
function livePriority(now: Date) {
  return claimPriority('c', now);
}

/** One page of the work queue, most urgent first; up to `limit + 1` rows. */
export async function worklist(db: Db, f: WorklistFilter): Promise<WorklistRow[]> {
  const priority = livePriority(f.now);
  let inner = db
    .selectFrom('claims as c')
    .selectAll('c')
    .select(priority.as('live_priority'))
    .where('c.practice_id', 'in', [...f.practiceIds])
    .where(isWorklistClaim('c'));
  if (f.assignedTo !== undefined) inner = inner.where('c.assigned_to', '=', f.assignedTo);
  if (f.unassigned) inner = inner.where('c.assigned_to', 'is', null);
  if (f.denialCategories?.length) inner = inner.where('c.denial_category', 'in', [...f.denialCategories]);
  if (f.payerIds?.length) inner = inner.where('c.payer_id', 'in', [...f.payerIds]);
  let q = db.selectFrom(inner.as('w')).selectAll('w');
  if (f.after) {
    const { priority: p, id } = f.after;
    q = q.where(sql<boolean>`(w.live_priority < ${p} or (w.live_priority = ${p} and w.id > ${id}::uuid))`);
  }
  return q
    .orderBy('w.live_priority', 'desc')
    .orderBy('w.id')
    .limit(f.limit + 1)
    .execute() as Promise<WorklistRow[]>;
}

export interface StuckFilter {
  practiceIds: readonly string[];
  now: Date;
  /** A deadline within this many days counts as near. */
  nearDeadlineDays: number;
  /** No activity (claims.last_activity_at) for more than this many days. */
  untouchedDays: number;
  limit: number;
}

export type StuckRow = ClaimRow & {
  deadline_passed: boolean;
  deadline_near: boolean;
  untouched: boolean;
  review_overdue: boolean;
  entered_review_at: Date | null;
  review_sla_days: number | null;
  /** The reason of the latest escalation event, when escalated. */
  escalation_reason: string | null;
};

/**
 * Open claims that are stuck for at least one reason: escalated by the workflow, a deadline passed or
 * near, waiting in NEEDS_REVIEW beyond the payer's review SLA, or untouched for more than N days. Oldest
 * activity first. The review SLA is the payer rule in force today (practice override first), or the
 * default when the payer has none; the time in review starts at the latest transition into NEEDS_REVIEW.
 */
export async function stuckClaims(db: Db, f: StuckFilter): Promise<StuckRow[]> {
  const today = f.now.toISOString().slice(0, 10);
  const near = new Date(f.now.getTime() + f.nearDeadlineDays * 86_400_000);
  const untouchedBefore = new Date(f.now.getTime() - f.untouchedDays * 86_400_000);
  const defaultSla = DEFAULT_RULES.COMMERCIAL.reviewSlaDays;
  const rows = await sql<StuckRow>`
    select c.*,
      (c.next_deadline < ${f.now}) as deadline_passed,
      (c.next_deadline >= ${f.now} and c.next_deadline < ${near}) as deadline_near,
      (c.last_activity_at < ${untouchedBefore}) as untouched,
      coalesce(review.entered_at < ${f.now}::timestamptz - make_interval(days => review.sla_days), false) as review_overdue,
      review.entered_at as entered_review_at,
      review.sla_days as review_sla_days,
      case when c.escalated then (select e.reason from claim_events e
        where e.claim_id = c.id and e.kind = 'ESCALATED' order by e.id desc limit 1) end as escalation_reason
    from claims c
    left join lateral (
      select
        (select max(e.at) from claim_events e
          where e.claim_id = c.id and e.kind = 'STATUS_CHANGED' and e.to_status = 'NEEDS_REVIEW') as entered_at,
        coalesce((select pr.review_sla_days from payer_rules pr
          where pr.payer_id = c.payer_id and (pr.practice_id = c.practice_id or pr.practice_id is null)
            and pr.effective_from <= ${today}::date
          order by (pr.practice_id is null), pr.effective_from desc limit 1), ${defaultSla}) as sla_days
      where c.status = 'NEEDS_REVIEW'
    ) review on true
    where c.practice_id in (${sql.join([...f.practiceIds])})
      and ${isOpenClaim('c')}
      and (c.escalated
        or c.next_deadline < ${near}
        or c.last_activity_at < ${untouchedBefore}
        or review.entered_at < ${f.now}::timestamptz - make_interval(days => review.sla_days))
    order by c.last_activity_at, c.id
    limit ${f.limit}`.execute(db);
  return rows.rows;
}

/**
 * Open claims whose workflow may be retrying an activity, for a bounded `describe` each: claims being
 * submitted first (a submission should take seconds; a pending one is the usual sign of a failing payer
 * call), then appeals and follow-ups, oldest activity first.
 */
export async function activityCandidates(
  db: Db,
  practiceIds: readonly string[],
  limit: number,
): Promise<ClaimRow[]> {
  return db
    .selectFrom('claims as c')
    .selectAll('c')
    .where('c.practice_id', 'in', [...practiceIds])
    .where(isOpenClaim('c'))
    .where('c.status', 'in', ['SUBMITTING', 'RESUBMITTED', 'APPEALING', 'AWAITING_ADJUDICATION'])
    .orderBy(sql`c.status in ('SUBMITTING', 'RESUBMITTED')`, 'desc')
    .orderBy('c.last_activity_at')
    .limit(limit)
    .execute();
}

/** Rows of the given claim ids within the practices (for merging activity findings into the stuck list). */
export async function claimsByIds(
  db: Db,
  practiceIds: readonly string[],
  ids: readonly string[],
): Promise<ClaimRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('claims')
    .selectAll()
    .where('practice_id', 'in', [...practiceIds])
    .where('id', 'in', [...ids])
    .execute();
}
