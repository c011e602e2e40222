/**
 * Claim repository: intake, the rows activities read, the resume state of a reopened claim, the claim
 * list and a claim's postings. Functions take `db` or a transaction first (kysely example style) and
 * map rows to the shapes the workflows and API use in one place. Every list is scoped by practice ids
 * the caller has already checked against the principal.
 */
import { sql, type Transaction } from 'kysely';
import type { ClaimRef } from '../domain/claim.js';
import type { ClaimStatus } from '../domain/claim-status.js';
import type { Db } from './pool.js';
import type { ClaimResumeRow } from './records.js';
import type { ClaimLineRow, ClaimRow, Database, PatientRow } from './schema.js';
import { cursorTimestamp, dayEnd, dayStart, isOpenClaim } from './sql-fragments.js';

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

/** The patient a claim bills for (PHI: the payer gateway sends it, nothing logs it). */
export async function getClaimPatient(db: DbOrTrx, claim: Pick<ClaimRow, 'patient_id'>): Promise<PatientRow> {
  return db.selectFrom('patients').selectAll().where('id', '=', claim.patient_id).executeTakeFirstOrThrow();
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

/** Filters of GET /claims; every array filter means "any of". Date bounds are inclusive ISO dates. */
export interface ClaimListFilter {
  practiceIds: readonly string[];
  statuses?: readonly string[];
  payerIds?: readonly string[];
  denialCategories?: readonly string[];
  assignedTo?: string;
  unassigned?: boolean;
  escalated?: boolean;
  createdFrom?: string;
  createdTo?: string;
  dateOfServiceFrom?: string;
  dateOfServiceTo?: string;
  deniedFrom?: string;
  deniedTo?: string;
  minOpenBalanceCents?: number;
  maxOpenBalanceCents?: number;
  /** Rows strictly after this position in (created_at desc, id desc) order. */
  after?: { createdAt: string; id: string };
  limit: number;
}

export type ClaimListRow = ClaimRow & { cursor_ts: string };

/** One page of claims, newest first; returns up to `limit + 1` rows so the caller knows if more exist. */
export async function listClaims(db: Db, f: ClaimListFilter): Promise<ClaimListRow[]> {
  let q = db
    .selectFrom('claims as c')
    .selectAll('c')
    .select(cursorTimestamp('c.created_at').as('cursor_ts'))
    .where('c.practice_id', 'in', [...f.practiceIds]);
  if (f.statuses?.length) q = q.where('c.status', 'in', [...f.statuses]);
  if (f.payerIds?.length) q = q.where('c.payer_id', 'in', [...f.payerIds]);
  if (f.denialCategories?.length) q = q.where('c.denial_category', 'in', [...f.denialCategories]);
  if (f.assignedTo !== undefined) q = q.where('c.assigned_to', '=', f.assignedTo);
  if (f.unassigned) q = q.where('c.assigned_to', 'is', null);
  if (f.escalated !== undefined) q = q.where('c.escalated', '=', f.escalated);
  if (f.createdFrom) q = q.where('c.created_at', '>=', dayStart(f.createdFrom));
  if (f.createdTo) q = q.where('c.created_at', '<', dayEnd(f.createdTo));
  if (f.dateOfServiceFrom) q = q.where('c.date_of_service', '>=', f.dateOfServiceFrom);
  if (f.dateOfServiceTo) q = q.where('c.date_of_service', '<=', f.dateOfServiceTo);
  if (f.deniedFrom) q = q.where('c.first_denied_at', '>=', dayStart(f.deniedFrom));
  if (f.deniedTo) q = q.where('c.first_denied_at', '<', dayEnd(f.deniedTo));
  if (f.minOpenBalanceCents !== undefined) q = q.where('c.open_balance_cents', '>=', f.minOpenBalanceCents);
  if (f.maxOpenBalanceCents !== undefined) q = q.where('c.open_balance_cents', '<=', f.maxOpenBalanceCents);
  if (f.after) {
    const { createdAt, id } = f.after;
    q = q.where(sql<boolean>`(c.created_at, c.id) < (${createdAt}::timestamptz, ${id}::uuid)`);
  }
  return q
    .orderBy('c.created_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(f.limit + 1)
    .execute();
}

/** Every posting of a claim (oldest first) with its CAS adjustments. */
export async function claimPostings(db: Db, claimUuid: string) {
  const payments = await db
    .selectFrom('claim_payments as p')
    .innerJoin('remittances as r', 'r.id', 'p.remittance_id')
    .select([
      'p.id',
      'p.payer_id',
      'p.trace_number',
      'r.payment_date',
      'p.payer_claim_number',
      'p.status_code',
      'p.is_reversal',
      'p.charge_cents',
      'p.paid_cents',
      'p.patient_responsibility_cents',
      'p.remark_codes',
      'p.posted_at',
    ])
    .where('p.claim_id', '=', claimUuid)
    .orderBy('p.posted_at')
    .orderBy('p.id')
    .execute();
  const adjustments =
    payments.length === 0
      ? []
      : await db
          .selectFrom('claim_adjustments')
          .select([
            'claim_payment_id',
            'line_number',
            'procedure_code',
            'group_code',
            'reason_code',
            'amount_cents',
            'remark_codes',
          ])
          .where(
            'claim_payment_id',
            'in',
            payments.map((p) => p.id),
          )
          .orderBy('id')
          .execute();
  return payments.map((p) => ({ ...p, adjustments: adjustments.filter((a) => a.claim_payment_id === p.id) }));
}

/**
 * One page of the running claims a payer-rule change affects: open claims of the payer, of the given
 * practices (all practices for a payer-default change), by id.
 */
export async function openClaimsOfPayer(
  db: Db,
  input: { payerId: string; practiceIds: readonly string[] | 'all'; afterId?: string; limit: number },
): Promise<{ id: string; workflow_id: string }[]> {
  let q = db
    .selectFrom('claims as c')
    .select(['c.id', 'c.workflow_id'])
    .where('c.payer_id', '=', input.payerId)
    .where(isOpenClaim('c'));
  if (input.practiceIds !== 'all') q = q.where('c.practice_id', 'in', [...input.practiceIds]);
  if (input.afterId) q = q.where('c.id', '>', input.afterId);
  return q.orderBy('c.id').limit(input.limit).execute();
}
