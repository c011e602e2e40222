/**
 * Remittances: ERA (835) storage and posting, the pull cursor, the claims still to be told about their
 * postings, the remittance lists and the manual match of an unmatched claim loop (docs/x12-835.md).
 *
 * A file is stored raw with its checksum (the same bytes twice is a no-op), parsed whole before anything
 * is posted, and posted in one transaction whose unique keys make a second or concurrent posting of the
 * same content write nothing. Unmatched claim loops are queued with their reason, never dropped. A
 * remittance or unmatched loop whose payee matched no practice (practice_id null) belongs to nobody yet:
 * only an admin sees it.
 */
import { createHash } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { ClaimRef } from '../domain/claim.js';
import { type ClaimStatus, isTerminal } from '../domain/claim-status.js';
import type { Cents } from '../domain/money.js';
import {
  type RemittanceContract,
  type RemittanceSummary,
  summariseClaimPayment,
} from '../domain/remittance.js';
import {
  parse835WithWarnings,
  type Remittance835,
  X12ParseError,
  type X12Warning,
} from '../domain/x12/index.js';
import { claimRefOf, claimResumeRow } from './claims.js';
import { type ContractCache, contractVerdict, trackVariance } from './fee-schedules.js';
import type { Db } from './pool.js';
import type { ClaimResumeRow } from './records.js';
import type { ClaimRow, Database } from './schema.js';
import { cursorTimestamp, dayEnd, dayStart } from './sql-fragments.js';

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
      /** Harmless noise the file carried (docs/835-tolerance.md); stored on its remittances. */
      warnings: X12Warning[];
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
  let warnings: X12Warning[];
  try {
    ({ remittances: parsed, warnings } = parse835WithWarnings(input.raw));
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
    warnings,
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
  const { remittances, warnings } = parse835WithWarnings(file.raw);
  const result: PostingResult = { posted: 0, alreadyPosted: 0, unmatched: 0 };
  const contracts: ContractCache = new Map();
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
          // The file's warnings (whitespace, a missing BPR16, ...) go with each payment it carried.
          parse_warnings: JSON.stringify(warnings),
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
        // PLB belongs to the payment, not to any claim (docs/x12-835.md).
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
          contracts,
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
  input: {
    claim: ClaimRow;
    remittanceId: string;
    payerId: string;
    r: Remittance835;
    claimIndex: number;
    contracts?: ContractCache;
  },
): Promise<boolean> {
  const { claim, r, payerId } = input;
  const clp = r.claims[input.claimIndex]!;
  const summary = summariseClaimPayment(clp, {
    payerId,
    traceNumber: r.traceNumber,
    paymentDate: r.paymentDate,
  });
  // The contract comparison travels with the posting's signal: an open underpayment keeps the claim
  // from closing PAID (docs/fee-schedules.md). Informational loops (23, 25) are not compared.
  const check =
    clp.statusCode === '23' || clp.statusCode === '25'
      ? undefined
      : await contractVerdict(trx, { claim, payerId, clp, cache: input.contracts });
  const contract: RemittanceContract | undefined = check && {
    kind: check.kind,
    expectedCents: check.expectedCents,
    payerAllowedCents: check.payerAllowedCents,
    varianceCents: check.varianceCents,
  };
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
      summary: JSON.stringify(contract ? { ...summary, contract } : summary),
      contract_check: check ? JSON.stringify(check) : null,
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
  if (check) await trackVariance(trx, { claim, payerId, paymentId: payment.id, verdict: check });
  return true;
}

/**
 * A posting its claim has not been told about yet, with what the claim's workflow is started or
 * signalled with (`reopenWithRemittance` in temporal/claim-client.ts). The signal is sent after the
 * posting commits, then `markSignalled` records it, so a retry re-sends only what was not marked.
 */
export interface PendingClaimSignal {
  paymentId: string;
  claim: ClaimRef;
  status: ClaimStatus;
  openBalanceCents: Cents;
  resume: ClaimResumeRow;
  summary: RemittanceSummary;
}

