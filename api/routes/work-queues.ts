/**
 * The biller's work queue (GET /worklist) and the supervisor's stuck list (GET /claims/stuck).
 *
 * The stuck list reads Postgres for what the claims projection knows (escalations, deadlines, time in
 * review, last activity) and asks Temporal for what only Temporal knows: activities failing over and
 * over. That check is bounded: at most `ACTIVITY_CHECK_LIMIT` workflows are described per request, the
 * claims most likely to be retrying first (see `activityCandidates`).
 */
import { activityCandidates, type StuckRow, stuckClaims, worklist } from '../../db/reports/work-queues.js';
import type { ClaimRow } from '../../db/schema.js';
import { decodeCursor, encodeCursor, page } from '../pagination.js';
import { practicesFor } from '../plugins/auth.js';
import { PageOf, withExample } from '../schemas/common.js';
import * as s from '../schemas/work-queues.js';
import { type App, type AppDeps, OVERSIGHT_ROLES, WORK_ROLES } from '../types.js';
import { claimJson, isoTimestamp } from '../views.js';
import { TIMED_OUT, waitAtMost } from '../waits.js';

/** Most claim workflows described per stuck-list request. */
export const ACTIVITY_CHECK_LIMIT = 25;
const DESCRIBE_CONCURRENCY = 5;
const DESCRIBE_WAIT_MS = 3_000;

type Reason = { code: (typeof s.STUCK_REASONS)[number]; detail: string };

function sqlReasons(row: StuckRow, q: { nearDeadlineDays: number; untouchedDays: number }): Reason[] {
  const reasons: Reason[] = [];
  if (row.escalated)
    reasons.push({ code: 'ESCALATED', detail: row.escalation_reason ?? 'escalated by the claim workflow' });
  const deadline = row.next_deadline ? isoTimestamp(row.next_deadline) : undefined;
  if (row.deadline_passed)
    reasons.push({ code: 'DEADLINE_PASSED', detail: `the next deadline (${deadline}) has passed` });
  if (row.deadline_near) {
    reasons.push({
      code: 'DEADLINE_NEAR',
      detail: `the next deadline (${deadline}) is within ${q.nearDeadlineDays} days`,
    });
  }
  if (row.review_overdue && row.entered_review_at) {
    reasons.push({
      code: 'REVIEW_SLA_EXCEEDED',
      detail: `in NEEDS_REVIEW since ${isoTimestamp(row.entered_review_at)}, beyond the ${row.review_sla_days}-day review SLA`,
    });
  }
  if (row.untouched) {
    reasons.push({
      code: 'UNTOUCHED',
      detail: `no activity since ${isoTimestamp(row.last_activity_at)} (more than ${q.untouchedDays} days)`,
    });
  }
  return reasons;
}

interface PendingActivity {
  activityType?: { name?: string | null } | null;
  attempt?: number | null;
  lastFailure?: { message?: string | null } | null;
}

