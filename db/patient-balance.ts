/**
 * The patient's side of a claim: payments posted once per reference, and statements recorded once per
 * statement key with their audit event (docs/dunning.md for the cadence).
 */
import { appendClaimEvent } from './claim-events.js';
import type { Db } from './pool.js';
import type { StatementRequest } from './records.js';

/** Posts a patient payment once per (claim, reference); false when it was already posted. */
export async function postPatientPayment(
  db: Db,
  input: {
    claimUuid: string;
    reference: string;
    amountCents: number;
    method: string;
    receivedAt: string;
  },
): Promise<boolean> {
  const row = await db
    .insertInto('patient_payments')
    .values({
      claim_id: input.claimUuid,
      reference: input.reference,
      amount_cents: input.amountCents,
      method: input.method,
      received_at: input.receivedAt,
    })
    .onConflict((oc) => oc.columns(['claim_id', 'reference']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Records a patient statement and its audit event in one transaction, once per statement key. The
 * event goes through `appendClaimEvent`, the one writer of claim_events.
 */
export async function recordStatement(db: Db, input: StatementRequest): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('patient_statements')
      .values({
        claim_id: input.claimUuid,
        statement_key: input.statementKey,
        kind: input.kind,
        amount_due_cents: input.amountDueCents,
        due_date: input.dueDate,
        sent_at: input.at,
      })
      .onConflict((oc) => oc.columns(['claim_id', 'statement_key']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) return;
    await appendClaimEvent(trx, {
      eventKey: `${input.claimUuid}:statement:${input.statementKey}`,
      claimUuid: input.claimUuid,
      practiceId: input.practiceId,
      at: input.at,
      actor: 'system',
      kind: input.kind === 'COLLECTIONS' ? 'COLLECTIONS_HANDOFF' : 'PATIENT_STATEMENT',
      fromStatus: null,
      toStatus: null,
      reason: `${input.kind} for ${input.amountDueCents} cents`,
      data: { statementKey: input.statementKey, dueDate: input.dueDate },
    });
  });
}
