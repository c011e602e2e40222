/**
 * The notifications outbox: one row per dedupe key, written before delivery so a retried activity
 * sends once, and updated with each delivery attempt and its outcome.
 */
import type { Db } from './pool.js';
import type { NotificationRequest } from './records.js';
import type { NotificationRow, PracticeRow } from './schema.js';

/** Writes the notification once per dedupe key and returns its row (new or already there). */
export async function enqueueNotification(db: Db, input: NotificationRequest): Promise<NotificationRow> {
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
  return db
    .selectFrom('notifications')
    .selectAll()
    .where('dedupe_key', '=', input.dedupeKey)
    .executeTakeFirstOrThrow();
}

/** The practice whose webhook endpoints and secret a notification is delivered with. */
export async function practiceForDelivery(db: Db, practiceId: string): Promise<PracticeRow> {
  return db.selectFrom('practices').selectAll().where('id', '=', practiceId).executeTakeFirstOrThrow();
}

/** The practice has no endpoint for this channel: the notification stays in the outbox, undelivered. */
export async function markNoEndpoint(db: Db, id: string): Promise<void> {
  await db.updateTable('notifications').set({ status: 'NO_ENDPOINT' }).where('id', '=', id).execute();
}

/** One failed delivery attempt, with its error; the activity's retry tries again. */
export async function markDeliveryFailed(db: Db, id: string, error: string): Promise<void> {
  await db
    .updateTable('notifications')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: error, status: 'FAILED' }))
    .where('id', '=', id)
    .execute();
}

export async function markDelivered(db: Db, id: string): Promise<void> {
  await db
    .updateTable('notifications')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1),
      status: 'DELIVERED',
      delivered_at: new Date(),
      last_error: null,
    }))
    .where('id', '=', id)
    .execute();
}
