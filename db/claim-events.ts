/**
 * The claim audit trail (`claim_events`, append-only: who, what, when, from-state, to-state) and the
 * claims-row projection written with each event. `appendClaimEvent` is the only insert into
 * claim_events: the workflow's events, patient statements and anything else that audits a claim go
 * through it, keyed by `event_key` so a retried activity writes an event once.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { ClaimStatus } from '../domain/claim-status.js';
import type { Db } from './pool.js';
import type { ClaimEventRecord } from './records.js';
import type { Database } from './schema.js';
import { claimPriority, isWorklistClaim } from './sql-fragments.js';

type DbOrTrx = Kysely<Database> | Transaction<Database>;

/** One audit row; `data` is stored as JSON. */
export interface ClaimEventRow {
  eventKey: string;
  claimUuid: string;
  practiceId: string;
  at: string;
  actor: string;
  kind: string;
  fromStatus: ClaimStatus | null;
  toStatus: ClaimStatus | null;
  reason?: string;
  data?: Record<string, unknown>;
  requestId?: string;
}

/** Appends one audit event, once per event key; true when this call wrote it. */
export async function appendClaimEvent(db: DbOrTrx, e: ClaimEventRow): Promise<boolean> {
  const row = await db
    .insertInto('claim_events')
    .values({
      event_key: e.eventKey,
      claim_id: e.claimUuid,
      practice_id: e.practiceId,
      at: e.at,
      actor: e.actor,
      kind: e.kind,
      from_status: e.fromStatus,
      to_status: e.toStatus,
      reason: e.reason ?? null,
      data: JSON.stringify(e.data ?? {}),
      request_id: e.requestId ?? null,
    })
    .onConflict((oc) => oc.column('event_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Appends one audit event and applies the claims-row projection, once per event key. The stored
 * `priority` is not the workflow's: it is the SQL formula (`claimPriority`, defined by
 * domain/priority.ts) evaluated on the projected row at write time; the work queue recomputes it live.
 */
export async function recordClaimEvent(db: Db, e: ClaimEventRecord): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const { projection: p, ...event } = e;
    await appendClaimEvent(trx, event);
    await trx
      .updateTable('claims')
      .set({
        status: p.status,
        denial_category: p.denialCategory,
        recommended_action: p.recommendedAction,
        assigned_to: p.assignedTo,
        escalated: p.escalated,
        next_deadline: p.nextDeadline,
        payer_claim_number: p.payerClaimNumber,
        frequency_code: p.frequencyCode,
        paid_cents: p.paidCents,
        adjustment_cents: p.adjustmentCents,
        patient_responsibility_cents: p.patientResponsibilityCents,
        patient_paid_cents: p.patientPaidCents,
        written_off_cents: p.writtenOffCents,
        open_balance_cents: p.openBalanceCents,
        submitted_at: p.submittedAt ?? null,
        first_denied_at: p.firstDeniedAt ?? null,
        first_action_at: p.firstActionAt ?? null,
        closed_at: p.closedAt ?? null,
        last_activity_at: e.at,
        updated_at: new Date(),
      })
      .where('id', '=', e.claimUuid)
      .execute();
    // A second statement because SET expressions see the row as it was before the update above.
    await trx
      .updateTable('claims as c')
      .set({
        // Only a claim waiting for a biller has a priority, as in the work queue.
        priority: sql<number>`case when ${isWorklistClaim('c')} then ${claimPriority('c', sql<Date>`${e.at}::timestamptz`)} else 0 end`,
      })
      .where('c.id', '=', e.claimUuid)
      .execute();
  });
}

/** A claim's audit trail in order, after event id `afterId`; up to `limit + 1` rows. */
export async function claimEvents(db: Db, claimUuid: string, afterId: string | undefined, limit: number) {
  let q = db
    .selectFrom('claim_events')
    .select(['id', 'at', 'actor', 'kind', 'from_status', 'to_status', 'reason', 'data', 'request_id'])
    .where('claim_id', '=', claimUuid);
  if (afterId) q = q.where('id', '>', afterId);
  return q
    .orderBy('id')
    .limit(limit + 1)
    .execute();
}
