/**
 * Claim repository: functions take `db` or a transaction first (kysely example style) and map rows to
 * the shapes the workflows and API use in one place.
 */
import { sql, type Transaction } from 'kysely';
import type { ClaimRef } from '../domain/claim.js';
import type { ClaimStatus } from '../domain/claim-status.js';
import type { Db } from './pool.js';
import type { ClaimEventRecord, ClaimResumeRow } from './records.js';
import type { ClaimLineRow, ClaimRow, Database } from './schema.js';

type DbOrTrx = Db | Transaction<Database>;

export interface NewClaimInput {
  practiceId: string;
  claimId: string;
  patient: {
    externalId: string;
    firstName: string;
    lastName: string;
    birthDate: string;
    memberId: string;
    email?: string;
  };
  payerId: string;
  billingProviderNpi: string;
  dateOfService: string;
  diagnosisCodes: string[];
  lines: {
    procedureCode: string;
    modifiers: string[];
    units: number;
    chargeCents: number;
    serviceDate: string;
    diagnosisPointers: number[];
  }[];
  workflowId: string;
}

/**
 * Inserts a claim, its patient (upserted by the practice's external id) and its lines in one
 * transaction. Returns `created: false` with the existing row when the claim id is already known.
 */
export async function insertClaim(
  db: Db,
  input: NewClaimInput,
): Promise<{ created: boolean; claim: ClaimRow }> {
  return db.transaction().execute(async (trx) => {
    const patient = await trx
      .insertInto('patients')
      .values({
        practice_id: input.practiceId,
        external_id: input.patient.externalId,
        first_name: input.patient.firstName,
        last_name: input.patient.lastName,
        birth_date: input.patient.birthDate,
        member_id: input.patient.memberId,
        email: input.patient.email ?? null,
      })
      .onConflict((oc) =>
        oc.columns(['practice_id', 'external_id']).doUpdateSet((eb) => ({
          first_name: eb.ref('excluded.first_name'),
          last_name: eb.ref('excluded.last_name'),
          birth_date: eb.ref('excluded.birth_date'),
          member_id: eb.ref('excluded.member_id'),
        })),
      )
      .returning('id')
      .executeTakeFirstOrThrow();
    const total = input.lines.reduce((s, l) => s + l.chargeCents, 0);
    const inserted = await trx
      .insertInto('claims')
      .values({
        practice_id: input.practiceId,
        claim_id: input.claimId,
        patient_control_number: input.claimId,
        patient_id: patient.id,
        payer_id: input.payerId,
        billing_provider_npi: input.billingProviderNpi,
        date_of_service: input.dateOfService,
        diagnosis_codes: input.diagnosisCodes,
        total_charge_cents: total,
        status: 'SUBMITTING',
        open_balance_cents: total,
        workflow_id: input.workflowId,
      })
      .onConflict((oc) => oc.columns(['practice_id', 'claim_id']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!inserted) {
      const existing = await trx
        .selectFrom('claims')
        .selectAll()
        .where('practice_id', '=', input.practiceId)
        .where('claim_id', '=', input.claimId)
        .executeTakeFirstOrThrow();
      return { created: false, claim: existing };
    }
    await trx
      .insertInto('claim_lines')
      .values(
        input.lines.map((l, i) => ({
          claim_id: inserted.id,
          line_number: i + 1,
          procedure_code: l.procedureCode,
          modifiers: l.modifiers,
          units: l.units,
          charge_cents: l.chargeCents,
          service_date: l.serviceDate,
          diagnosis_pointers: l.diagnosisPointers,
        })),
      )
      .execute();
    return { created: true, claim: inserted };
  });
}

export function claimRefOf(
  row: Pick<
    ClaimRow,
    | 'id'
    | 'practice_id'
    | 'claim_id'
    | 'patient_control_number'
    | 'payer_id'
    | 'date_of_service'
    | 'total_charge_cents'
  >,
): ClaimRef {
  return {
    claimUuid: row.id,
    practiceId: row.practice_id,
    claimId: row.claim_id,
    patientControlNumber: row.patient_control_number,
    payerId: row.payer_id,
    dateOfService: row.date_of_service,
    totalChargeCents: row.total_charge_cents,
  };
}

export async function getClaimByUuid(db: DbOrTrx, claimUuid: string): Promise<ClaimRow | undefined> {
  return db.selectFrom('claims').selectAll().where('id', '=', claimUuid).executeTakeFirst();
}

export async function getClaimLines(db: DbOrTrx, claimUuid: string): Promise<ClaimLineRow[]> {
  return db
    .selectFrom('claim_lines')
    .selectAll()
    .where('claim_id', '=', claimUuid)
    .orderBy('line_number')
    .execute();
}

/** What a reopened claim's new workflow run starts from. */
export async function claimResumeRow(db: DbOrTrx, row: ClaimRow): Promise<ClaimResumeRow> {
  const seq = await db
    .selectFrom('claim_events')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('claim_id', '=', row.id)
    .where('event_key', 'like', `${row.id}:%`)
    .where('event_key', 'not like', `${row.id}:statement:%`)
    .executeTakeFirstOrThrow();
  const submissions = await db
    .selectFrom('claim_events')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('claim_id', '=', row.id)
    .where('to_status', '=', 'AWAITING_ADJUDICATION')
    .where('from_status', 'in', ['SUBMITTING', 'RESUBMITTED'])
    .executeTakeFirstOrThrow();
  const postings = await db
    .selectFrom('claim_events')
    .select(sql<string>`data->>'postingKey'`.as('key'))
    .where('claim_id', '=', row.id)
    .where(sql<boolean>`data ? 'postingKey'`)
    .orderBy('id', 'desc')
    .limit(100)
    .execute();
  return {
    status: row.status as ClaimStatus,
    seenPostings: postings.map((p) => p.key),
    payerClaimNumber: row.payer_claim_number,
    frequencyCode: row.frequency_code,
    paidCents: row.paid_cents,
    adjustmentCents: row.adjustment_cents,
    patientResponsibilityCents: row.patient_responsibility_cents,
    patientPaidCents: row.patient_paid_cents,
    writtenOffCents: row.written_off_cents,
    assignedTo: row.assigned_to,
    // Continue the event sequence past anything this claim has written, so keys never collide.
    lastEventSeq: seq.n + 1000,
    submissions: Math.max(1, submissions.n),
  };
}

/** Appends one audit event and applies the claims-row projection, once per event key. */
export async function recordClaimEvent(db: Db, e: ClaimEventRecord): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
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
      .execute();
    const p = e.projection;
    await trx
      .updateTable('claims')
      .set({
        status: p.status,
        denial_category: p.denialCategory,
        recommended_action: p.recommendedAction,
        assigned_to: p.assignedTo,
        escalated: p.escalated,
        priority: p.priority,
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
  });
}

/**
 * Claims stored but still SUBMITTING after `olderThanMinutes` with no audit event: their workflow may
 * never have started (Temporal unreachable at intake). The reconciliation starts them.
 */
export async function claimsAwaitingStart(
  db: DbOrTrx,
  olderThanMinutes: number,
  limit = 500,
): Promise<ClaimRow[]> {
  return db
    .selectFrom('claims')
    .selectAll()
    .where('status', '=', 'SUBMITTING')
    .where('created_at', '<', sql<Date>`now() - make_interval(mins => ${olderThanMinutes})`)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('claim_events')
            .select('claim_events.id')
            .whereRef('claim_events.claim_id', '=', 'claims.id'),
        ),
      ),
    )
    .orderBy('created_at')
    .limit(limit)
    .execute();
}
