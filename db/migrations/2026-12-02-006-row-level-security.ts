import { type Kysely, sql } from 'kysely';

/**
 * Row-level security on every practice-scoped table: defence in depth behind the API's own
 * `where practice_id` filters, so a forgotten filter in a future query cannot leak another practice's
 * rows. Policies read two per-transaction settings the API sets (db/tenancy.ts, `withPracticeScope`):
 * `app.practice_ids`, a text array of the caller's practices, and `app.operator`, 'on' for the
 * installation's operator. A missing setting means no practice: nothing is visible.
 *
 * Tables whose rows carry no practice id (claim lines, postings, appeals, statements...) are visible
 * through their claim (or remittance), whose own policy then decides. Payer defaults and rule changes
 * without a practice are readable by everyone but written only by the operator; ERA files,
 * remittances and unmatched loops whose payee matched no practice are the operator's alone.
 *
 * RLS binds roles that are neither superusers nor the tables' owner: the API connects as such a role;
 * the worker and the migrator connect as the owner and are not filtered (docs in README, Operations).
 * Not practice data, so not filtered: payers, sync_cursors, api_keys (authentication reads them before
 * any practice is known), idempotency_keys (keyed by the caller).
 */
const DIRECT = ['practices', 'patients', 'claims', 'notifications', 'claim_events'] as const;
const NULLABLE_SHARED = ['payer_rules', 'rule_changes'] as const;
const NULLABLE_OPERATOR = ['era_files', 'remittances', 'unmatched_claim_payments'] as const;
const VIA_CLAIM = [
  'claim_lines',
  'claim_payments',
  'claim_adjustments',
  'appeals',
  'patient_statements',
  'patient_payments',
] as const;
const ALL = [...DIRECT, ...NULLABLE_SHARED, ...NULLABLE_OPERATOR, ...VIA_CLAIM, 'provider_adjustments'];

// biome-ignore lint/suspicious/noExplicitAny: migrations are schema-agnostic by design (kysely docs)
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function app_practice_ids() returns text[] language sql stable as $$
      select coalesce(nullif(current_setting('app.practice_ids', true), ''), '{}')::text[]
    $$`.execute(db);
  await sql`
    create function app_is_operator() returns boolean language sql stable as $$
      select coalesce(current_setting('app.operator', true), '') = 'on'
    $$`.execute(db);

  const inScope = (col: string) => sql.raw(`(app_is_operator() or ${col} = any(app_practice_ids()))`);
  for (const t of DIRECT) {
    const col = t === 'practices' ? 'id' : 'practice_id';
    await sql`create policy practice_scope on ${sql.table(t)} using ${inScope(col)} with check ${inScope(col)}`.execute(
      db,
    );
  }
  for (const t of NULLABLE_SHARED) {
    await sql`create policy shared_read on ${sql.table(t)} for select using (practice_id is null)`.execute(
      db,
    );
    await sql`create policy practice_scope on ${sql.table(t)} using ${inScope('practice_id')} with check ${inScope('practice_id')}`.execute(
      db,
    );
  }
  for (const t of NULLABLE_OPERATOR) {
    await sql`create policy practice_scope on ${sql.table(t)} using ${inScope('practice_id')} with check ${inScope('practice_id')}`.execute(
      db,
    );
  }
  for (const t of VIA_CLAIM) {
    const visible = sql.raw(`(exists (select 1 from claims c where c.id = ${t}.claim_id))`);
    await sql`create policy practice_scope on ${sql.table(t)} using ${visible} with check ${visible}`.execute(
      db,
    );
  }
  await sql`create policy practice_scope on provider_adjustments
    using (exists (select 1 from remittances r where r.id = provider_adjustments.remittance_id))
    with check (exists (select 1 from remittances r where r.id = provider_adjustments.remittance_id))`.execute(
    db,
  );
  for (const t of ALL) await sql`alter table ${sql.table(t)} enable row level security`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ALL) {
    await sql`alter table ${sql.table(t)} disable row level security`.execute(db);
    await sql`drop policy if exists practice_scope on ${sql.table(t)}`.execute(db);
    await sql`drop policy if exists shared_read on ${sql.table(t)}`.execute(db);
  }
  await sql`drop function if exists app_is_operator()`.execute(db);
  await sql`drop function if exists app_practice_ids()`.execute(db);
}
