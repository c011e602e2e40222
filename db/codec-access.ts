/**
 * The codec server's access log: one row per decode request (granted or refused), read by admins of
 * the practice the workflow belongs to.
 */
import { sql } from 'kysely';
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

/**
 * The practice a workflow belongs to, from the claims table: a claim's own workflow
 * (`claim-<practice>-<claim>`) or its patient-balance child. Never parsed out of the id alone, since
 * practice and claim ids may both contain dashes: each practice whose id prefixes the rest is tried
 * against the claims' (practice, claim id) unique index. Undefined for workflows of no practice (ERA
 * pulls, rule rollouts) and unknown ids.
 */
export async function practiceOfWorkflow(db: Db, workflowId: string): Promise<string | undefined> {
  const prefix = ['claim-', 'patient-balance-'].find((p) => workflowId.startsWith(p));
  if (!prefix) return undefined;
  const rest = workflowId.slice(prefix.length);
  const row = await db
    .selectFrom('practices as p')
    .innerJoin('claims as c', (j) =>
      j
        .onRef('c.practice_id', '=', 'p.id')
        .on('c.claim_id', '=', sql<string>`substr(${rest}, length(p.id) + 2)`),
    )
    .select('c.practice_id')
    .where(sql<boolean>`left(${rest}, length(p.id) + 1) = p.id || '-'`)
    .executeTakeFirst();
  return row?.practice_id;
}
