/**
 * Helpers for the API route tests: single-practice keys (the demo keys hold both demo practices, so
 * isolation needs keys that do not), a database-only app for the tests that never touch Temporal,
 * driving real claims to a denial through payer-sim and the ERA pull, and seeding claims straight into
 * Postgres for the queries whose answers are computed by hand.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { sql } from 'kysely';
import { pino } from 'pino';
import { inject } from 'vitest';
import { type App, buildApp } from '../../api/app.js';
import { createApiKey, type Role } from '../../db/api-keys.js';
import { appendClaimEvent } from '../../db/claim-events.js';
import type { Db } from '../../db/pool.js';
import { seedDemoKeys } from '../../db/seed.js';
import type { ClaimStatus } from '../../domain/claim-status.js';
import { createTestDatabase } from '../support/db.js';
import { claimBody, eventually, type Stack } from '../support/stack.js';

/** Keys that hold only sunrise-fp: lakeside-ortho is "another practice" for them. */
export const SUNRISE_KEYS: Record<Role, string> = {
  biller: 'sunrise-biller-key',
  supervisor: 'sunrise-supervisor-key',
  admin: 'sunrise-admin-key',
  integration: 'sunrise-integration-key',
  // The installation's operator is no practice's: it holds every practice.
  operator: 'installation-operator-key',
};

