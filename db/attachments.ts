/**
 * Attachment repository: the rows that say which stored file (by SHA-256) belongs to which claim. The
 * bytes live in the attachment store; a row is written only after the bytes are safely stored, and the
 * (claim, hash) key makes a repeated upload of the same file return the first row.
 */
import type { Transaction } from 'kysely';
import type { Db } from './pool.js';
import type { Database } from './schema.js';

type DbOrTrx = Db | Transaction<Database>;

/** An attachment as the API and activities use it. */
export interface Attachment {
  id: string;
  practiceId: string;
  claimUuid: string;
  sha256: string;
  mediaType: string;
  sizeBytes: number;
  pageCount: number;
  title: string;
  fileName: string | null;
  storage: string;
  uploadedBy: string;
  uploadedAt: string;
}

/** What an upload records. */
export interface NewAttachment {
  practiceId: string;
  claimUuid: string;
  sha256: string;
  mediaType: string;
  sizeBytes: number;
  pageCount: number;
  title: string;
  fileName?: string;
  storage: string;
  uploadedBy: string;
}

const COLUMNS = [
  'id',
  'practice_id',
  'claim_id',
  'sha256',
  'media_type',
  'size_bytes',
  'page_count',
  'title',
  'file_name',
  'storage',
  'uploaded_by',
  'uploaded_at',
] as const;

type Row = {
  id: string;
  practice_id: string;
  claim_id: string;
  sha256: string;
  media_type: string;
  size_bytes: number;
  page_count: number;
  title: string;
  file_name: string | null;
  storage: string;
  uploaded_by: string;
  uploaded_at: Date;
};

function toAttachment(r: Row): Attachment {
  return {
    id: r.id,
    practiceId: r.practice_id,
    claimUuid: r.claim_id,
    sha256: r.sha256,
    mediaType: r.media_type,
    sizeBytes: r.size_bytes,
    pageCount: r.page_count,
    title: r.title,
    fileName: r.file_name,
    storage: r.storage,
    uploadedBy: r.uploaded_by,
    uploadedAt: r.uploaded_at.toISOString(),
  };
}

/** Records an upload; `created: false` with the first row when this claim already has the same file. */
export async function insertAttachment(
  db: DbOrTrx,
  a: NewAttachment,
): Promise<{ attachment: Attachment; created: boolean }> {
  const inserted = await db
    .insertInto('attachments')
    .values({
      practice_id: a.practiceId,
      claim_id: a.claimUuid,
      sha256: a.sha256,
      media_type: a.mediaType,
      size_bytes: a.sizeBytes,
      page_count: a.pageCount,
      title: a.title,
      file_name: a.fileName ?? null,
      storage: a.storage,
      uploaded_by: a.uploadedBy,
    })
    .onConflict((oc) => oc.columns(['claim_id', 'sha256']).doNothing())
    .returning(COLUMNS)
    .executeTakeFirst();
  if (inserted) return { attachment: toAttachment(inserted), created: true };
  const existing = await db
    .selectFrom('attachments')
    .select(COLUMNS)
    .where('claim_id', '=', a.claimUuid)
    .where('sha256', '=', a.sha256)
    .executeTakeFirstOrThrow();
  return { attachment: toAttachment(existing), created: false };
}

/** A claim's attachments, oldest first. */
export async function listAttachments(db: DbOrTrx, claimUuid: string): Promise<Attachment[]> {
  const rows = await db
    .selectFrom('attachments')
    .select(COLUMNS)
    .where('claim_id', '=', claimUuid)
    .orderBy('uploaded_at')
    .orderBy('id')
    .execute();
  return rows.map(toAttachment);
}

/** One attachment of a claim, or undefined (also when it belongs to another claim). */
export async function getAttachment(
  db: DbOrTrx,
  claimUuid: string,
  attachmentId: string,
): Promise<Attachment | undefined> {
  if (!isUuid(attachmentId)) return undefined;
  const row = await db
    .selectFrom('attachments')
    .select(COLUMNS)
    .where('claim_id', '=', claimUuid)
    .where('id', '=', attachmentId)
    .executeTakeFirst();
  return row ? toAttachment(row) : undefined;
}

/**
 * The named attachments of a claim, in the order asked; `missing` lists ids that are not this
 * claim's, so a caller can refuse an appeal naming them.
 */
export async function attachmentsByIds(
  db: DbOrTrx,
  claimUuid: string,
  ids: string[],
): Promise<{ found: Attachment[]; missing: string[] }> {
  const valid = ids.filter(isUuid);
  const rows =
    valid.length === 0
      ? []
      : await db
          .selectFrom('attachments')
          .select(COLUMNS)
          .where('claim_id', '=', claimUuid)
          .where('id', 'in', valid)
          .execute();
  const byId = new Map(rows.map((r) => [r.id, toAttachment(r)]));
  return {
    found: ids.flatMap((id) => {
      const a = byId.get(id);
      return a ? [a] : [];
    }),
    missing: ids.filter((id) => !byId.has(id)),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a uuid; other strings would make Postgres raise instead of answering "not found". */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
