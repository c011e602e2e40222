import { type Kysely, sql } from 'kysely';

/**
 * Cost to collect (docs/cost-to-collect.md): each practice's rates for pricing its work. One row per
 * practice; a practice without a row is priced with the defaults of domain/cost-to-collect.ts, so the
 * report works before anyone sets a rate. The per-type values are JSON objects because the set of
 * action and transaction types is defined in domain code and checked by the API, not by columns.
 *
 * The report reads a practice's events by time, so claim_events gets a (practice_id, at) index, and
 * postings by the time they were posted.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are schema-agnostic by design (kysely docs)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('practice_cost_settings')
    .addColumn('practice_id', 'text', (c) => c.primaryKey().references('practices.id'))
    .addColumn('hourly_rate_cents', 'integer', (c) => c.notNull().check(sql`hourly_rate_cents >= 0`))
    .addColumn('standard_minutes', 'jsonb', (c) => c.notNull())
    .addColumn('transaction_fees_cents', 'jsonb', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index claim_events_practice_at_idx on claim_events (practice_id, at)`.execute(db);
  await sql`create index claim_payments_posted_idx on claim_payments (posted_at)`.execute(db);

  const inScope = sql.raw(`(app_is_operator() or practice_id = any(app_practice_ids()))`);
  await sql`create policy practice_scope on practice_cost_settings using ${inScope} with check ${inScope}`.execute(
    db,
  );
  await sql`alter table practice_cost_settings enable row level security`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index claim_payments_posted_idx`.execute(db);
  await sql`drop index claim_events_practice_at_idx`.execute(db);
  await db.schema.dropTable('practice_cost_settings').execute();
}