async function pendingSignalOf(
  db: Db,
  p: { paymentId: string; summary: unknown; claimUuid: string },
): Promise<PendingClaimSignal> {
  const claim = await db
    .selectFrom('claims')
    .selectAll()
    .where('id', '=', p.claimUuid)
    .executeTakeFirstOrThrow();
  return {
    paymentId: p.paymentId,
    claim: claimRefOf(claim),
    status: claim.status as ClaimStatus,
    openBalanceCents: claim.open_balance_cents,
    resume: await claimResumeRow(db, claim),
    // The posting stored the summary it was made from (`summariseClaimPayment`).
    summary: p.summary as RemittanceSummary,
  };
}

/** Postings of a file whose claim has not been told yet, in file order. */
export async function unsignalledPostings(db: Db, eraFileId: string): Promise<PendingClaimSignal[]> {
  const rows = await db
    .selectFrom('claim_payments')
    .innerJoin('remittances', 'remittances.id', 'claim_payments.remittance_id')
    .innerJoin('claims', 'claims.id', 'claim_payments.claim_id')
    .select(['claim_payments.id as paymentId', 'claim_payments.summary', 'claims.id as claimUuid'])
    .where('remittances.era_file_id', '=', eraFileId)
    .where('claim_payments.signalled_at', 'is', null)
    .orderBy('remittances.transaction_index')
    .orderBy('claim_payments.claim_index')
    .execute();
  const out: PendingClaimSignal[] = [];
  // One at a time: each resume row must see the postings before it.
  for (const r of rows) out.push(await pendingSignalOf(db, r));
  return out;
}

/** The signal one posting (a manual match) owes its claim. */
export async function pendingSignalOfPayment(db: Db, paymentId: string): Promise<PendingClaimSignal> {
  const row = await db
    .selectFrom('claim_payments')
    .select(['id as paymentId', 'summary', 'claim_id as claimUuid'])
    .where('id', '=', paymentId)
    .executeTakeFirstOrThrow();
  return pendingSignalOf(db, row);
}

export async function markSignalled(db: Db, paymentId: string): Promise<void> {
  await db
    .updateTable('claim_payments')
    .set({ signalled_at: new Date() })
    .where('id', '=', paymentId)
    .execute();
}

/** Where the scheduled ERA pull left off at the clearinghouse; undefined before the first pull. */
export async function eraPullCursor(db: Db): Promise<string | undefined> {
  const row = await db
    .selectFrom('sync_cursors')
    .select('value')
    .where('name', '=', 'era-pull')
    .executeTakeFirst();
  return row?.value;
}

/** Advances the ERA pull cursor (after the files it covers are stored). */
export async function setEraPullCursor(db: Db, value: string): Promise<void> {
  await db
    .insertInto('sync_cursors')
    .values({ name: 'era-pull', value })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value, updated_at: new Date() }))
    .execute();
}

/** Which practice-less rows a caller may see besides its practices' own. */
export interface PracticeScope {
  practiceIds: readonly string[];
  includeUnassigned: boolean;
}

function inScope(column: string, scope: PracticeScope) {
  const own = sql`${sql.ref(column)} in (${sql.join([...scope.practiceIds])})`;
  return scope.includeUnassigned
    ? sql<boolean>`(${own} or ${sql.ref(column)} is null)`
    : sql<boolean>`${own}`;
}

export interface RemittanceListFilter {
  scope: PracticeScope;
  payerId?: string;
  receivedFrom?: string;
  receivedTo?: string;
  after?: { receivedAt: string; id: string };
  limit: number;
}

/** Remittances (one per 835 transaction set), newest first, with their posted and unmatched loop counts. */
export async function listRemittances(db: Db, f: RemittanceListFilter) {
  let q = db
    .selectFrom('remittances')
    .select([
      'remittances.id',
      'remittances.era_file_id',
      'remittances.practice_id',
      'remittances.payer_id',
      'remittances.trace_number',
      'remittances.payment_cents',
      'remittances.payment_method',
      'remittances.payment_date',
      'remittances.parse_warnings',
      'remittances.received_at',
    ])
    .select(cursorTimestamp('remittances.received_at').as('cursor_ts'))
    .select((eb) => [
      eb
        .selectFrom('claim_payments')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('claim_payments.remittance_id', '=', 'remittances.id')
        .as('posted_claims'),
      eb
        .selectFrom('unmatched_claim_payments')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('unmatched_claim_payments.remittance_id', '=', 'remittances.id')
        .as('unmatched_claims'),
    ])
    .where(inScope('remittances.practice_id', f.scope));
  if (f.payerId) q = q.where('remittances.payer_id', '=', f.payerId);
  if (f.receivedFrom) q = q.where('remittances.received_at', '>=', dayStart(f.receivedFrom));
  if (f.receivedTo) q = q.where('remittances.received_at', '<', dayEnd(f.receivedTo));
  if (f.after) {
    const { receivedAt, id } = f.after;
    q = q.where(
      sql<boolean>`(remittances.received_at, remittances.id) < (${receivedAt}::timestamptz, ${id}::uuid)`,
    );
  }
  return q
    .orderBy('remittances.received_at', 'desc')
    .orderBy('remittances.id', 'desc')
    .limit(f.limit + 1)
    .execute();
}

