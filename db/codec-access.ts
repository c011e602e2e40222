/**
 * The codec server's access log: one row per decode request (granted or refused), read by admins of
 * the practice the workflow belongs to.
 */
import type { Db } from './pool.js';

/** One decode request as the codec server saw it. */
export interface CodecAccess {
  userId: string;
  role: string;
  /** The practice of the workflow asked about; null when the workflow id names no known practice. */
  practiceId: string | null;
  workflowId: string;
  payloadCount: number;
  allowed: boolean;
  requestId?: string;
}

export async function recordCodecAccess(db: Db, a: CodecAccess): Promise<void> {
  await db
    .insertInto('codec_access_log')
    .values({
      user_id: a.userId,
      role: a.role,
      practice_id: a.practiceId,
      workflow_id: a.workflowId,
      payload_count: a.payloadCount,
      allowed: a.allowed,
      request_id: a.requestId ?? null,
    })
    .execute();
}

/** The decodes of some practices' workflows, newest first, after id `beforeId`; up to `limit + 1` rows. */
export async function listCodecAccess(
  db: Db,
  practiceIds: readonly string[],
  beforeId: string | undefined,
  limit: number,
) {
  if (practiceIds.length === 0) return [];
  let q = db.selectFrom('codec_access_log').selectAll().where('practice_id', 'in', practiceIds);
  if (beforeId) q = q.where('id', '<', beforeId);
  return q
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
}
