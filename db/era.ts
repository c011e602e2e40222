/**
 * ERA (835) storage and posting. A file is stored raw with its checksum (the same bytes twice is a
 * no-op), parsed whole before anything is posted, and posted in one transaction whose unique keys make a
 * second or concurrent posting of the same content write nothing. Unmatched claim loops are queued with
 * their reason, never dropped.
 */
import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import { type ClaimStatus, isTerminal } from '../domain/claim-status.js';
import { summariseClaimPayment } from '../domain/remittance.js';
import { parse835, type Remittance835, X12ParseError } from '../domain/x12/index.js';
import type { Db } from './pool.js';
import type { ClaimRow, Database } from './schema.js';

export function checksumOf(raw: string): string {
  return createHash('sha256').update(raw).digest('hex');
}

/** The payer id we key postings by: the N1*PR identifier (XV / PI), else the TRN03 originator. */
export function payerIdOf(r: Remittance835): string {
  return r.payer.id ?? r.payer.refs?.['2U'] ?? r.traceOriginator;
}

export type StoreEraResult =
  | {
      status: 'ACCEPTED';
      eraFileId: string;
      checksum: string;
      isNew: boolean;
      transactions: number;
      claims: number;
    }
  | { status: 'REJECTED'; eraFileId: string | undefined; checksum: string; error: X12ParseError };

/**
 * Parses and stores an ERA file. A malformed file is refused whole (`REJECTED`, with the segment and
 * rule); with `keepRejected` it is still stored for audit (scheduled pulls), never posted.
 */
export async function storeEraFile(
  db: Db,
  input: { raw: string; source: 'upload' | 'pull'; sourceRef?: string; keepRejected?: boolean },
): Promise<StoreEraResult> {
  const checksum = checksumOf(input.raw);
  let parsed: Remittance835[];
  try {
    parsed = parse835(input.raw);
  } catch (err) {
    if (!(err instanceof X12ParseError)) throw err;
    let eraFileId: string | undefined;
    if (input.keepRejected) {
      const row = await db
        .insertInto('era_files')
        .values({
          checksum,
          source: input.source,
          source_ref: input.sourceRef ?? null,
          raw: input.raw,
          status: 'REJECTED',
          error: JSON.stringify(err.errors),
        })
        .onConflict((oc) => oc.column('checksum').doUpdateSet({ source_ref: input.sourceRef ?? null }))
        .returning('id')
        .executeTakeFirstOrThrow();
      eraFileId = row.id;
    }
    return { status: 'REJECTED', eraFileId, checksum, error: err };
  }
  const inserted = await db
    .insertInto('era_files')
    .values({
      checksum,
      source: input.source,
      source_ref: input.sourceRef ?? null,
      raw: input.raw,
      status: 'ACCEPTED',
      error: null,
    })
    .onConflict((oc) => oc.column('checksum').doNothing())
    .returning('id')
    .executeTakeFirst();
  const id =
    inserted?.id ??
    (await db.selectFrom('era_files').select('id').where('checksum', '=', checksum).executeTakeFirstOrThrow())
      .id;
  return {
    status: 'ACCEPTED',
    eraFileId: id,
    checksum,
    isNew: inserted !== undefined,
    transactions: parsed.length,
    claims: parsed.reduce((n, r) => n + r.claims.length, 0),
  };
}

export interface PostingResult {
  posted: number;
  alreadyPosted: number;
  unmatched: number;
}

type MatchResult = { claim: ClaimRow } | { reason: string; practiceId: string | null };

async function matchClaim(
  trx: Transaction<Database>,
  practiceId: string | null,
  pcn: string,
  chargeCents: number,
  isReversal: boolean,
): Promise<MatchResult> {
  let q = trx.selectFrom('claims').selectAll().where('patient_control_number', '=', pcn);
  if (practiceId) q = q.where('practice_id', '=', practiceId);
  const candidates = await q.limit(2).execute();
  if (candidates.length !== 1) {
    return { reason: candidates.length === 0 ? 'UNKNOWN_CLAIM' : 'AMBIGUOUS_CLAIM', practiceId };
  }
  const claim = candidates[0]!;
  const status = claim.status as ClaimStatus;
  // Money for a claim already written off or sent to collections needs a person's eyes.
  if (!isReversal && isTerminal(status) && status !== 'PAID')
    return { reason: 'CLOSED_CLAIM', practiceId: claim.practice_id };
  if (!isReversal && chargeCents !== claim.total_charge_cents)
    return { reason: 'AMOUNT_MISMATCH', practiceId: claim.practice_id };
  return { claim };
}

