/**
 * Generated-document repository: appeal packets, timely-filing proofs, patient statements and print
 * batches, each stored in the attachment store under its SHA-256. `document_key` says what a document
 * is for (one packet per claim and appeal level, one statement per dunning cycle), so a retried
 * activity finds the row, and the bytes, it produced the first time instead of making a second one.
 * Also the claim timeline events of uploads and downloads.
 */

import type { Transaction } from 'kysely';
import { isUuid } from './attachments.js';
import { appendClaimEvent } from './claim-events.js';
import type { Guarantor } from './document-settings.js';
import type { Db } from './pool.js';
import type { Database } from './schema.js';

type DbOrTrx = Db | Transaction<Database>;

/** The kinds of generated documents. */
export type DocumentKind =
  | 'APPEAL_PACKET'
  | 'TIMELY_FILING_PROOF'
  | 'PATIENT_STATEMENT'
  | 'PRINT_BATCH'
  | 'PRINT_MANIFEST';

/** A generated document as the API and activities use it. */
export interface StoredDocument {
  id: string;
  practiceId: string;
  claimUuid: string | null;
  kind: DocumentKind;
  documentKey: string;
  sha256: string;
  mediaType: string;
  sizeBytes: number;
  pageCount: number | null;
  appealId: string | null;
  statementId: string | null;
  templateKey: string | null;
  templateVersion: number | null;
  attachmentIds: string[];
  createdAt: string;
  sentAt: string | null;
  deliveryReference: string | null;
}

/** What storing a document records. */
export interface NewDocument {
  practiceId: string;
  claimUuid?: string;
  kind: DocumentKind;
  documentKey: string;
  sha256: string;
  mediaType: string;
  sizeBytes: number;
  pageCount?: number;
  appealId?: string;
  statementId?: string;
  templateKey?: string;
  templateVersion?: number;
  attachmentIds?: string[];
}

const COLUMNS = [
  'id',
  'practice_id',
  'claim_id',
  'kind',
  'document_key',
  'sha256',
  'media_type',
  'size_bytes',
  'page_count',
  'appeal_id',
  'statement_id',
  'template_key',
  'template_version',
  'attachment_ids',
  'created_at',
  'sent_at',
  'delivery_reference',
] as const;

type Row = {
  id: string;
  practice_id: string;
  claim_id: string | null;
  kind: string;
  document_key: string;
  sha256: string;
  media_type: string;
  size_bytes: number;
  page_count: number | null;
  appeal_id: string | null;
  statement_id: string | null;
  template_key: string | null;
  template_version: number | null;
  attachment_ids: string[];
  created_at: Date;
  sent_at: Date | null;
  delivery_reference: string | null;
};

function toDocument(r: Row): StoredDocument {
  return {
    id: r.id,
    practiceId: r.practice_id,
    claimUuid: r.claim_id,
    kind: r.kind as DocumentKind,
    documentKey: r.document_key,
    sha256: r.sha256,
    mediaType: r.media_type,
    sizeBytes: r.size_bytes,
    pageCount: r.page_count,
    appealId: r.appeal_id,
    statementId: r.statement_id,
    templateKey: r.template_key,
    templateVersion: r.template_version,
    attachmentIds: r.attachment_ids,
    createdAt: r.created_at.toISOString(),
    sentAt: r.sent_at?.toISOString() ?? null,
    deliveryReference: r.delivery_reference,
  };
}

/** The document stored under `documentKey`, if any: a retry's first question. */
export async function findDocumentByKey(
  db: DbOrTrx,
  practiceId: string,
  documentKey: string,
): Promise<StoredDocument | undefined> {
  const row = await db
    .selectFrom('documents')
    .select(COLUMNS)
    .where('practice_id', '=', practiceId)
    .where('document_key', '=', documentKey)
    .executeTakeFirst();
  return row ? toDocument(row) : undefined;
}

/** Records a stored document once per key; returns the row that holds the key (the first one). */
export async function recordDocument(
  db: DbOrTrx,
  d: NewDocument,
): Promise<{ document: StoredDocument; created: boolean }> {
  const inserted = await db
    .insertInto('documents')
    .values({
      practice_id: d.practiceId,
      claim_id: d.claimUuid ?? null,
      kind: d.kind,
      document_key: d.documentKey,
      sha256: d.sha256,
      media_type: d.mediaType,
      size_bytes: d.sizeBytes,
      page_count: d.pageCount ?? null,
      appeal_id: d.appealId ?? null,
      statement_id: d.statementId ?? null,
      template_key: d.templateKey ?? null,
      template_version: d.templateVersion ?? null,
      attachment_ids: d.attachmentIds ?? [],
    })
    .onConflict((oc) => oc.columns(['practice_id', 'document_key']).doNothing())
    .returning(COLUMNS)
    .executeTakeFirst();
  if (inserted) return { document: toDocument(inserted), created: true };
  const existing = await findDocumentByKey(db, d.practiceId, d.documentKey);
  if (!existing) throw new Error(`document ${d.documentKey} vanished between insert and read`);
  return { document: existing, created: false };
}

/** Records the payer's (or vendor's) acknowledgement; the first one wins. */
export async function markDocumentSent(
  db: DbOrTrx,
  documentId: string,
  deliveryReference: string,
  sentAt: Date | string,
): Promise<void> {
  await db
    .updateTable('documents')
    .set({ sent_at: sentAt, delivery_reference: deliveryReference })
    .where('id', '=', documentId)
    .where('sent_at', 'is', null)
    .execute();
}

