import { type Kysely, sql } from 'kysely';

/**
 * Who decoded which workflow's payloads through the codec server, and when: opening a claim's history
 * in the Temporal UI reads PHI, so every decode is recorded (refused ones too) for the practice's
 * admins to review. Append-only like the audit trail, and practice-scoped under row-level security.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are schema-agnostic by design (kysely docs)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('codec_access_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('practice_id', 'text', (c) => c.references('practices.id'))
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('payload_count', 'integer', (c) => c.notNull())
    .addColumn('allowed', 'boolean', (c) => c.notNull())
    .addColumn('request_id', 'text')
    .execute();
  await sql`create index codec_access_log_practice_idx on codec_access_log (practice_id, id desc)`.execute(
    db,
  );
  await sql`
    create function codec_access_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'codec_access_log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
    end $$`.execute(db);
  await sql`create trigger codec_access_log_append_only before update or delete on codec_access_log
    for each row execute function codec_access_log_append_only()`.execute(db);
  await sql`create policy practice_scope on codec_access_log
    using (app_is_operator() or practice_id = any(app_practice_ids()))
    with check (app_is_operator() or practice_id = any(app_practice_ids()))`.execute(db);
  await sql`alter table codec_access_log enable row level security`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('codec_access_log').ifExists().execute();
  await sql`drop function if exists codec_access_log_append_only()`.execute(db);
}