export function workQueueRoutes(deps: AppDeps) {
  /** A failing-activity reason for a claim's workflow, if one of its pending activities is on attempt >= min. */
  async function failingActivity(row: ClaimRow, minAttempts: number): Promise<Reason | undefined> {
    const desc = await waitAtMost(deps.temporal, DESCRIBE_WAIT_MS, () =>
      deps.temporal.workflow.getHandle(row.workflow_id).describe(),
    );
    if (desc === TIMED_OUT) throw new Error(`describe of ${row.workflow_id} timed out`);
    if (desc.status.name !== 'RUNNING') return undefined;
    const pending = (desc.raw.pendingActivities ?? []) as PendingActivity[];
    const worst = pending.reduce<PendingActivity | undefined>(
      (w, a) => ((a.attempt ?? 0) > (w?.attempt ?? 0) ? a : w),
      undefined,
    );
    if (!worst || (worst.attempt ?? 0) < minAttempts) return undefined;
    const failure = worst.lastFailure?.message ? `: ${worst.lastFailure.message}` : '';
    return {
      code: 'ACTIVITY_FAILING',
      detail: `${worst.activityType?.name ?? 'an activity'} is on attempt ${worst.attempt}${failure}`,
    };
  }

  return async function routes(app: App): Promise<void> {
    app.get(
      '/worklist',
      {
        schema: {
          querystring: s.WorklistQuery,
          tags: ['work queues'],
          operationId: 'getWorklist',
          summary: 'Claims waiting for a biller (NEEDS_REVIEW, NEEDS_CORRECTION), most urgent first',
          description:
            'Priority = open balance in dollars x recoverability of the denial ' +
            'category x 100 / days to the next deadline (at least 1, 90 without a deadline), computed at request ' +
            'time (`livePriority`, the claim’s one priority). The cursor keeps the instant of the first page so pages stay consistent.',
          response: { 200: withExample(PageOf(s.WorklistItem), s.WORKLIST_PAGE_EXAMPLE) },
        },
        config: { roles: WORK_ROLES },
      },
      async (req) => {
        const q = req.query;
        const limit = q.limit ?? 50;
        const cursor = q.cursor
          ? decodeCursor('worklist', q.cursor, ['timestamp', 'number', 'uuid'] as const)
          : undefined;
        const now = cursor ? new Date(cursor[0]) : new Date();
        const asOf = `${now.toISOString().slice(0, 23)}000Z`;
        const rows = await worklist(deps.db, {
          practiceIds: practicesFor(req, q.practiceId),
          assignedTo: q.assignedTo,
          unassigned: q.unassigned,
          denialCategories: q.denialCategory,
          payerIds: q.payerId,
          now,
          after: cursor ? { priority: cursor[1], id: cursor[2] } : undefined,
          limit,
        });
        const p = page(rows, limit, (last) => encodeCursor('worklist', [asOf, last.live_priority, last.id]));
        return {
          items: p.items.map((row) => ({ ...claimJson(deps, row), livePriority: row.live_priority })),
          nextCursor: p.nextCursor,
        };
      },
    );

    app.get(
      '/claims/stuck',
      {
        schema: {
          querystring: s.StuckQuery,
          tags: ['work queues'],
          operationId: 'listStuckClaims',
          summary: 'Open claims that are stuck, each with the reasons and its Temporal UI link',
          description:
            'Reasons: ESCALATED (by the workflow), DEADLINE_PASSED, DEADLINE_NEAR (within ' +
            '`nearDeadlineDays`), REVIEW_SLA_EXCEEDED (in NEEDS_REVIEW longer than the payer rule’s review SLA), ' +
            'UNTOUCHED (no activity for more than `untouchedDays`), ACTIVITY_FAILING (a pending activity on attempt >= ' +
            `\`minActivityAttempts\`; at most ${ACTIVITY_CHECK_LIMIT} workflows are inspected per request).`,
          response: { 200: s.StuckList },
        },
        config: { roles: OVERSIGHT_ROLES },
      },
      async (req) => {
        const q = req.query;
        const practiceIds = practicesFor(req, q.practiceId);
        const opts = {
          nearDeadlineDays: q.nearDeadlineDays ?? 7,
          untouchedDays: q.untouchedDays ?? s.DEFAULT_UNTOUCHED_DAYS,
        };
        const limit = q.limit ?? 100;
        const rows = await stuckClaims(deps.db, { practiceIds, now: new Date(), ...opts, limit });
        const found = new Map<string, { row: ClaimRow; reasons: Reason[] }>();
        for (const row of rows) found.set(row.id, { row, reasons: sqlReasons(row, opts) });

        const check = { described: 0, failed: 0 };
        if (q.checkActivities ?? true) {
          const candidates = await activityCandidates(deps.db, practiceIds, ACTIVITY_CHECK_LIMIT);
          let next = 0;
          const describeNext = async () => {
            while (next < candidates.length) {
              const row = candidates[next++]!;
              try {
                const reason = await failingActivity(row, q.minActivityAttempts ?? 3);
                check.described++;
                if (!reason) continue;
                const entry = found.get(row.id) ?? { row, reasons: [] };
                entry.reasons.push(reason);
                found.set(row.id, entry);
              } catch (err) {
                // A workflow that cannot be described (gone, Temporal busy) is reported as a count, not an error:
                // the rest of the stuck list is still worth having.
                check.failed++;
                req.log.warn(
                  { workflowId: row.workflow_id, err: { message: String(err) } },
                  'describe failed in stuck check',
                );
              }
            }
          };
          await Promise.all(Array.from({ length: DESCRIBE_CONCURRENCY }, describeNext));
        }
        const items = [...found.values()]
          .filter((e) => e.reasons.length > 0)
          .sort(
            (a, b) =>
              b.reasons.length - a.reasons.length ||
              new Date(a.row.last_activity_at).getTime() - new Date(b.row.last_activity_at).getTime(),
          )
          .slice(0, limit)
          .map((e) => ({ ...claimJson(deps, e.row), reasons: e.reasons }));
        return { items, activityCheck: check };
      },
    );
  };
}
