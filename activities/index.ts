/**
 * `createActivities(deps)`: the only code that touches the world on behalf of workflows: the payer
 * gateway, Postgres and outbound notifications. Every write is keyed so a retried activity never writes
 * twice; payer errors are classified for Temporal's retry (see `toActivityFailure`).
 */
import { createHmac } from 'node:crypto';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Logger } from 'pino';
import {
  claimRefOf,
  claimResumeRow,
  claimsAwaitingStart,
  getClaimByUuid,
  getClaimLines,
  recordClaimEvent,
} from '../db/claims.js';
import { applyCorrection } from '../db/corrections.js';
import { markSignalled, postEraFile, storeEraFile, unsignalledPostings } from '../db/era.js';
import { rulesInForce } from '../db/payer-rules.js';
import type { Db } from '../db/pool.js';
import { openClaimsOfPayer, setSignalledClaims } from '../db/queries/payer-rules.js';
import type { ClaimEventRecord, NotificationRequest, StatementRequest } from '../db/records.js';
import { DEFAULT_RULES, type PayerRules, type PayerType } from '../domain/payer-rules.js';
import type { RemittanceSummary } from '../domain/remittance.js';
import { startClaimWorkflow } from '../temporal/start-claim.js';
import { claimWorkflowId } from '../workflows/ids.js';
import type { PatientPayment } from '../workflows/messages.js';
import { payerRulesChangedSignal, remittanceReceivedSignal } from '../workflows/messages.js';
import { PayerIdKey, PracticeIdKey } from '../workflows/search-attributes.js';
import { type PayerGateway, PayerGatewayError } from './payer/gateway.js';

export interface ActivityDeps {
  db: Db;
  payer: PayerGateway;
  /** Used to signal claim workflows after ERA postings commit. */
  temporal: Client;
  taskQueue: string;
  log: Logger;
  /** Outbound webhook POST; injectable so tests can point it at a real local receiver. */
  fetch?: typeof fetch;
  webhookTimeoutMs?: number;
}

/** Maps a payer gateway error onto Temporal's retry semantics. */
export function toActivityFailure(err: unknown): unknown {
  if (!(err instanceof PayerGatewayError)) return err;
  if (err.kind === 'rejected')
    return ApplicationFailure.nonRetryable(err.message, 'PayerRejected', { status: err.status });
  if (err.kind === 'rate_limited') {
    return ApplicationFailure.create({
      message: err.message,
      type: 'PayerRateLimited',
      nextRetryDelay: err.retryAfterMs ?? 1_000,
    });
  }
  return ApplicationFailure.retryable(err.message, 'PayerUnavailable');
}

async function callPayer<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toActivityFailure(err);
  }
}

