/**
 * The claim audit trail (`claim_events`, append-only: who, what, when, from-state, to-state) and the
 * claims-row projection written with each event. `appendClaimEvent` is the only insert into
 * claim_events: the workflow's events, patient statements and anything else that audits a claim go
 * through it, keyed by `event_key` so a retried activity writes an event once.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Db } from './pool.js';
import type { ClaimEventRecord } from './records.js';
import type { Database } from './schema.js';
import { claimPriority, isWorklistClaim } from './sql-fragments.js';

type DbOrTrx = Kysely<Database> | Transaction<Database>;

/** One audit row (an event without the claims-row projection it is written with); `data` is stored as JSON. */
export type ClaimEventRow = Omit<ClaimEventRecord, 'projection'>;

/**
 * Appends one audit event, once per event key; true when this call wrote it. The row joins its claim's
 * hash chain: under a per-claim transaction lock (so two writers of one claim cannot both chain onto
 * the same previous row) it reads the previous row's hash and lets `claim_event_hash`, the one
 * definition of the canonical encoding (migration 2026-12-02-005), hash the values as stored.
 */
export async function appendClaimEvent(db: DbOrTrx, e: ClaimEventRow): Promise<boolean> {
  if (!db.isTransaction) return db.transaction().execute((trx) => appendClaimEvent(trx, e));
  await sql`select pg_advisory_xact_lock(hashtextextended(${`claim_events:${e.claimUuid}`}, 0))`.execute(db);
  const previous = await db
    .selectFrom('claim_events')
    .select('hash')
    .where('claim_id', '=', e.claimUuid)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const prevHash = previous?.hash ?? Buffer.alloc(0);
  const data = JSON.stringify(e.data ?? {});
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
      data,
      request_id: e.requestId ?? null,
      prev_hash: prevHash,
      hash: sql<Buffer>`claim_event_hash(${prevHash}, ${e.eventKey}, ${e.claimUuid}::uuid, ${e.practiceId},
        ${e.at}::timestamptz, ${e.actor}, ${e.kind}, ${e.fromStatus}, ${e.toStatus}, ${e.reason ?? null},
        ${data}::jsonb, ${e.requestId ?? null})`,
    })
    .onConflict((oc) => oc.column('event_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Which audit trails to verify: one claim, every claim of a practice, or (neither) every claim. */
export interface AuditScope {
  claimUuid?: string;
  practiceId?: string;
}

/** The first broken link of one claim's audit chain. */
export interface BrokenAuditLink {
  claimUuid: string;
  practiceId: string;
  eventId: string;
  problem: string;
}

/**
 * Verifies the hash chains in scope (the database function `claim_events_verify`) and names, per
 * claim, the first event that no longer matches its hash or does not link to the event before it.
 * Empty when every chain holds.
 */
export async function verifyAuditChain(db: DbOrTrx, scope: AuditScope = {}): Promise<BrokenAuditLink[]> {
  const { rows } = await sql<{ claim_id: string; practice_id: string; event_id: string; problem: string }>`
    select claim_id, practice_id, event_id, problem
    from claim_events_verify(${scope.claimUuid ?? null}::uuid, ${scope.practiceId ?? null}::text)`.execute(
    db,
  );
  return rows.map((r) => ({
    claimUuid: r.claim_id,
    practiceId: r.practice_id,
    eventId: String(r.event_id),
    problem: r.problem,
  }));
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
