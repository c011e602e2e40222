/**
 * Fee schedules (versioned contracted rates) and the payment variances measured against them at
 * posting time (docs/fee-schedules.md). `saveFeeSchedule` is the only writer of rates: a change never
 * edits a version, it writes the next one with all its rows. `checkPostingContract` runs inside the
 * posting transaction, so a posting and its variance commit together or not at all.
 */
import { sql, type Transaction } from 'kysely';
import {
  type BilledServiceLine,
  type ContractCheck,
  checkContract,
  type FeeScheduleRow,
  payerAllowedCents,
} from '../domain/fee-schedules.js';
import type { Cents } from '../domain/money.js';
import type { ClaimPayment } from '../domain/x12/model.js';
import type { Db } from './pool.js';
import type { ClaimRow, Database } from './schema.js';

type Reader = Db | Transaction<Database>;

/** A stored version of one practice's schedule with one payer. */
export interface FeeScheduleVersion {
  id: string;
  practiceId: string;
  payerId: string;
  version: number;
  source: 'CSV' | 'API';
  rowCount: number;
  createdBy: string;
  createdAt: string;
}

function versionOf(r: {
  id: string;
  practice_id: string;
  payer_id: string;
  version: number;
  source: 'CSV' | 'API';
  row_count: number;
  created_by: string;
  created_at: Date;
}): FeeScheduleVersion {
  return {
    id: r.id,
    practiceId: r.practice_id,
    payerId: r.payer_id,
    version: r.version,
    source: r.source,
    rowCount: r.row_count,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
  };
}

/**
 * Writes `rows` as the next version of the practice's schedule with the payer. Concurrent saves are
 * serialised on the (practice, payer) pair by an advisory lock, so version numbers never collide.
 */