/** Links a stored packet to the appeal row once the appeal exists. */
export async function linkDocumentToAppeal(db: DbOrTrx, documentId: string, appealId: string): Promise<void> {
  await db.updateTable('documents').set({ appeal_id: appealId }).where('id', '=', documentId).execute();
}

/** A claim's documents, newest first. */
export async function listDocuments(db: DbOrTrx, claimUuid: string): Promise<StoredDocument[]> {
  const rows = await db
    .selectFrom('documents')
    .select(COLUMNS)
    .where('claim_id', '=', claimUuid)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map(toDocument);
}

/** One document of a claim, or undefined. */
export async function getDocument(
  db: DbOrTrx,
  claimUuid: string,
  documentId: string,
): Promise<StoredDocument | undefined> {
  if (!isUuid(documentId)) return undefined;
  const row = await db
    .selectFrom('documents')
    .select(COLUMNS)
    .where('claim_id', '=', claimUuid)
    .where('id', '=', documentId)
    .executeTakeFirst();
  return row ? toDocument(row) : undefined;
}

/** Timeline event kinds about files. */
export type FileEventKind =
  | 'ATTACHMENT_UPLOADED'
  | 'ATTACHMENT_DOWNLOADED'
  | 'DOCUMENT_GENERATED'
  | 'DOCUMENT_DOWNLOADED'
  | 'APPEAL_PACKET_SENT';

/**
 * Appends a file event to the claim's timeline without touching the claim's status. `data` carries ids,
 * hashes and sizes only: file names and titles may name the patient, so they stay out of the audit data.
 */
export async function recordFileEvent(
  db: DbOrTrx,
  e: {
    eventKey: string;
    claimUuid: string;
    practiceId: string;
    actor: string;
    kind: FileEventKind;
    data: {
      attachmentId?: string;
      documentId?: string;
      sha256: string;
      sizeBytes?: number;
      mediaType?: string;
    };
    requestId?: string;
    at?: Date;
  },
): Promise<void> {
  // Through the one writer of claim_events, so the file event joins the claim's hash chain.
  await appendClaimEvent(db, {
    eventKey: e.eventKey,
    claimUuid: e.claimUuid,
    practiceId: e.practiceId,
    at: (e.at ?? new Date()).toISOString(),
    actor: e.actor,
    kind: e.kind,
    fromStatus: null,
    toStatus: null,
    data: e.data,
    requestId: e.requestId,
  });
}

/** A statement's printed id: the account (claim id) and its dunning cycle, e.g. `A-100917-dunning0`. */
export function statementIdOf(claimId: string, statementKey: string): string {
  return `${claimId}-${statementKey.replace(/[^A-Za-z0-9]+/g, '')}`;
}

/** A statement document of a print batch, with what its manifest row needs. */
export interface BatchStatementRow {
  sha256: string;
  statementId: string;
  claimId: string;
  kind: 'STATEMENT' | 'REMINDER' | 'FINAL_NOTICE';
  amountDueCents: number;
  dueDate: string | null;
  sentAt: Date;
  /** The guarantor as now on file; absent when removed since the statement was mailed. */
  guarantor?: Guarantor;
}

/**
 * The practice's statement PDFs mailed on `date` (UTC day of the statement), in account then cycle order,
 * so the same day's batch is the same file every time it is asked for.
 */
export async function statementsMailedOn(
  db: DbOrTrx,
  practiceId: string,
  date: string,
): Promise<BatchStatementRow[]> {
  const from = new Date(`${date}T00:00:00Z`);
  const to = new Date(from.getTime() + 86_400_000);
  const rows = await db
    .selectFrom('documents as d')
    .innerJoin('patient_statements as s', 's.id', 'd.statement_id')
    .innerJoin('claims as c', 'c.id', 's.claim_id')
    .leftJoin('patient_guarantors as g', 'g.patient_id', 'c.patient_id')
    .select([
      'd.sha256',
      'c.claim_id',
      'g.name as guarantor_name',
      'g.address_lines',
      'g.city',
      'g.state',
      'g.postal_code',
      's.statement_key',
      's.kind',
      's.amount_due_cents',
      's.due_date',
      's.sent_at',
    ])
    .where('d.practice_id', '=', practiceId)
    .where('d.kind', '=', 'PATIENT_STATEMENT')
    .where('s.sent_at', '>=', from)
    .where('s.sent_at', '<', to)
    .orderBy('c.claim_id')
    .orderBy('s.sent_at')
    .orderBy('s.statement_key')
    .execute();
  return rows.map((r) => ({
    sha256: r.sha256,
    statementId: statementIdOf(r.claim_id, r.statement_key),
    claimId: r.claim_id,
    kind: r.kind as BatchStatementRow['kind'],
    amountDueCents: r.amount_due_cents,
    dueDate: r.due_date,
    sentAt: r.sent_at as Date,
    ...(r.guarantor_name === null
      ? {}
      : {
          guarantor: {
            name: r.guarantor_name,
            address: {
              lines: r.address_lines ?? [],
              city: r.city ?? '',
              state: r.state ?? '',
              postalCode: r.postal_code ?? '',
            },
          },
        }),
  }));
}
