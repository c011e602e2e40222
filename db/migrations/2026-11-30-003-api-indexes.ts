import { type Kysely, sql } from 'kysely';

/**
 * What the API's work queues, KPIs and exports need to stay fast at a million claims, plus two tables of
 * its own: `idempotency_keys` (the stored answer of a POST sent with an Idempotency-Key) and
 * `rule_changes` (the audit trail of payer-rule changes; claim_events is claim-scoped).
 *
 * The status lists in the partial-index predicates are spelled out as literals on purpose: the planner
 * uses a partial index only when the query's WHERE implies the predicate, and the queries in
 * db/queries spell the same literals (checked by the EXPLAIN test in test/api/query-plans.test.ts).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are schema-agnostic by design (kysely docs)
export async function up(db: Kysely<any>): Promise<void> {
  // KPI cohorts: claims submitted, serviced or first denied in a period, per practice.
  await sql`create index claims_practice_submitted_idx on claims (practice_id, submitted_at)`.execute(db);
  await sql`create index claims_practice_dos_idx on claims (practice_id, date_of_service)`.execute(db);
  await sql`create index claims_practice_first_denied_idx on claims (practice_id, first_denied_at)
    where first_denied_at is not null`.execute(db);
  // Open claims (not PAID, COLLECTIONS or WRITTEN_OFF): the stuck list, A/R and aging read only these.
  await sql`create index claims_open_idx on claims (practice_id, last_activity_at)
    where status not in ('PAID', 'COLLECTIONS', 'WRITTEN_OFF')`.execute(db);
  // The work queue: claims waiting for a biller's decision.
  await sql`create index claims_worklist_idx on claims (practice_id, next_deadline)
    where status in ('NEEDS_REVIEW', 'NEEDS_CORRECTION')`.execute(db);

  // A claim's first adjudication and its adjustments (denial KPIs), appeals decided in a period.
  await sql`create index claim_payments_claim_posted_idx on claim_payments (claim_id, posted_at)`.execute(db);
  await sql`create index claim_adjustments_payment_idx on claim_adjustments (claim_payment_id)`.execute(db);
  await sql`create index appeals_decided_idx on appeals (decided_at) where decided_at is not null`.execute(
    db,
  );
  // Front-end rejections (clean claim rate) and the time a claim entered review (stuck list).
  await sql`create index claim_events_claim_to_status_idx on claim_events (claim_id, to_status, at)
    where kind = 'STATUS_CHANGED'`.execute(db);
  // Exports and lists by practice.
  await sql`create index claim_events_practice_idx on claim_events (practice_id, id)`.execute(db);
  await sql`create index remittances_practice_received_idx on remittances (practice_id, received_at, id)`.execute(
    db,
  );
  await sql`create index unmatched_status_practice_idx on unmatched_claim_payments (status, practice_id, created_at, id)`.execute(
    db,
  );

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('route', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    // IN_PROGRESS while the first request runs, DONE with the stored answer afterwards.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('response_status', 'integer')
    .addColumn('response_type', 'text')
    .addColumn('response_body', 'text')
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('completed_at', 'timestamptz')
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['user_id', 'key'])
    .execute();

  await db.schema
    .createTable('rule_changes')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('payer_rule_id', 'bigint', (c) => c.notNull().references('payer_rules.id'))
    .addColumn('payer_id', 'text', (c) => c.notNull().references('payers.id'))
    .addColumn('practice_id', 'text', (c) => c.references('practices.id'))
    .addColumn('effective_from', 'date', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text')
    .addColumn('previous', 'jsonb')
    .addColumn('rules', 'jsonb', (c) => c.notNull())
    .addColumn('signalled_claims', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index rule_changes_payer_idx on rule_changes (payer_id, id)`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rule_changes').ifExists().execute();
  await db.schema.dropTable('idempotency_keys').ifExists().execute();
  for (const index of [
    'unmatched_status_practice_idx',
    'remittances_practice_received_idx',
    'claim_events_practice_idx',
    'claim_events_claim_to_status_idx',
    'appeals_decided_idx',
    'claim_adjustments_payment_idx',
    'claim_payments_claim_posted_idx',
    'claims_worklist_idx',
    'claims_open_idx',
    'claims_practice_first_denied_idx',
    'claims_practice_dos_idx',
    'claims_practice_submitted_idx',
  ]) {
    await db.schema.dropIndex(index).ifExists().execute();
  }
}
