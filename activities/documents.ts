/**
 * Document activities: build an appeal packet from the claim's Postgres record and its chosen
 * attachments, store it content-addressed, and send it to the payer; render each dunning cycle's patient
 * statement. Files never pass through workflow history: the workflow sends ids in and gets ids and
 * hashes back. Every step is keyed so a retry repeats nothing that already happened:
 * - the packet is stored once per (claim, appeal level) (`documents.document_key`); a retry reuses it;
 * - it is sent with the workflow's idempotency key, and once the payer's receipt is recorded it is not
 *   sent again at all.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Logger } from 'pino';
import { getClaimByUuid } from '../db/claims.js';
import {
  type AppealLetterRequest,
  DocumentDataMissing,
  latestPayerClaimNumber,
  loadAppealPacketData,
  loadStatementData,
} from '../db/document-data.js';
import { currentTemplates } from '../db/document-templates.js';
import { findDocumentByKey, markDocumentSent, recordDocument, recordFileEvent } from '../db/documents.js';
import type { Db } from '../db/pool.js';
import type { StatementRequest } from '../db/records.js';
import { buildAppealPacket } from '../documents/appeal-packet.js';
import { type AttachmentStore, readAll, readPacketAttachments } from '../documents/attachments/store.js';
import { isDocumentError } from '../documents/errors.js';
import { DEFAULT_BUDGET } from '../documents/pdf/assemble.js';
import { renderPatientStatement } from '../documents/statement.js';
import type { AppealTemplate } from '../documents/templates/appeal-templates.js';
import type { RenderBudget } from '../documents/types.js';
import { FailureType } from '../domain/failures.js';
import type { PayerGateway } from './payer/gateway.js';
import { PayerGatewayError } from './payer/gateway.js';

/** What the document activities need (the activities' deps; `store` is required to render). */
export interface DocumentActivityDeps {
  db: Db;
  store?: AttachmentStore;
  payer: PayerGateway;
  log: Logger;
  budget?: RenderBudget;
}

/** What the workflow asks for when a biller files an appeal with attachments. */
export interface AppealPacketRequest extends AppealLetterRequest {
  practiceId: string;
  /** Made in the workflow: the payer files one packet per key. */
  idempotencyKey: string;
}

/** What the workflow gets back: ids and hashes, never bytes. */
export interface AppealPacketResult {
  documentId: string;
  sha256: string;
  pageCount: number;
  packetId: string;
  receivedAt: string;
}

/** The idempotency key of a claim's packet for one appeal level. */
export function appealPacketKey(claimUuid: string, level: number): string {
  return `appeal-packet:${claimUuid}:${level}`;
}

/** The idempotency key of one dunning statement's PDF. */
export function statementDocumentKey(claimUuid: string, statementKey: string): string {
  return `statement:${claimUuid}:${statementKey}`;
}

function refuse(type: string, message: string, field?: string): never {
  throw ApplicationFailure.nonRetryable(message, type, field ? { field } : {});
}

/** A documents-module refusal becomes a non-retryable failure with its type; anything else is retried. */
function asFailure(err: unknown): unknown {
  if (isDocumentError(err) || err instanceof DocumentDataMissing) {
    return ApplicationFailure.nonRetryable(err.message, err.type, { field: err.field });
  }
  if (err instanceof PayerGatewayError) {
    if (err.kind === 'rejected')
      return ApplicationFailure.nonRetryable(err.message, FailureType.PayerRejected);
    if (err.kind === 'rate_limited') {
      return ApplicationFailure.create({
        message: err.message,
        type: FailureType.PayerRateLimited,
        nextRetryDelay: err.retryAfterMs ?? 1_000,
      });
    }
    return ApplicationFailure.retryable(err.message, FailureType.PayerUnavailable);
  }
  return err;
}

