import { type Kysely, sql } from 'kysely';

/** Finds claims still SUBMITTING (stored, maybe never started) without scanning every claim. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are schema-agnostic by design (kysely docs)
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index claims_submitting_idx on claims (created_at) where status = 'SUBMITTING'`.execute(
    db,
  );
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists claims_submitting_idx`.execute(db);
}