/** Posts every claim loop of a stored, accepted ERA file. Idempotent and safe to run concurrently. */
export async function postEraFile(db: Db, eraFileId: string): Promise<PostingResult> {
  const file = await db
    .selectFrom('era_files')
    .selectAll()
    .where('id', '=', eraFileId)
    .executeTakeFirstOrThrow();
  if (file.status !== 'ACCEPTED') throw new Error(`ERA file ${eraFileId} was rejected and cannot be posted`);
  const remittances = parse835(file.raw);
  const result: PostingResult = { posted: 0, alreadyPosted: 0, unmatched: 0 };
  await db.transaction().execute(async (trx) => {
    for (const [txIndex, r] of remittances.entries()) {
      const payerId = payerIdOf(r);
      const payeeNpi = r.payee.idQualifier === 'XX' ? r.payee.id : undefined;
      const practice = payeeNpi
        ? await trx.selectFrom('practices').select('id').where('npi', '=', payeeNpi).executeTakeFirst()
        : undefined;
      const practiceId = practice?.id ?? null;
      await trx
        .insertInto('remittances')
        .values({
          era_file_id: eraFileId,
          transaction_index: txIndex,
          practice_id: practiceId,
          payer_id: payerId,
          trace_number: r.traceNumber,
          payment_cents: r.paymentCents,
          payment_method: r.paymentMethod,
          payment_date: r.paymentDate,
          parsed: JSON.stringify(r),
        })
        .onConflict((oc) => oc.columns(['era_file_id', 'transaction_index']).doNothing())
        .execute();
      const remittance = await trx
        .selectFrom('remittances')
        .select('id')
        .where('era_file_id', '=', eraFileId)
        .where('transaction_index', '=', txIndex)
        .executeTakeFirstOrThrow();
      if (r.providerAdjustments.length > 0) {
        // PLB belongs to the payment, not to any claim (DOMAIN.md).
        await trx
          .insertInto('provider_adjustments')
          .values(
            r.providerAdjustments.map((p, seq) => ({
              remittance_id: remittance.id,
              seq,
              provider_id: p.providerId,
              reason_code: p.reason,
              reference: p.reference ?? null,
              amount_cents: p.amountCents,
            })),
          )
          .onConflict((oc) => oc.columns(['remittance_id', 'seq']).doNothing())
          .execute();
      }

      for (const [claimIndex, clp] of r.claims.entries()) {
        const isReversal = clp.statusCode === '22';
        const match = await matchClaim(
          trx,
          practiceId,
          clp.patientControlNumber,
          clp.chargeCents,
          isReversal,
        );
        if (!('claim' in match)) {
          await trx
            .insertInto('unmatched_claim_payments')
            .values({
              remittance_id: remittance.id,
              claim_index: claimIndex,
              practice_id: match.practiceId,
              payer_id: payerId,
              patient_control_number: clp.patientControlNumber,
              payer_claim_number: clp.payerClaimNumber,
              paid_cents: clp.paidCents,
              reason: match.reason,
            })
            .onConflict((oc) => oc.columns(['remittance_id', 'claim_index']).doNothing())
            .execute();
          result.unmatched++;
          continue;
        }
        const posted = await postClaimPayment(trx, {
          claim: match.claim,
          remittanceId: remittance.id,
          payerId,
          r,
          claimIndex,
        });
        if (posted) result.posted++;
        else result.alreadyPosted++;
      }
    }
  });
  return result;
}

/** Writes one claim payment and its adjustments; false when this posting key was already posted. */
export async function postClaimPayment(
  trx: Transaction<Database>,
  input: { claim: ClaimRow; remittanceId: string; payerId: string; r: Remittance835; claimIndex: number },
): Promise<boolean> {
  const { claim, r, payerId } = input;
  const clp = r.claims[input.claimIndex]!;
  const summary = summariseClaimPayment(clp, {
    payerId,
    traceNumber: r.traceNumber,
    paymentDate: r.paymentDate,
  });
  const payment = await trx
    .insertInto('claim_payments')
    .values({
      claim_id: claim.id,
      remittance_id: input.remittanceId,
      claim_index: input.claimIndex,
      payer_id: payerId,
      trace_number: r.traceNumber,
      patient_control_number: clp.patientControlNumber,
      payer_claim_number: clp.payerClaimNumber,
      is_reversal: clp.statusCode === '22',
      status_code: clp.statusCode,
      charge_cents: clp.chargeCents,
      paid_cents: clp.paidCents,
      patient_responsibility_cents: clp.patientResponsibilityCents,
      remark_codes: summary.remarkCodes,
      summary: JSON.stringify(summary),
    })
    .onConflict((oc) =>
      oc
        .columns(['payer_id', 'trace_number', 'patient_control_number', 'payer_claim_number', 'is_reversal'])
        .doNothing(),
    )
    .returning('id')
    .executeTakeFirst();
  if (!payment) return false;
  const rows = summary.adjustments.map((a) => ({
    claim_payment_id: payment.id,
    claim_id: claim.id,
    line_number: a.lineNumber ?? null,
    procedure_code: a.procedureCode ?? null,
    group_code: a.group,
    reason_code: a.reason,
    amount_cents: a.amountCents,
    quantity: null,
    remark_codes:
      a.lineNumber === undefined ? clp.remarkCodes : (clp.serviceLines[a.lineNumber - 1]?.remarkCodes ?? []),
  }));
  if (rows.length > 0) await trx.insertInto('claim_adjustments').values(rows).execute();
  return true;
}

/** Postings of a file whose claim has not been told yet (the signal is sent after the commit). */
export async function unsignalledPostings(db: Db, eraFileId: string) {
  return db
    .selectFrom('claim_payments')
    .innerJoin('remittances', 'remittances.id', 'claim_payments.remittance_id')
    .innerJoin('claims', 'claims.id', 'claim_payments.claim_id')
    .select(['claim_payments.id as paymentId', 'claim_payments.summary', 'claims.id as claimUuid'])
    .where('remittances.era_file_id', '=', eraFileId)
    .where('claim_payments.signalled_at', 'is', null)
    .orderBy('remittances.transaction_index')
    .orderBy('claim_payments.claim_index')
    .execute();
}

export async function markSignalled(db: Db, paymentId: string): Promise<void> {
  await db
    .updateTable('claim_payments')
    .set({ signalled_at: new Date() })
    .where('id', '=', paymentId)
    .execute();
}
