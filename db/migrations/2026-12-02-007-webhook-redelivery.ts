import { type Kysely, sql } from 'kysely';

/**
 * When each notification was last tried, so the redelivery job picks failed deliveries only once the
 * notify activity's own retries are over, and an index that finds them without scanning the outbox.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are schema-agnostic by design (kysely docs)
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table notifications add column last_attempt_at timestamptz`.execute(db);
  await sql`create index notifications_failed_idx on notifications (last_attempt_at) where status = 'FAILED'`.execute(
    db,
  );
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists notifications_failed_idx`.execute(db);
  await sql`alter table notifications drop column if exists last_attempt_at`.execute(db);
}