export async function saveFeeSchedule(
  db: Db,
  input: {
    practiceId: string;
    payerId: string;
    rows: readonly FeeScheduleRow[];
    source: 'CSV' | 'API';
    createdBy: string;
  },
): Promise<FeeScheduleVersion> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`fee-schedule:${input.practiceId}:${input.payerId}`}))`.execute(
      trx,
    );
    const last = await trx
      .selectFrom('fee_schedule_versions')
      .select((eb) => eb.fn.max('version').as('v'))
      .where('practice_id', '=', input.practiceId)
      .where('payer_id', '=', input.payerId)
      .executeTakeFirst();
    const row = await trx
      .insertInto('fee_schedule_versions')
      .values({
        practice_id: input.practiceId,
        payer_id: input.payerId,
        version: Number(last?.v ?? 0) + 1,
        source: input.source,
        row_count: input.rows.length,
        created_by: input.createdBy,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    for (let i = 0; i < input.rows.length; i += 1000) {
      await trx
        .insertInto('fee_schedule_rates')
        .values(
          input.rows.slice(i, i + 1000).map((r, j) => ({
            version_id: row.id,
            seq: i + j + 1,
            procedure_code: r.procedureCode,
            modifier: r.modifier ?? null,
            plan_id: r.planId ?? null,
            allowed_cents: r.allowedCents,
            effective_from: r.effectiveFrom,
            effective_to: r.effectiveTo ?? null,
            multiple_procedure_reducible: r.multipleProcedureReducible,
            modifier_adjustments: r.modifierAdjustments ? JSON.stringify(r.modifierAdjustments) : null,
          })),
        )
        .execute();
    }
    return versionOf(row);
  });
}

/** Every version of the practice's schedule with the payer, newest first. */
export async function listFeeScheduleVersions(
  db: Reader,
  practiceId: string,
  payerId: string,
): Promise<FeeScheduleVersion[]> {
  const rows = await db
    .selectFrom('fee_schedule_versions')
    .selectAll()
    .where('practice_id', '=', practiceId)
    .where('payer_id', '=', payerId)
    .orderBy('version', 'desc')
    .execute();
  return rows.map(versionOf);
}

/** One version with its rates (the newest when `version` is undefined); undefined when there is none. */
export async function feeScheduleRates(
  db: Reader,
  practiceId: string,
  payerId: string,
  version?: number,
): Promise<{ version: FeeScheduleVersion; rows: FeeScheduleRow[] } | undefined> {
  let q = db
    .selectFrom('fee_schedule_versions')
    .selectAll()
    .where('practice_id', '=', practiceId)
    .where('payer_id', '=', payerId);
  q = version === undefined ? q.orderBy('version', 'desc').limit(1) : q.where('version', '=', version);
  const v = await q.executeTakeFirst();
  if (!v) return undefined;
  const rates = await db
    .selectFrom('fee_schedule_rates')
    .selectAll()
    .where('version_id', '=', v.id)
    .orderBy('seq')
    .execute();
  return {
    version: versionOf(v),
    rows: rates.map((r) => {
      const row: FeeScheduleRow = {
        payerId,
        practiceId,
        procedureCode: r.procedure_code,
        allowedCents: r.allowed_cents,
        effectiveFrom: r.effective_from,
        multipleProcedureReducible: r.multiple_procedure_reducible,
      };
      if (r.modifier !== null) row.modifier = r.modifier;
      if (r.plan_id !== null) row.planId = r.plan_id;
      if (r.effective_to !== null) row.effectiveTo = r.effective_to;
      if (r.modifier_adjustments !== null) {
        row.modifierAdjustments = r.modifier_adjustments as Record<string, number>;
      }
      return row;
    }),
  };
}

/** The contract check stored on a posting: the claim-level verdict plus this posting's own line amounts. */
export interface StoredContractCheck extends ContractCheck {
  /** The schedule version that priced the claim; absent when the practice has none with the payer. */
  scheduleVersion?: number;
  /** What this posting alone allowed per billed line number (reversals negative). */
  lineAllowed: Record<string, Cents>;
}

/** The billed line number an 835 service line answers: its REF*6R when numeric, else its position. */
export function billedLineNumber(line: ClaimPayment['serviceLines'][number], index: number): number {
  const ref = line.refs['6R'];
  return ref && /^\d+$/.test(ref) ? Number(ref) : index + 1;
}

/** Schedules and tolerances read once per posting run (an 835 holds many claims of one payer). */
export type ContractCache = Map<
  string,
  Promise<{ rows: FeeScheduleRow[]; version?: number; tolerance: { cents: Cents; percent: number } }>
>;

function contractTerms(
  trx: Transaction<Database>,
  practiceId: string,
  payerId: string,
  cache?: ContractCache,
) {
  const key = `${practiceId}|${payerId}`;
  const hit = cache?.get(key);
  if (hit) return hit;
  const load = (async () => {
    const schedule = await feeScheduleRates(trx, practiceId, payerId);
    const practice = await trx
      .selectFrom('practices')
      .select(['variance_tolerance_cents', 'variance_tolerance_percent'])
      .where('id', '=', practiceId)
      .executeTakeFirstOrThrow();
    return {
      rows: schedule?.rows ?? [],
      ...(schedule ? { version: schedule.version.version } : {}),
      tolerance: {
        cents: practice.variance_tolerance_cents,
        percent: Number(practice.variance_tolerance_percent),
      },
    };
  })();
  cache?.set(key, load);
  return load;
}

/**
 * The claim compared with its contract as it will stand once `clp` is posted (docs/fee-schedules.md):
 * this loop's allowed amounts added to those of every earlier posting of the claim. Read inside the
 * posting transaction, before the posting row is written, so the verdict is stored with it.
 */
export async function contractVerdict(
  trx: Transaction<Database>,
  input: { claim: ClaimRow; payerId: string; clp: ClaimPayment; cache?: ContractCache },
): Promise<StoredContractCheck> {
  const { claim, clp } = input;
  const lineAllowed: Record<string, Cents> = {};
  clp.serviceLines.forEach((line, i) => {
    const n = billedLineNumber(line, i);
    lineAllowed[n] = (lineAllowed[n] ?? 0) + payerAllowedCents(line);
  });
  const earlier = await trx
    .selectFrom('claim_payments')
    .select('contract_check')
    .where('claim_id', '=', claim.id)
    .execute();
  const net = new Map<number, Cents>();
  const sources = [...earlier.map((e) => e.contract_check as StoredContractCheck | null), { lineAllowed }];
  for (const source of sources) {
    for (const [n, cents] of Object.entries(source?.lineAllowed ?? {})) {
      net.set(Number(n), (net.get(Number(n)) ?? 0) + cents);
    }
  }
  const billedRows = await trx
    .selectFrom('claim_lines')
    .selectAll()
    .where('claim_id', '=', claim.id)
    .orderBy('line_number')
    .execute();
  const billed: (BilledServiceLine & { lineNumber: number })[] = billedRows.map((l) => ({
    lineNumber: l.line_number,
    procedureCode: l.procedure_code,
    modifiers: l.modifiers,
    units: Number(l.units),
    chargeCents: l.charge_cents,
    dateOfService: l.service_date,
  }));
  const terms = await contractTerms(trx, claim.practice_id, input.payerId, input.cache);
  const verdict = checkContract({
    billed,
    payerAllowedByLine: net,
    rows: terms.rows,
    ctx: { payerId: input.payerId, practiceId: claim.practice_id },
    tolerance: terms.tolerance,
  });
  const stored: StoredContractCheck = { ...verdict, lineAllowed };
  if (terms.version !== undefined) stored.scheduleVersion = terms.version;
  return stored;
}

/**
 * Opens, updates or resolves the claim's one open variance after the posting `paymentId` (in its
 * transaction; a retried posting never gets here twice, since the posting key is unique).
 */
export async function trackVariance(
  trx: Transaction<Database>,
  input: { claim: ClaimRow; payerId: string; paymentId: string; verdict: ContractCheck },
): Promise<void> {
  const { verdict } = input;
  // Nothing allowed to compare (a reversal awaiting its repost, a denial): the variance stands as it is.
  if (verdict.kind === 'NOT_CHECKED' || verdict.kind === 'NO_CONTRACT_RATE') return;
  const open = await trx
    .selectFrom('payment_variances')
    .selectAll()
    .where('claim_id', '=', input.claim.id)
    .where('status', '=', 'OPEN')
    .forUpdate()
    .executeTakeFirst();
  const amounts = {
    variance_cents: verdict.varianceCents,
    expected_cents: verdict.expectedCents,
    payer_allowed_cents: verdict.payerAllowedCents,
    tolerance_cents: verdict.toleranceCents,
  };
  if (verdict.kind === 'WITHIN_TOLERANCE') {
    if (!open) return;
    await trx
      .updateTable('payment_variances')
      .set({
        ...amounts,
        status: 'RESOLVED',
        resolved_by_payment_id: input.paymentId,
        resolved_at: new Date(),
        recovered_cents: open.opening_variance_cents - verdict.varianceCents,
      })
      .where('id', '=', open.id)
      .execute();
    return;
  }
  if (open) {
    await trx
      .updateTable('payment_variances')
      .set({
        ...amounts,
        kind: verdict.kind,
        recovered_cents: open.opening_variance_cents - verdict.varianceCents,
      })
      .where('id', '=', open.id)
      .execute();
    return;
  }
  await trx
    .insertInto('payment_variances')
    .values({
      ...amounts,
      practice_id: input.claim.practice_id,
      claim_id: input.claim.id,
      payer_id: input.payerId,
      kind: verdict.kind,
      status: 'OPEN',
      opening_variance_cents: verdict.varianceCents,
      opened_by_payment_id: input.paymentId,
    })
    .execute();
}

/** A payment variance as the API shows it. */
export interface PaymentVarianceView {
  id: string;
  claimId: string;
  claimNumber: string;
  payerId: string;
  kind: 'UNDERPAYMENT' | 'OVERPAYMENT';
  status: 'OPEN' | 'RESOLVED';
  openingVarianceCents: Cents;
  varianceCents: Cents;
  expectedCents: Cents;
  payerAllowedCents: Cents;
  toleranceCents: Cents;
  recoveredCents: Cents;
  openedAt: string;
  resolvedAt: string | null;
}

/** The practice's variances, newest first (`status` filters; `claimId` is the claim's uuid). */
export async function listPaymentVariances(
  db: Reader,
  f: { practiceIds: readonly string[]; status?: 'OPEN' | 'RESOLVED'; claimId?: string; limit?: number },
): Promise<PaymentVarianceView[]> {
  if (f.practiceIds.length === 0) return [];
  let q = db
    .selectFrom('payment_variances as v')
    .innerJoin('claims as c', 'c.id', 'v.claim_id')
    .selectAll('v')
    .select('c.claim_id as claim_number')
    .where('v.practice_id', 'in', [...f.practiceIds]);
  if (f.status) q = q.where('v.status', '=', f.status);
  if (f.claimId) q = q.where('v.claim_id', '=', f.claimId);
  const rows = await q
    .orderBy('v.opened_at', 'desc')
    .orderBy('v.id')
    .limit(f.limit ?? 200)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    claimId: r.claim_id,
    claimNumber: r.claim_number,
    payerId: r.payer_id,
    kind: r.kind,
    status: r.status,
    openingVarianceCents: r.opening_variance_cents,
    varianceCents: r.variance_cents,
    expectedCents: r.expected_cents,
    payerAllowedCents: r.payer_allowed_cents,
    toleranceCents: r.tolerance_cents,
    recoveredCents: r.recovered_cents,
    openedAt: r.opened_at.toISOString(),
    resolvedAt: r.resolved_at ? r.resolved_at.toISOString() : null,
  }));
}

/** The revenue-integrity figures of practices: open underpaid dollars, recovered, unpriced postings. */
export async function varianceSummary(db: Reader, practiceIds: readonly string[]) {
  if (practiceIds.length === 0) {
    return { openUnderpaidCents: 0, recoveredCents: 0, noContractRatePostings: 0, openByPayer: [] };
  }
  const ids = [...practiceIds];
  const totals = await db
    .selectFrom('payment_variances')
    .select([
      sql<number>`coalesce(sum(variance_cents) filter (where status = 'OPEN' and kind = 'UNDERPAYMENT'), 0)::bigint`.as(
        'open',
      ),
      sql<number>`coalesce(sum(recovered_cents) filter (where kind = 'UNDERPAYMENT'), 0)::bigint`.as(
        'recovered',
      ),
    ])
    .where('practice_id', 'in', ids)
    .executeTakeFirstOrThrow();
  const byPayer = await db
    .selectFrom('payment_variances')
    .select([
      'payer_id',
      sql<number>`count(*)::int`.as('count'),
      sql<number>`sum(variance_cents)::bigint`.as('variance'),
    ])
    .where('practice_id', 'in', ids)
    .where('status', '=', 'OPEN')
    .groupBy('payer_id')
    .orderBy('payer_id')
    .execute();
  const unpriced = await db
    .selectFrom('claim_payments as p')
    .innerJoin('claims as c', 'c.id', 'p.claim_id')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('c.practice_id', 'in', ids)
    .where(sql<boolean>`p.contract_check->>'kind' = 'NO_CONTRACT_RATE'`)
    .executeTakeFirstOrThrow();
  return {
    openUnderpaidCents: Number(totals.open),
    recoveredCents: Number(totals.recovered),
    noContractRatePostings: unpriced.n,
    openByPayer: byPayer.map((r) => ({
      payerId: r.payer_id,
      count: r.count,
      varianceCents: Number(r.variance),
    })),
  };
}
