import { type Kysely, sql } from 'kysely';

/**
 * Core schema: practices, payers with their rules, patients, claims and lines, ERA files and their
 * postings, appeals, patient statements and payments, the notification outbox and the append-only
 * audit trail. Money is integer cents in bigint columns. Idempotency lives in unique keys so that a
 * retried activity's `insert ... on conflict do nothing` can never double-post.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are schema-agnostic by design (kysely docs)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('practices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('npi', 'text', (c) => c.notNull())
    .addColumn('tax_id', 'text')
    .addColumn('webhook_url', 'text')
    .addColumn('webhook_secret', 'text')
    .addColumn('supervisor_webhook_url', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('practices_npi_idx').on('practices').column('npi').execute();

  await db.schema
    .createTable('payers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('payer_type', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // One row per (payer, practice override or null, effective_from). The rule in force on a date is the
  // practice's own row if any, else the payer default, with the latest effective_from <= that date.
  await db.schema
    .createTable('payer_rules')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('payer_id', 'text', (c) => c.notNull().references('payers.id'))
    .addColumn('practice_id', 'text', (c) => c.references('practices.id'))
    .addColumn('effective_from', 'date', (c) => c.notNull())
    .addColumn('follow_up_days', 'integer', (c) => c.notNull())
    .addColumn('max_follow_ups', 'integer', (c) => c.notNull())
    .addColumn('timely_filing_days', 'integer', (c) => c.notNull())
    .addColumn('appeal_window_days', sql`integer[]`, (c) => c.notNull())
    .addColumn('appeal_decision_follow_up_days', 'integer', (c) => c.notNull())
    .addColumn('review_sla_days', 'integer', (c) => c.notNull())
    .addColumn('reminder_offsets_days', sql`integer[]`, (c) => c.notNull())
    .addColumn('dunning_cadence_days', sql`integer[]`, (c) => c.notNull())
    .addColumn('final_notice_days', 'integer', (c) => c.notNull())
    .addColumn('collections_after_days', 'integer', (c) => c.notNull())
    .addColumn('receipt_presumption_days', 'integer', (c) => c.notNull().defaultTo(5))
    .addColumn('created_by', 'text', (c) => c.notNull().defaultTo('system'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index payer_rules_scope_idx on payer_rules (payer_id, coalesce(practice_id, ''), effective_from)`.execute(
    db,
  );

  await db.schema
    .createTable('patients')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('practice_id', 'text', (c) => c.notNull().references('practices.id'))
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('first_name', 'text', (c) => c.notNull())
    .addColumn('last_name', 'text', (c) => c.notNull())
    .addColumn('birth_date', 'date', (c) => c.notNull())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('patients_practice_external_uq', ['practice_id', 'external_id'])
    .execute();

  await db.schema
    .createTable('claims')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('practice_id', 'text', (c) => c.notNull().references('practices.id'))
    .addColumn('claim_id', 'text', (c) => c.notNull())
    .addColumn('patient_control_number', 'text', (c) => c.notNull())
    .addColumn('patient_id', 'uuid', (c) => c.notNull().references('patients.id'))
    .addColumn('payer_id', 'text', (c) => c.notNull().references('payers.id'))
    .addColumn('billing_provider_npi', 'text', (c) => c.notNull())
    .addColumn('date_of_service', 'date', (c) => c.notNull())
    .addColumn('diagnosis_codes', sql`text[]`, (c) => c.notNull())
    .addColumn('total_charge_cents', 'bigint', (c) => c.notNull())
    .addColumn('frequency_code', 'text', (c) => c.notNull().defaultTo('1'))
    .addColumn('payer_claim_number', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('denial_category', 'text')
    .addColumn('recommended_action', 'text')
    .addColumn('assigned_to', 'text')
    .addColumn('escalated', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_deadline', 'timestamptz')
    .addColumn('paid_cents', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('adjustment_cents', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('patient_responsibility_cents', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('patient_paid_cents', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('written_off_cents', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('open_balance_cents', 'bigint', (c) => c.notNull())
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'timestamptz')
    .addColumn('first_denied_at', 'timestamptz')
    .addColumn('first_action_at', 'timestamptz')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('last_activity_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('claims_practice_claim_uq', ['practice_id', 'claim_id'])
    .addUniqueConstraint('claims_practice_pcn_uq', ['practice_id', 'patient_control_number'])
    .execute();
  await db.schema.createIndex('claims_pcn_idx').on('claims').column('patient_control_number').execute();
  await db.schema
    .createIndex('claims_practice_status_idx')
    .on('claims')
    .columns(['practice_id', 'status', 'next_deadline'])
    .execute();
  await db.schema
    .createIndex('claims_practice_created_idx')
    .on('claims')
    .columns(['practice_id', 'created_at', 'id'])
    .execute();

  await db.schema
    .createTable('claim_lines')
    .addColumn('claim_id', 'uuid', (c) => c.notNull().references('claims.id').onDelete('cascade'))
    .addColumn('line_number', 'integer', (c) => c.notNull())
    .addColumn('procedure_code', 'text', (c) => c.notNull())
    .addColumn('modifiers', sql`text[]`, (c) => c.notNull())
    .addColumn('units', 'integer', (c) => c.notNull())
    .addColumn('charge_cents', 'bigint', (c) => c.notNull())
    .addColumn('service_date', 'date', (c) => c.notNull())
    .addColumn('diagnosis_pointers', sql`integer[]`, (c) => c.notNull())
    .addPrimaryKeyConstraint('claim_lines_pk', ['claim_id', 'line_number'])
    .execute();

  await db.schema
    .createTable('era_files')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('checksum', 'text', (c) => c.notNull().unique())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_ref', 'text')
    .addColumn('raw', 'text', (c) => c.notNull())
    .addColumn('practice_id', 'text', (c) => c.references('practices.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('error', 'jsonb')
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // Where the scheduled clearinghouse pull left off.
  await db.schema
    .createTable('sync_cursors')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('remittances')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('era_file_id', 'uuid', (c) => c.notNull().references('era_files.id'))
    .addColumn('transaction_index', 'integer', (c) => c.notNull())
    .addColumn('practice_id', 'text', (c) => c.references('practices.id'))
    .addColumn('payer_id', 'text', (c) => c.notNull())
    .addColumn('trace_number', 'text', (c) => c.notNull())
    .addColumn('payment_cents', 'bigint', (c) => c.notNull())
    .addColumn('payment_method', 'text', (c) => c.notNull())
    .addColumn('payment_date', 'date', (c) => c.notNull())
    .addColumn('parsed', 'jsonb', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('remittances_file_tx_uq', ['era_file_id', 'transaction_index'])
    .execute();
  await db.schema
    .createIndex('remittances_trace_idx')
    .on('remittances')
    .columns(['payer_id', 'trace_number'])
    .execute();

  await db.schema
    .createTable('provider_adjustments')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('remittance_id', 'uuid', (c) => c.notNull().references('remittances.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('provider_id', 'text', (c) => c.notNull())
    .addColumn('reason_code', 'text', (c) => c.notNull())
    .addColumn('reference', 'text')
    .addColumn('amount_cents', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('provider_adjustments_uq', ['remittance_id', 'seq'])
    .execute();

  // The posting key of docs/x12-835.md: (payer, TRN02, CLP01, CLP07), plus whether the loop is a reversal so
  // that a reversal and its repost under the same trace number are two postings, each exactly once.
  await db.schema
    .createTable('claim_payments')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('claim_id', 'uuid', (c) => c.notNull().references('claims.id'))
    .addColumn('remittance_id', 'uuid', (c) => c.notNull().references('remittances.id'))
    // Position of the CLP loop in its transaction: signals go out in file order (reversal before repost).
    .addColumn('claim_index', 'integer', (c) => c.notNull())
    .addColumn('payer_id', 'text', (c) => c.notNull())
    .addColumn('trace_number', 'text', (c) => c.notNull())
    .addColumn('patient_control_number', 'text', (c) => c.notNull())
    .addColumn('payer_claim_number', 'text', (c) => c.notNull())
    .addColumn('is_reversal', 'boolean', (c) => c.notNull())
    .addColumn('status_code', 'text', (c) => c.notNull())
    .addColumn('charge_cents', 'bigint', (c) => c.notNull())
    .addColumn('paid_cents', 'bigint', (c) => c.notNull())
    .addColumn('patient_responsibility_cents', 'bigint', (c) => c.notNull())
    .addColumn('remark_codes', sql`text[]`, (c) => c.notNull())
    .addColumn('summary', 'jsonb', (c) => c.notNull())
    .addColumn('signalled_at', 'timestamptz')
    .addColumn('posted_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('claim_payments_posting_uq', [
      'payer_id',
      'trace_number',
      'patient_control_number',
      'payer_claim_number',
      'is_reversal',
    ])
    .execute();
  await db.schema.createIndex('claim_payments_claim_idx').on('claim_payments').column('claim_id').execute();

  await db.schema
    .createTable('claim_adjustments')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('claim_payment_id', 'uuid', (c) =>
      c.notNull().references('claim_payments.id').onDelete('cascade'),
    )
    .addColumn('claim_id', 'uuid', (c) => c.notNull().references('claims.id'))
    .addColumn('line_number', 'integer')
    .addColumn('procedure_code', 'text')
    .addColumn('group_code', 'text', (c) => c.notNull())
    .addColumn('reason_code', 'text', (c) => c.notNull())
    .addColumn('amount_cents', 'bigint', (c) => c.notNull())
    .addColumn('quantity', 'integer')
    .addColumn('remark_codes', sql`text[]`, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('claim_adjustments_claim_idx')
    .on('claim_adjustments')
    .column('claim_id')
    .execute();

  await db.schema
    .createTable('unmatched_claim_payments')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('remittance_id', 'uuid', (c) => c.notNull().references('remittances.id'))
    .addColumn('claim_index', 'integer', (c) => c.notNull())
    .addColumn('practice_id', 'text', (c) => c.references('practices.id'))
    .addColumn('payer_id', 'text', (c) => c.notNull())
    .addColumn('patient_control_number', 'text', (c) => c.notNull())
    .addColumn('payer_claim_number', 'text', (c) => c.notNull())
    .addColumn('paid_cents', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('OPEN'))
    .addColumn('matched_claim_id', 'uuid', (c) => c.references('claims.id'))
    .addColumn('matched_by', 'text')
    .addColumn('matched_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('unmatched_uq', ['remittance_id', 'claim_index'])
    .execute();

  await db.schema
    .createTable('appeals')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('claim_id', 'uuid', (c) => c.notNull().references('claims.id'))
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('grounds', 'text', (c) => c.notNull())
    .addColumn('attachments', sql`text[]`, (c) => c.notNull())
    .addColumn('deadline', 'timestamptz', (c) => c.notNull())
    .addColumn('payer_appeal_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('decision_reason', 'text')
    .addColumn('filed_by', 'text', (c) => c.notNull())
    .addColumn('filed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('decided_at', 'timestamptz')
    .addUniqueConstraint('appeals_claim_level_uq', ['claim_id', 'level'])
    .execute();

  await db.schema
    .createTable('patient_statements')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('claim_id', 'uuid', (c) => c.notNull().references('claims.id'))
    .addColumn('statement_key', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount_due_cents', 'bigint', (c) => c.notNull())
    .addColumn('due_date', 'date')
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('patient_statements_key_uq', ['claim_id', 'statement_key'])
    .execute();

  await db.schema
    .createTable('patient_payments')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('claim_id', 'uuid', (c) => c.notNull().references('claims.id'))
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('amount_cents', 'bigint', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('patient_payments_ref_uq', ['claim_id', 'reference'])
    .execute();

  // Outbox: written in the same activity that decides to notify, delivered by another activity.
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('practice_id', 'text', (c) => c.notNull().references('practices.id'))
    .addColumn('claim_id', 'uuid', (c) => c.references('claims.id'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('PENDING'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('delivered_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('notifications_claim_idx').on('notifications').column('claim_id').execute();

  // Append-only audit trail. event_key makes each write idempotent under activity retries.
  await db.schema
    .createTable('claim_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('event_key', 'text', (c) => c.notNull().unique())
    .addColumn('claim_id', 'uuid', (c) => c.notNull().references('claims.id'))
    .addColumn('practice_id', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text')
    .addColumn('reason', 'text')
    .addColumn('data', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('request_id', 'text')
    .execute();
  await db.schema
    .createIndex('claim_events_claim_idx')
    .on('claim_events')
    .columns(['claim_id', 'id'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'claim_events',
    'notifications',
    'patient_payments',
    'patient_statements',
    'appeals',
    'unmatched_claim_payments',
    'claim_adjustments',
    'claim_payments',
    'provider_adjustments',
    'remittances',
    'sync_cursors',
    'era_files',
    'claim_lines',
    'claims',
    'patients',
    'payer_rules',
    'payers',
    'practices',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