export async function createSunriseKeys(db: Db): Promise<void> {
  for (const [role, key] of Object.entries(SUNRISE_KEYS) as [Role, string][]) {
    const practiceIds = role === 'operator' ? ['sunrise-fp', 'lakeside-ortho'] : ['sunrise-fp'];
    await createApiKey(db, { userId: `sunrise-${role}`, role, practiceIds, key });
  }
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
export const sunrise = (role: Role) => bearer(SUNRISE_KEYS[role]);

/** An app over a fresh database whose Temporal client never connects: for routes that read Postgres only. */
export async function startDbApp(opts: { rateLimitPerMinute?: number; log?: pino.Logger } = {}): Promise<{
  app: App;
  db: Db;
  stop(): Promise<void>;
}> {
  const tdb = await createTestDatabase();
  await seedDemoKeys(tdb.db);
  await createSunriseKeys(tdb.db);
  const connection = Connection.lazy({ address: inject('temporalAddress') });
  const app = await buildApp({
    db: tdb.db,
    temporal: new Client({ connection }),
    log: opts.log ?? pino({ level: 'silent' }),
    config: {
      temporal: {
        address: inject('temporalAddress'),
        namespace: 'default',
        taskQueue: 'unused',
        uiUrl: 'http://ui.test',
        cliPath: undefined,
      },
      api: {
        host: '127.0.0.1',
        port: 0,
        rateLimitPerMinute: opts.rateLimitPerMinute ?? 10_000,
        bodyLimitBytes: 1024 * 1024,
      },
    },
  });
  await app.ready();
  return {
    app,
    db: tdb.db,
    async stop() {
      await app.close();
      await connection.close();
      await tdb.drop();
    },
  };
}

export interface ClaimJson {
  id: string;
  status: string;
  workflowId: string;
  practiceId: string;
  claimId: string;
  [key: string]: unknown;
}

async function claimStatus(stack: Stack, id: string): Promise<ClaimJson> {
  const res = await stack.app.inject({ method: 'GET', url: `/claims/${id}`, headers: stack.auth('admin') });
  return res.json() as ClaimJson;
}

/** Waits until the claim's projected status is one of `statuses`. */
export async function waitForStatus(
  stack: Stack,
  id: string,
  statuses: string[],
  timeoutMs = 30_000,
): Promise<ClaimJson> {
  return eventually(
    async () => {
      const c = await claimStatus(stack, id);
      return statuses.includes(c.status) ? c : undefined;
    },
    `claim ${id} to reach ${statuses.join('|')}`,
    timeoutMs,
  );
}

/**
 * Submits claims whose member ids force payer-sim outcomes (`DENY50-`, `PAID-`, ...), waits until each is
 * with the payer, pulls the ERAs once and waits until each has left AWAITING_ADJUDICATION.
 */
export async function adjudicatedClaims(
  stack: Stack,
  memberIds: string[],
  overrides: Record<string, unknown> = {},
): Promise<ClaimJson[]> {
  const created: ClaimJson[] = [];
  for (const memberId of memberIds) {
    const body = claimBody(overrides);
    body.patient.memberId = memberId;
    const res = await stack.app.inject({
      method: 'POST',
      url: '/claims',
      headers: stack.auth('biller'),
      payload: body,
    });
    if (res.statusCode !== 201) throw new Error(`claim intake failed: ${res.statusCode} ${res.body}`);
    created.push(res.json() as ClaimJson);
  }
  for (const c of created) await waitForStatus(stack, c.id, ['AWAITING_ADJUDICATION']);
  // payer-sim adjudicates on its tick; pull until every claim has its remittance.
  return eventually(
    async () => {
      await stack.pullEras();
      const now = await Promise.all(created.map((c) => claimStatus(stack, c.id)));
      return now.every((c) => c.status !== 'AWAITING_ADJUDICATION' && c.status !== 'SUBMITTING')
        ? now
        : undefined;
    },
    'every claim to be adjudicated',
    40_000,
  );
}

export interface SeedClaim {
  practiceId?: string;
  claimId?: string;
  payerId?: string;
  status?: string;
  dateOfService?: string;
  totalChargeCents?: number;
  paidCents?: number;
  adjustmentCents?: number;
  patientPaidCents?: number;
  writtenOffCents?: number;
  openBalanceCents?: number;
  denialCategory?: string | null;
  assignedTo?: string | null;
  escalated?: boolean;
  nextDeadline?: string | null;
  submittedAt?: string | null;
  firstDeniedAt?: string | null;
  firstActionAt?: string | null;
  lastActivityAt?: string;
  createdAt?: string;
}

let seedSeq = 0;

/** Inserts a claim row (with a one-line claim and a patient) directly, for queries tested against hand-computed answers. */
export async function seedClaim(db: Db, c: SeedClaim = {}): Promise<string> {
  seedSeq += 1;
  const practiceId = c.practiceId ?? 'sunrise-fp';
  const claimId = c.claimId ?? `S${Date.now().toString(36).toUpperCase()}${seedSeq}`;
  const patient = await db
    .insertInto('patients')
    .values({
      practice_id: practiceId,
      external_id: `P-${claimId}`,
      first_name: 'Grace',
      last_name: 'Hopper',
      birth_date: '1970-01-01',
      member_id: 'SEED-1',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const charge = c.totalChargeCents ?? 10_000;
  const row = await db
    .insertInto('claims')
    .values({
      practice_id: practiceId,
      claim_id: claimId,
      patient_control_number: claimId,
      patient_id: patient.id,
      payer_id: c.payerId ?? 'ACME-HEALTH',
      billing_provider_npi: '1234567893',
      date_of_service: c.dateOfService ?? '2026-01-15',
      diagnosis_codes: ['E11.9'],
      total_charge_cents: charge,
      status: c.status ?? 'AWAITING_ADJUDICATION',
      paid_cents: c.paidCents ?? 0,
      adjustment_cents: c.adjustmentCents ?? 0,
      patient_paid_cents: c.patientPaidCents ?? 0,
      written_off_cents: c.writtenOffCents ?? 0,
      open_balance_cents: c.openBalanceCents ?? charge,
      denial_category: c.denialCategory ?? null,
      assigned_to: c.assignedTo ?? null,
      escalated: c.escalated ?? false,
      next_deadline: c.nextDeadline ?? null,
      submitted_at: c.submittedAt === undefined ? null : c.submittedAt,
      first_denied_at: c.firstDeniedAt ?? null,
      first_action_at: c.firstActionAt ?? null,
      workflow_id: `claim-${practiceId}-${claimId}`,
      ...(c.lastActivityAt ? { last_activity_at: c.lastActivityAt } : {}),
      ...(c.createdAt ? { created_at: c.createdAt } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('claim_lines')
    .values({
      claim_id: row.id,
      line_number: 1,
      procedure_code: '99213',
      modifiers: [],
      units: 1,
      charge_cents: charge,
      service_date: c.dateOfService ?? '2026-01-15',
      diagnosis_pointers: [1],
    })
    .execute();
  return row.id;
}

/** A remittance (with its stored ERA file) to hang seeded postings on. */
export async function seedRemittance(
  db: Db,
  opts: { practiceId?: string | null; payerId?: string; trace?: string } = {},
): Promise<string> {
  const trace = opts.trace ?? `TRN${randomUUID().slice(0, 8)}`;
  const file = await db
    .insertInto('era_files')
    .values({
      checksum: randomUUID(),
      source: 'upload',
      raw: `ISA*seed*${trace}~`,
      status: 'ACCEPTED',
      error: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const remittance = await db
    .insertInto('remittances')
    .values({
      era_file_id: file.id,
      transaction_index: 0,
      practice_id: opts.practiceId === undefined ? 'sunrise-fp' : opts.practiceId,
      payer_id: opts.payerId ?? 'ACME-HEALTH',
      trace_number: trace,
      payment_cents: 0,
      payment_method: 'CHK',
      payment_date: '2026-02-01',
      parsed: JSON.stringify({}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return remittance.id;
}

/** A posting of a claim with CAS adjustments `[group, carc, cents]`, posted at `postedAt`. */
export async function seedPosting(
  db: Db,
  input: {
    claimUuid: string;
    remittanceId: string;
    postedAt: string;
    paidCents?: number;
    chargeCents?: number;
    statusCode?: string;
    isReversal?: boolean;
    adjustments?: [string, string, number][];
  },
): Promise<string> {
  const claim = await db
    .selectFrom('claims')
    .select(['patient_control_number', 'payer_id'])
    .where('id', '=', input.claimUuid)
    .executeTakeFirstOrThrow();
  const payment = await db
    .insertInto('claim_payments')
    .values({
      claim_id: input.claimUuid,
      remittance_id: input.remittanceId,
      claim_index: 0,
      payer_id: claim.payer_id,
      trace_number: `T-${randomUUID()}`,
      patient_control_number: claim.patient_control_number,
      payer_claim_number: `ICN-${randomUUID().slice(0, 8)}`,
      is_reversal: input.isReversal ?? false,
      status_code: input.statusCode ?? '1',
      charge_cents: input.chargeCents ?? 0,
      paid_cents: input.paidCents ?? 0,
      patient_responsibility_cents: 0,
      remark_codes: [],
      summary: JSON.stringify({}),
      posted_at: input.postedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const [group, reason, cents] of input.adjustments ?? []) {
    await db
      .insertInto('claim_adjustments')
      .values({
        claim_payment_id: payment.id,
        claim_id: input.claimUuid,
        group_code: group,
        reason_code: reason,
        amount_cents: cents,
        remark_codes: [],
      })
      .execute();
  }
  return payment.id;
}

let eventSeq = 0;

/** An audit event of a seeded claim. */
export async function seedEvent(
  db: Db,
  input: {
    claimUuid: string;
    at: string;
    kind: string;
    toStatus?: string | null;
    fromStatus?: string | null;
    reason?: string;
  },
): Promise<void> {
  eventSeq += 1;
  const claim = await db
    .selectFrom('claims')
    .select('practice_id')
    .where('id', '=', input.claimUuid)
    .executeTakeFirstOrThrow();
  // Through the one writer of claim_events, so seeded trails carry their hash chain.
  await appendClaimEvent(db, {
    eventKey: `${input.claimUuid}:seed:${eventSeq}`,
    claimUuid: input.claimUuid,
    practiceId: claim.practice_id,
    at: input.at,
    actor: 'system',
    kind: input.kind,
    fromStatus: (input.fromStatus ?? null) as ClaimStatus | null,
    toStatus: (input.toStatus ?? null) as ClaimStatus | null,
    reason: input.reason,
  });
}

/** Removes every claim (and what hangs off it) from a test database, for files that seed several scenarios. */
export async function truncateClaims(db: Db): Promise<void> {
  await sql`truncate claim_events, claim_adjustments, claim_payments, unmatched_claim_payments, remittances, era_files,
    appeals, patient_statements, patient_payments, notifications, claim_lines, claims, patients cascade`.execute(
    db,
  );
}
