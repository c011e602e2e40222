import { type Kysely, sql } from 'kysely';

/**
 * Contracted rates and the underpayments measured against them (docs/fee-schedules.md).
 *
 * A fee schedule is kept as versions: every upload or edit of one practice's rates with one payer writes
 * a new version with all its rows, and the newest version is the one in force. Older versions stay, so
 * a posting can always be explained by the rates it was priced with (`claim_payments.contract_check`
 * names the version).
 *
 * `payment_variances` holds what the comparison found worth working: at most one open variance per
 * claim (a later posting updates or resolves it), with the amounts at opening and at resolution, so
 * "dollars recovered" is a sum, not a reconstruction.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are schema-agnostic by design (kysely docs)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('fee_schedule_versions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('practice_id', 'text', (c) => c.notNull().references('practices.id'))
    .addColumn('payer_id', 'text', (c) => c.notNull().references('payers.id'))
    .addColumn('version', 'integer', (c) => c.notNull().check(sql`version > 0`))
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('CSV', 'API')`))
    .addColumn('row_count', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('fee_schedule_versions_uq', ['practice_id', 'payer_id', 'version'])
    .execute();

  await db.schema
    .createTable('fee_schedule_rates')
    .addColumn('version_id', 'uuid', (c) => c.notNull().references('fee_schedule_versions.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('procedure_code', 'text', (c) => c.notNull().check(sql`procedure_code ~ '^[A-Z0-9]{5}$'`))
    .addColumn('modifier', 'text', (c) => c.check(sql`modifier ~ '^[A-Z0-9]{2}$'`))
    .addColumn('plan_id', 'text')
    .addColumn('allowed_cents', 'bigint', (c) => c.notNull().check(sql`allowed_cents >= 0`))
    .addColumn('effective_from', 'date', (c) => c.notNull())
    .addColumn('effective_to', 'date')
    .addColumn('multiple_procedure_reducible', 'boolean', (c) => c.notNull())
    .addColumn('modifier_adjustments', 'jsonb')
    .addPrimaryKeyConstraint('fee_schedule_rates_pk', ['version_id', 'seq'])
    .addCheckConstraint(
      'fee_schedule_rates_range_ck',
      sql`effective_to is null or effective_to >= effective_from`,
    )
    .execute();

  // The practice's tolerance: a variance up to max(cents, percent of expected) is not worth working.
  await db.schema
    .alterTable('practices')
    .addColumn('variance_tolerance_cents', 'integer', (c) =>
      c.notNull().defaultTo(100).check(sql`variance_tolerance_cents >= 0`),
    )
    .addColumn('variance_tolerance_percent', sql`numeric(6,3)`, (c) =>
      c.notNull().defaultTo(1).check(sql`variance_tolerance_percent >= 0`),
    )
    .execute();

  // What the contract comparison said about each posting (null: posted before fee schedules existed).
  await db.schema.alterTable('claim_payments').addColumn('contract_check', 'jsonb').execute();

  await db.schema
    .createTable('payment_variances')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('practice_id', 'text', (c) => c.notNull().references('practices.id'))
    .addColumn('claim_id', 'uuid', (c) => c.notNull().references('claims.id'))
    .addColumn('payer_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('UNDERPAYMENT', 'OVERPAYMENT')`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('OPEN', 'RESOLVED')`))
    // Signed: expected - payer allowed. Positive is owed to the practice.
    .addColumn('opening_variance_cents', 'bigint', (c) => c.notNull())
    .addColumn('variance_cents', 'bigint', (c) => c.notNull())
    .addColumn('expected_cents', 'bigint', (c) => c.notNull())
    .addColumn('payer_allowed_cents', 'bigint', (c) => c.notNull())
    .addColumn('tolerance_cents', 'bigint', (c) => c.notNull())
    .addColumn('opened_by_payment_id', 'uuid', (c) => c.notNull().references('claim_payments.id'))
    .addColumn('resolved_by_payment_id', 'uuid', (c) => c.references('claim_payments.id'))
    // Of the opening variance, what later postings paid (resolution: opening - variance left).
    .addColumn('recovered_cents', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('opened_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('resolved_at', 'timestamptz')
    .execute();
  await sql`create unique index payment_variances_open_uq on payment_variances (claim_id) where status = 'OPEN'`.execute(
    db,
  );
  await db.schema
    .createIndex('payment_variances_practice_idx')
    .on('payment_variances')
    .columns(['practice_id', 'status', 'payer_id'])
    .execute();

  const inScope = sql.raw(`(app_is_operator() or practice_id = any(app_practice_ids()))`);
  for (const t of ['fee_schedule_versions', 'payment_variances']) {
    await sql`create policy practice_scope on ${sql.table(t)} using ${inScope} with check ${inScope}`.execute(
      db,
    );
    await sql`alter table ${sql.table(t)} enable row level security`.execute(db);
  }
  const viaVersion = sql.raw(
    '(exists (select 1 from fee_schedule_versions v where v.id = fee_schedule_rates.version_id))',
  );
  await sql`create policy practice_scope on fee_schedule_rates using ${viaVersion} with check ${viaVersion}`.execute(
    db,
  );
  await sql`alter table fee_schedule_rates enable row level security`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('payment_variances').execute();
  await db.schema.alterTable('claim_payments').dropColumn('contract_check').execute();
  await db.schema
    .alterTable('practices')
    .dropColumn('variance_tolerance_cents')
    .dropColumn('variance_tolerance_percent')
    .execute();
  await db.schema.dropTable('fee_schedule_rates').execute();
  await db.schema.dropTable('fee_schedule_versions').execute();
}