export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function createActivities(deps: ActivityDeps) {
  const { db, payer, log } = deps;
  const httpFetch = deps.fetch ?? fetch;

  return {
    async loadPayerRules(input: { payerId: string; practiceId: string; asOf: string }): Promise<PayerRules> {
      const rules = await rulesInForce(db, input.payerId, input.practiceId, input.asOf);
      if (rules) return rules;
      const payerRow = await db
        .selectFrom('payers')
        .select('payer_type')
        .where('id', '=', input.payerId)
        .executeTakeFirst();
      if (!payerRow) throw ApplicationFailure.nonRetryable(`unknown payer ${input.payerId}`, 'UnknownPayer');
      return DEFAULT_RULES[payerRow.payer_type as PayerType] ?? DEFAULT_RULES.COMMERCIAL;
    },

    async submitClaim(input: { claimUuid: string; idempotencyKey: string; frequencyCode: '1' | '7' }) {
      const claim = await getClaimByUuid(db, input.claimUuid);
      if (!claim)
        throw ApplicationFailure.nonRetryable(`claim ${input.claimUuid} not found`, 'ClaimNotFound');
      const [lines, patient] = await Promise.all([
        getClaimLines(db, claim.id),
        db.selectFrom('patients').selectAll().where('id', '=', claim.patient_id).executeTakeFirstOrThrow(),
      ]);
      log.info(
        { claimId: claim.claim_id, practiceId: claim.practice_id, frequency: input.frequencyCode },
        'submitting claim',
      );
      return callPayer(() =>
        payer.submitClaim({
          idempotencyKey: input.idempotencyKey,
          practiceId: claim.practice_id,
          claimId: claim.claim_id,
          patientControlNumber: claim.patient_control_number,
          payerId: claim.payer_id,
          frequencyCode: input.frequencyCode,
          originalPayerClaimNumber:
            input.frequencyCode === '7' ? (claim.payer_claim_number ?? undefined) : undefined,
          billingProviderNpi: claim.billing_provider_npi,
          patient: {
            memberId: patient.member_id,
            firstName: patient.first_name,
            lastName: patient.last_name,
            birthDate: patient.birth_date,
          },
          dateOfService: claim.date_of_service,
          totalChargeCents: claim.total_charge_cents,
          // ICD-10 codes travel in X12 (837P HI) without their decimal point.
          diagnosisCodes: claim.diagnosis_codes.map((c) => c.replace('.', '')),
          lines: lines.map((l) => ({
            lineNumber: l.line_number,
            procedureCode: l.procedure_code,
            modifiers: l.modifiers,
            units: l.units,
            chargeCents: l.charge_cents,
            serviceDate: l.service_date,
            diagnosisPointers: l.diagnosis_pointers,
          })),
        }),
      );
    },

    async claimStatusInquiry(input: { payerId: string; patientControlNumber: string }) {
      return callPayer(() => payer.claimStatus(input));
    },

    async submitAppeal(input: {
      claimUuid: string;
      level: number;
      grounds: string;
      attachments: string[];
      idempotencyKey: string;
      deadline: string;
      actor: string;
    }): Promise<{ appealId: string; receivedAt: string }> {
      const claim = await getClaimByUuid(db, input.claimUuid);
      if (!claim)
        throw ApplicationFailure.nonRetryable(`claim ${input.claimUuid} not found`, 'ClaimNotFound');
      const result = await callPayer(() =>
        payer.submitAppeal({
          idempotencyKey: input.idempotencyKey,
          patientControlNumber: claim.patient_control_number,
          payerClaimNumber: claim.payer_claim_number ?? '',
          level: input.level,
          grounds: input.grounds,
          attachments: input.attachments,
        }),
      );
      await db
        .insertInto('appeals')
        .values({
          claim_id: claim.id,
          level: input.level,
          grounds: input.grounds,
          attachments: input.attachments,
          deadline: input.deadline,
          payer_appeal_id: result.appealId,
          status: 'pending',
          filed_by: input.actor,
          filed_at: result.receivedAt,
        })
        .onConflict((oc) =>
          oc.columns(['claim_id', 'level']).doUpdateSet({ payer_appeal_id: result.appealId }),
        )
        .execute();
      return { appealId: result.appealId, receivedAt: result.receivedAt };
    },

    async appealStatus(input: { appealId: string }) {
      return callPayer(() => payer.appealStatus(input.appealId));
    },

    async recordAppealDecision(input: {
      claimUuid: string;
      level: number;
      outcome: 'overturned' | 'upheld';
      reason: string | null;
      decidedAt: string;
    }): Promise<void> {
      await db
        .updateTable('appeals')
        .set({ status: input.outcome, decision_reason: input.reason, decided_at: input.decidedAt })
        .where('claim_id', '=', input.claimUuid)
        .where('level', '=', input.level)
        .execute();
    },

    async applyCorrection(input: { claimUuid: string; changes: Record<string, unknown>; actor: string }) {
      try {
        return await applyCorrection(db, input.claimUuid, input.changes);
      } catch (err) {
        if (err instanceof RangeError)
          throw ApplicationFailure.nonRetryable(err.message, 'InvalidCorrection');
        throw err;
      }
    },

    async recordClaimEvent(input: ClaimEventRecord): Promise<void> {
      await recordClaimEvent(db, input);
    },

    /**
     * Writes the notification to the outbox (once per dedupe key), then delivers it as a webhook POST
     * signed with HMAC-SHA256 over the exact body (`X-Signature: sha256=<hex>`). A failed delivery throws
     * so Temporal retries; the outbox row records attempts and the last error.
     */
    async notify(input: NotificationRequest): Promise<{ delivered: boolean; notificationId: string }> {
      await db
        .insertInto('notifications')
        .values({
          dedupe_key: input.dedupeKey,
          practice_id: input.practiceId,
          claim_id: input.claimUuid,
          channel: input.channel,
          kind: input.kind,
          payload: JSON.stringify(input.payload),
        })
        .onConflict((oc) => oc.column('dedupe_key').doNothing())
        .execute();
      const row = await db
        .selectFrom('notifications')
        .selectAll()
        .where('dedupe_key', '=', input.dedupeKey)
        .executeTakeFirstOrThrow();
      if (row.status === 'DELIVERED') return { delivered: true, notificationId: row.id };
      const practice = await db
        .selectFrom('practices')
        .selectAll()
        .where('id', '=', input.practiceId)
        .executeTakeFirstOrThrow();
      const url =
        input.channel === 'supervisor'
          ? (practice.supervisor_webhook_url ?? practice.webhook_url)
          : practice.webhook_url;
      if (!url || !practice.webhook_secret) {
        await db
          .updateTable('notifications')
          .set({ status: 'NO_ENDPOINT' })
          .where('id', '=', row.id)
          .execute();
        return { delivered: false, notificationId: row.id };
      }
      const body = JSON.stringify({
        id: row.id,
        kind: row.kind,
        channel: row.channel,
        practiceId: row.practice_id,
        createdAt: row.created_at.toISOString(),
        payload: row.payload,
      });
      try {
        const res = await httpFetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-notification-id': row.id,
            'x-signature': signBody(practice.webhook_secret, body),
          },
          body,
          signal: AbortSignal.timeout(deps.webhookTimeoutMs ?? 10_000),
        });
        if (!res.ok) throw new Error(`webhook answered ${res.status}`);
      } catch (err) {
        await db
          .updateTable('notifications')
          .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: String(err), status: 'FAILED' }))
          .where('id', '=', row.id)
          .execute();
        throw ApplicationFailure.retryable(`webhook delivery failed: ${String(err)}`, 'WebhookFailed');
      }
      await db
        .updateTable('notifications')
        .set((eb) => ({
          attempts: eb('attempts', '+', 1),
          status: 'DELIVERED',
          delivered_at: new Date(),
          last_error: null,
        }))
        .where('id', '=', row.id)
        .execute();
      return { delivered: true, notificationId: row.id };
    },

    /** Posts a patient payment once per reference; `posted: false` when it was already posted. */
    async postPatientPayment(input: {
      claimUuid: string;
      payment: PatientPayment;
    }): Promise<{ posted: boolean }> {
      const row = await db
        .insertInto('patient_payments')
        .values({
          claim_id: input.claimUuid,
          reference: input.payment.reference,
          amount_cents: input.payment.amountCents,
          method: input.payment.method,
          received_at: input.payment.receivedAt,
        })
        .onConflict((oc) => oc.columns(['claim_id', 'reference']).doNothing())
        .returning('id')
        .executeTakeFirst();
      return { posted: row !== undefined };
    },

    /** Records a patient statement (rendering and mailing are the practice's statement vendor's job). */
    async sendPatientStatement(input: StatementRequest): Promise<void> {
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
        await trx
          .insertInto('claim_events')
          .values({
            event_key: `${input.claimUuid}:statement:${input.statementKey}`,
            claim_id: input.claimUuid,
            practice_id: input.practiceId,
            at: input.at,
            actor: 'system',
            kind: input.kind === 'COLLECTIONS' ? 'COLLECTIONS_HANDOFF' : 'PATIENT_STATEMENT',
            from_status: null,
            to_status: null,
            reason: `${input.kind} for ${input.amountDueCents} cents`,
            data: JSON.stringify({ statementKey: input.statementKey, dueDate: input.dueDate }),
          })
          .onConflict((oc) => oc.column('event_key').doNothing())
          .execute();
      });
    },

    async postEraFile(input: { eraFileId: string }) {
      return postEraFile(db, input.eraFileId);
    },

    /**
     * Tells each posted claim about its remittance. Signal-with-start: a running claim just gets the
     * signal; a closed one (a reversal or late payment months later) is reopened as a new run from its
     * Postgres row. Only claims we know reach here: unmatched loops never start anything.
     */
    async signalPostedClaims(input: { eraFileId: string }): Promise<{ signalled: number }> {
      const pending = await unsignalledPostings(db, input.eraFileId);
      for (const p of pending) {
        const claim = (await getClaimByUuid(db, p.claimUuid))!;
        const ref = claimRefOf(claim);
        await deps.temporal.workflow.signalWithStart('claimWorkflow', {
          workflowId: claimWorkflowId(claim.practice_id, claim.claim_id),
          taskQueue: deps.taskQueue,
          args: [{ claim: ref, resume: { fromRow: await claimResumeRow(db, claim) } }],
          signal: remittanceReceivedSignal,
          signalArgs: [p.summary as RemittanceSummary],
          typedSearchAttributes: [
            { key: PracticeIdKey, value: claim.practice_id },
            { key: PayerIdKey, value: claim.payer_id },
          ],
        });
        await markSignalled(db, p.paymentId);
      }
      return { signalled: pending.length };
    },

    /**
     * Starts the workflow of every claim stored but never started (intake answered 5xx because Temporal
     * was unreachable, and the client did not retry): no claim is left without its process.
     */
    async startOrphanedClaims(input: { olderThanMinutes: number }): Promise<{ started: number }> {
      const rows = await claimsAwaitingStart(db, input.olderThanMinutes);
      for (const row of rows) await startClaimWorkflow(deps.temporal, deps.taskQueue, row);
      if (rows.length > 0) log.warn({ count: rows.length }, 'started workflows of claims stored without one');
      return { started: rows.length };
    },

    /**
     * One page of a rule rollout: signals `payerRulesChanged` to open claims of the payer after `afterId`.
     * Signals are idempotent for the claim (it just reloads its rules), so a retried page is harmless.
     */
    async signalRulesChange(input: {
      payerId: string;
      practiceIds: string[] | 'all';
      afterId?: string;
      limit: number;
    }): Promise<{ signalled: number; lastId?: string }> {
      const page = await openClaimsOfPayer(db, input);
      let signalled = 0;
      for (const claim of page) {
        try {
          await deps.temporal.workflow.getHandle(claim.workflow_id).signal(payerRulesChangedSignal);
          signalled++;
        } catch (err) {
          if (!(err instanceof WorkflowNotFoundError)) throw err;
        }
      }
      return { signalled, lastId: page.length === input.limit ? page[page.length - 1]!.id : undefined };
    },

    async recordRulesRollout(input: { changeId: string; signalled: number }): Promise<void> {
      await setSignalledClaims(db, input.changeId, input.signalled);
    },

    /** Lists new ERA files at the clearinghouse after the stored cursor, stores each, advances the cursor. */
    async pullEraFiles(): Promise<{ eraFileId: string; checksum: string; rejected: boolean }[]> {
      const cursorRow = await db
        .selectFrom('sync_cursors')
        .select('value')
        .where('name', '=', 'era-pull')
        .executeTakeFirst();
      const listing = await callPayer(() => payer.listRemittances(cursorRow?.value));
      const out: { eraFileId: string; checksum: string; rejected: boolean }[] = [];
      for (const item of listing.items) {
        const raw = await callPayer(() => payer.fetchRemittance(item.id));
        const stored = await storeEraFile(db, {
          raw,
          source: 'pull',
          sourceRef: item.id,
          keepRejected: true,
        });
        if (stored.status === 'REJECTED') {
          log.warn({ sourceRef: item.id, error: stored.error.message }, 'pulled ERA file refused');
          out.push({ eraFileId: stored.eraFileId!, checksum: stored.checksum, rejected: true });
        } else {
          out.push({ eraFileId: stored.eraFileId, checksum: stored.checksum, rejected: false });
        }
      }
      if (listing.nextCursor) {
        await db
          .insertInto('sync_cursors')
          .values({ name: 'era-pull', value: listing.nextCursor })
          .onConflict((oc) =>
            oc.column('name').doUpdateSet({ value: listing.nextCursor!, updated_at: new Date() }),
          )
          .execute();
      }
      return out;
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
