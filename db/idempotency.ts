/**
 * Storage of Idempotency-Key requests (api/idempotency.ts). A key belongs to one user; the first request
 * claims it (IN_PROGRESS), its answer is stored when it completes (DONE), and a repeat reads it back.
 */
import { sql } from 'kysely';
import type { Db } from './pool.js';

/** How long a stored answer is honoured; after that the key may be used afresh. */
export const IDEMPOTENCY_RETENTION_HOURS = 24;
/** An IN_PROGRESS claim older than this is taken to be from a crashed request and may be taken over. */
export const IDEMPOTENCY_ABANDONED_SECONDS = 120;

export interface IdempotencyRecord {
  route: string;
  fingerprint: string;
  status: string;
  response_status: number | null;
  response_type: string | null;
  response_body: string | null;
}

/**
 * Claims `key` for this request. Returns `claimed: true` when the caller should process the request
 * (a new key, an expired one, or an abandoned IN_PROGRESS one), else the record already stored.
 */
export async function claimIdempotencyKey(
  db: Db,
  input: { userId: string; key: string; route: string; fingerprint: string },
): Promise<{ claimed: true } | { claimed: false; record: IdempotencyRecord }> {
  const claimed = await db
    .insertInto('idempotency_keys')
    .values({
      user_id: input.userId,
      key: input.key,
      route: input.route,
      fingerprint: input.fingerprint,
      status: 'IN_PROGRESS',
    })
    .onConflict((oc) =>
      oc
        .columns(['user_id', 'key'])
        .doUpdateSet({
          route: input.route,
          fingerprint: input.fingerprint,
          status: 'IN_PROGRESS',
          response_status: null,
          response_type: null,
          response_body: null,
          started_at: sql`now()`,
          completed_at: null,
        })
        .where((eb) =>
          eb.or([
            eb(
              'idempotency_keys.started_at',
              '<',
              sql<Date>`now() - make_interval(hours => ${IDEMPOTENCY_RETENTION_HOURS})`,
            ),
            eb.and([
              eb('idempotency_keys.status', '=', 'IN_PROGRESS'),
              eb('idempotency_keys.fingerprint', '=', input.fingerprint),
              eb(
                'idempotency_keys.started_at',
                '<',
                sql<Date>`now() - make_interval(secs => ${IDEMPOTENCY_ABANDONED_SECONDS})`,
              ),
            ]),
          ]),
        ),
    )
    .returning('user_id')
    .executeTakeFirst();
  if (claimed) return { claimed: true };
  const record = await db
    .selectFrom('idempotency_keys')
    .select(['route', 'fingerprint', 'status', 'response_status', 'response_type', 'response_body'])
    .where('user_id', '=', input.userId)
    .where('key', '=', input.key)
    .executeTakeFirstOrThrow();
  return { claimed: false, record };
}

/** Stores the answer of a claimed key. */
export async function completeIdempotencyKey(
  db: Db,
  input: { userId: string; key: string; status: number; contentType: string | null; body: string },
): Promise<void> {
  await db
    .updateTable('idempotency_keys')
    .set({
      status: 'DONE',
      response_status: input.status,
      response_type: input.contentType,
      response_body: input.body,
      completed_at: new Date(),
    })
    .where('user_id', '=', input.userId)
    .where('key', '=', input.key)
    .execute();
}

/** Forgets a claimed key whose request failed on our side (5xx), so the client can retry with it. */
export async function releaseIdempotencyKey(db: Db, input: { userId: string; key: string }): Promise<void> {
  await db
    .deleteFrom('idempotency_keys')
    .where('user_id', '=', input.userId)
    .where('key', '=', input.key)
    .where('status', '=', 'IN_PROGRESS')
    .execute();
}
