import { type Kysely, sql } from 'kysely';

/**
 * Claim rules for the pre-submission scrubber, the miner's proposals, and the HOLD status
 * (docs/claim-rules.md).
 *
 * A rule is kept as versions under its `rule_key`: an edit writes the next version, and the newest
 * version of each key is in force (an inactive newest version retires the rule). A proposal is what
 * the miner found in the practice's own first adjudications, with its evidence, until a supervisor
 * accepts it (it then becomes version 1 of a rule) or rejects it.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are schema-agnostic by design (kysely docs)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('claim_rule_proposals')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('practice_id', 'text', (c) => c.notNull().references('practices.id'))
    .addColumn('payer_id', 'text', (c) => c.notNull())
    .addColumn('procedure_code', 'text', (c) => c.notNull())
    .addColumn('modifier', 'text', (c) => c.notNull())
    .addColumn('carc', 'text', (c) => c.notNull())
    .addColumn('denied_lines', 'integer', (c) => c.notNull())
    .addColumn('lines', 'integer', (c) => c.notNull())
    .addColumn('denied_cents', 'bigint', (c) => c.notNull())
    .addColumn('with_modifier_lines', 'integer', (c) => c.notNull())
    .addColumn('with_modifier_denied', 'integer', (c) => c.notNull())
    .addColumn('example_claim_ids', sql`uuid[]`, (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('PROPOSED', 'ACCEPTED', 'REJECTED')`),
    )
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('decision_reason', 'text')
    .addColumn('rule_key', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // One proposal per combination: mining again refreshes its evidence instead of adding another.
  await sql`create unique index claim_rule_proposals_uq
    on claim_rule_proposals (practice_id, payer_id, procedure_code, modifier)`.execute(db);

  await db.schema
    .createTable('claim_rules')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('practice_id', 'text', (c) => c.notNull().references('practices.id'))
    .addColumn('rule_key', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().check(sql`version > 0`))
    .addColumn('payer_id', 'text')
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('MODIFIER_REQUIRED', 'DIAGNOSIS_REQUIRED', 'TIMELY_FILING_SOON')`),
    )
    .addColumn('action', 'text', (c) => c.notNull().check(sql`action in ('WARN', 'HOLD')`))
    .addColumn('params', 'jsonb', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('active', 'boolean', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('MANUAL', 'LEARNED')`))
    .addColumn('proposal_id', 'uuid', (c) => c.references('claim_rule_proposals.id'))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('claim_rules_version_uq', ['practice_id', 'rule_key', 'version'])
    .execute();

  // The work queue now also lists claims held by the scrubber.
  await sql`create index claims_worklist_hold_idx on claims (practice_id, priority desc)
    where status = 'HOLD'`.execute(db);

  const inScope = sql.raw(`(app_is_operator() or practice_id = any(app_practice_ids()))`);
  for (const t of ['claim_rules', 'claim_rule_proposals']) {
    await sql`create policy practice_scope on ${sql.table(t)} using ${inScope} with check ${inScope}`.execute(
      db,
    );
    await sql`alter table ${sql.table(t)} enable row level security`.execute(db);
  }
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists claims_worklist_hold_idx`.execute(db);
  await db.schema.dropTable('claim_rules').execute();
  await db.schema.dropTable('claim_rule_proposals').execute();
}