export function createDocumentActivities(deps: DocumentActivityDeps) {
  const { db, payer, log } = deps;
  const budget = deps.budget ?? DEFAULT_BUDGET;
  const storeOf = (): AttachmentStore =>
    deps.store ??
    refuse(FailureType.DocumentDataInvalid, 'No attachment store is configured for this worker.', 'store');

  /** Builds and stores the packet, or finds the one a previous attempt stored. */
  async function storedPacket(req: AppealPacketRequest) {
    const store = storeOf();
    const key = appealPacketKey(req.claimUuid, req.level);
    const existing = await findDocumentByKey(db, req.practiceId, key);
    if (existing) return existing;
    const loaded = await loadAppealPacketData(db, req);
    const data = { ...loaded.data, attachments: await readPacketAttachments(store, loaded.attachments) };
    const practiceTemplates = (await currentTemplates(db, req.practiceId)) as (AppealTemplate & {
      version: number;
    })[];
    const packet = await buildAppealPacket(data, { practiceTemplates, budget });
    const stored = await store.put(packet.bytes, {
      maxBytes: budget.maxBytes,
      fileName: 'appeal-packet.pdf',
    });
    const version = practiceTemplates.find((t) => t.key === packet.templateKey);
    const { document } = await recordDocument(db, {
      practiceId: req.practiceId,
      claimUuid: req.claimUuid,
      kind: 'APPEAL_PACKET',
      documentKey: key,
      sha256: stored.sha256,
      mediaType: stored.mediaType,
      sizeBytes: stored.sizeBytes,
      pageCount: packet.pageCount,
      templateKey: packet.templateKey,
      templateVersion: version?.version,
      attachmentIds: req.attachmentIds,
    });
    await recordFileEvent(db, {
      eventKey: `${key}:generated`,
      claimUuid: req.claimUuid,
      practiceId: req.practiceId,
      actor: 'system',
      kind: 'DOCUMENT_GENERATED',
      data: { documentId: document.id, sha256: document.sha256, sizeBytes: document.sizeBytes },
    });
    log.info(
      {
        claimUuid: req.claimUuid,
        documentId: document.id,
        pageCount: packet.pageCount,
        sha256: document.sha256,
      },
      'appeal packet stored',
    );
    return document;
  }

  return {
    /**
     * Builds the appeal packet (once per claim and level), stores it with its hash and sends it to the
     * payer. A retry after any step resumes from that step: the stored packet is reused, a packet the
     * payer acknowledged is not sent again, and a send whose answer was lost is replayed under the same
     * idempotency key, which the payer files once.
     */
    async deliverAppealPacket(req: AppealPacketRequest): Promise<AppealPacketResult> {
      try {
        const store = storeOf();
        const document = await storedPacket(req);
        if (document.sentAt && document.deliveryReference) {
          return {
            documentId: document.id,
            sha256: document.sha256,
            pageCount: document.pageCount ?? 0,
            packetId: document.deliveryReference,
            receivedAt: document.sentAt,
          };
        }
        const claim = await getClaimByUuid(db, req.claimUuid);
        if (!claim) refuse(FailureType.ClaimNotFound, `claim ${req.claimUuid} not found`);
        const pdf = await readAll(await store.open(document.sha256));
        const receipt = await payer.sendAppealPacket({
          idempotencyKey: req.idempotencyKey,
          payerId: claim.payer_id,
          patientControlNumber: claim.patient_control_number,
          payerClaimNumber: claim.payer_claim_number ?? (await latestPayerClaimNumber(db, claim.id)),
          level: req.level,
          sha256: document.sha256,
          attachmentCount: req.attachmentIds.length,
          pageCount: document.pageCount ?? 0,
          pdf,
        });
        await markDocumentSent(db, document.id, receipt.packetId, receipt.receivedAt);
        await recordFileEvent(db, {
          eventKey: `${appealPacketKey(req.claimUuid, req.level)}:sent`,
          claimUuid: req.claimUuid,
          practiceId: req.practiceId,
          actor: 'system',
          kind: 'APPEAL_PACKET_SENT',
          data: { documentId: document.id, sha256: document.sha256 },
        });
        return {
          documentId: document.id,
          sha256: document.sha256,
          pageCount: document.pageCount ?? 0,
          packetId: receipt.packetId,
          receivedAt: receipt.receivedAt,
        };
      } catch (err) {
        throw asFailure(err);
      }
    },

    /**
     * Renders one dunning cycle's statement as a PDF and stores it (once per statement key). Returns
     * undefined, rendering nothing, when the patient has no guarantor address to mail it to: the
     * statement row is still written by the dunning, and the work queue shows the missing address.
     */
    async renderStatementDocument(
      req: StatementRequest & { sequence: number },
    ): Promise<{ documentId: string; sha256: string; pageCount: number } | undefined> {
      if (req.kind === 'COLLECTIONS') return undefined;
      const key = statementDocumentKey(req.claimUuid, req.statementKey);
      try {
        const store = storeOf();
        const existing = await findDocumentByKey(db, req.practiceId, key);
        if (existing)
          return { documentId: existing.id, sha256: existing.sha256, pageCount: existing.pageCount ?? 0 };
        const data = await loadStatementData(db, req);
        if (!data) return undefined;
        const pdf = await renderPatientStatement(data, budget);
        const stored = await store.put(pdf.bytes, { maxBytes: budget.maxBytes, fileName: 'statement.pdf' });
        const statementRow = await db
          .selectFrom('patient_statements')
          .select('id')
          .where('claim_id', '=', req.claimUuid)
          .where('statement_key', '=', req.statementKey)
          .executeTakeFirst();
        const { document } = await recordDocument(db, {
          practiceId: req.practiceId,
          claimUuid: req.claimUuid,
          kind: 'PATIENT_STATEMENT',
          documentKey: key,
          sha256: stored.sha256,
          mediaType: stored.mediaType,
          sizeBytes: stored.sizeBytes,
          pageCount: pdf.pageCount,
          statementId: statementRow?.id,
        });
        return { documentId: document.id, sha256: document.sha256, pageCount: pdf.pageCount };
      } catch (err) {
        throw asFailure(err);
      }
    },
  };
}

/** The payer claim number of the claim's latest posting, for a claim row that does not carry one yet. */