export interface UnmatchedFilter {
  scope: PracticeScope;
  status: 'OPEN' | 'MATCHED';
  after?: { createdAt: string; id: string };
  limit: number;
}

/** The unmatched queue, oldest first (the longest-waiting money first). */
export async function listUnmatched(db: Db, f: UnmatchedFilter) {
  let q = db
    .selectFrom('unmatched_claim_payments')
    .innerJoin('remittances', 'remittances.id', 'unmatched_claim_payments.remittance_id')
    .selectAll('unmatched_claim_payments')
    .select(['remittances.trace_number', 'remittances.payment_date'])
    .select(cursorTimestamp('unmatched_claim_payments.created_at').as('cursor_ts'))
    .where('unmatched_claim_payments.status', '=', f.status)
    .where(inScope('unmatched_claim_payments.practice_id', f.scope));
  if (f.after) {
    const { createdAt, id } = f.after;
    q = q.where(
      sql<boolean>`(unmatched_claim_payments.created_at, unmatched_claim_payments.id) > (${createdAt}::timestamptz, ${id}::uuid)`,
    );
  }
  return q
    .orderBy('unmatched_claim_payments.created_at')
    .orderBy('unmatched_claim_payments.id')
    .limit(f.limit + 1)
    .execute();
}

export async function getUnmatched(db: Db, id: string) {
  return db.selectFrom('unmatched_claim_payments').selectAll().where('id', '=', id).executeTakeFirst();
}

export type ManualMatchResult =
  | { kind: 'posted'; paymentId: string }
  | { kind: 'not_open'; status: string }
  | { kind: 'already_posted' };

/**
 * Posts an unmatched claim loop to the chosen claim and marks it MATCHED, in one transaction (the row is
 * locked first, so two supervisors matching the same loop post it once). The posting reuses the ERA
 * posting code, so its key (payer, trace, CLP01, CLP07) still guards against posting the loop twice.
 */
export async function matchUnmatched(
  db: Db,
  input: { unmatchedId: string; claim: ClaimRow; matchedBy: string },
): Promise<ManualMatchResult> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('unmatched_claim_payments')
      .selectAll()
      .where('id', '=', input.unmatchedId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (row.status !== 'OPEN') return { kind: 'not_open', status: row.status } as const;
    const remittance = await trx
      .selectFrom('remittances')
      .select(['id', 'parsed'])
      .where('id', '=', row.remittance_id)
      .executeTakeFirstOrThrow();
    const parsed = remittance.parsed as Remittance835;
    const posted = await postClaimPayment(trx, {
      claim: input.claim,
      remittanceId: remittance.id,
      payerId: row.payer_id,
      r: parsed,
      claimIndex: row.claim_index,
    });
    if (!posted) return { kind: 'already_posted' } as const;
    await trx
      .updateTable('unmatched_claim_payments')
      .set({
        status: 'MATCHED',
        matched_claim_id: input.claim.id,
        matched_by: input.matchedBy,
        matched_at: new Date(),
      })
      .where('id', '=', row.id)
      .execute();
    const payment = await trx
      .selectFrom('claim_payments')
      .select('id')
      .where('claim_id', '=', input.claim.id)
      .where('remittance_id', '=', remittance.id)
      .where('patient_control_number', '=', parsed.claims[row.claim_index]!.patientControlNumber)
      .orderBy('posted_at', 'desc')
      .executeTakeFirstOrThrow();
    return { kind: 'posted', paymentId: payment.id } as const;
  });
}
