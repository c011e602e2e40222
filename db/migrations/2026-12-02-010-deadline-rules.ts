import { type Kysely, sql } from 'kysely';

/**
 * Deadlines to the day (docs/deadline-rules.md): each practice's IANA time zone, where a payer rule's
 * appeal clock starts and the units of its windows, the reopening window, and the warnings an accepted
 * 835 carried (docs/835-tolerance.md).
 *
 * Existing rules said "days from presumed receipt" for every payer, which is right for Medicare only:
 * Medicare rows keep `receipt`, every other payer counts from the remittance date, and Medicare's
 * 365-day timely filing becomes the one calendar year the regulation gives (`timely_filing_days`
 * stays as the legacy value; a length and unit, when set, win).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are schema-agnostic by design (kysely docs)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('practices')
    .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('America/New_York'))
    .execute();

  await db.schema
    .alterTable('payer_rules')
    .addColumn('appeal_window_from', 'text', (c) => c.notNull().defaultTo('remittance'))
    .addColumn('appeal_window_unit', 'text', (c) => c.notNull().defaultTo('days'))
    .addColumn('timely_filing_length', 'integer')
    .addColumn('timely_filing_unit', 'text')
    .addColumn('reopening_window_length', 'integer')
    .addColumn('reopening_window_unit', 'text')
    .execute();
  await sql`alter table payer_rules add constraint payer_rules_appeal_from_ck check (appeal_window_from in ('remittance', 'receipt'))`.execute(
    db,
  );
  const units = sql`('days', 'businessDays', 'months', 'years')`;
  await sql`alter table payer_rules add constraint payer_rules_units_ck check (appeal_window_unit in ${units} and (timely_filing_unit is null or timely_filing_unit in ${units}) and (reopening_window_unit is null or reopening_window_unit in ${units}))`.execute(
    db,
  );
  await sql`
    update payer_rules r
       set appeal_window_from = 'receipt',
           reopening_window_length = 1,
           reopening_window_unit = 'years'
      from payers p
     where p.id = r.payer_id and p.payer_type = 'MEDICARE'`.execute(db);
  await sql`
    update payer_rules r
       set timely_filing_length = 1, timely_filing_unit = 'years'
      from payers p
     where p.id = r.payer_id and p.payer_type = 'MEDICARE' and r.timely_filing_days = 365`.execute(db);

  await db.schema
    .alterTable('remittances')
    .addColumn('parse_warnings', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('remittances').dropColumn('parse_warnings').execute();
  await sql`alter table payer_rules drop constraint if exists payer_rules_units_ck`.execute(db);
  await sql`alter table payer_rules drop constraint if exists payer_rules_appeal_from_ck`.execute(db);
  await db.schema
    .alterTable('payer_rules')
    .dropColumn('appeal_window_from')
    .dropColumn('appeal_window_unit')
    .dropColumn('timely_filing_length')
    .dropColumn('timely_filing_unit')
    .dropColumn('reopening_window_length')
    .dropColumn('reopening_window_unit')
    .execute();
  await db.schema.alterTable('practices').dropColumn('time_zone').execute();
}
