/**
 * The work queue, the stuck list, the KPI queries and the claim list stay index-driven at scale: on a
 * seeded table of 120k claims across ten practices (with payments, adjustments, events and appeals in
 * proportion), EXPLAIN of every query they run shows no sequential scan of `claims`. The queries are the
 * production functions themselves: a kysely logger captures the SQL they send and each is explained with
 * its own parameters.
 */
import { CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listClaims } from '../../db/claims.js';
import {
  appealCounts,
  arSnapshot,
  collectionCounts,
  denialAndCleanCounts,
  denialsByCategory,
  denialsByPayer,
  firstActionCounts,
} from '../../db/reports/kpis.js';
import { activityCandidates, stuckClaims, worklist } from '../../db/reports/work-queues.js';
import type { Database } from '../../db/schema.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

const CLAIMS = 120_000;
const PRACTICES = 10;

let tdb: TestDatabase;
let db: Kysely<Database>;
const captured: CompiledQuery[] = [];

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Total Time'?: number;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/** Runs `fn`, then EXPLAIN ANALYZEs every query it sent. */
async function plansOf(fn: () => Promise<unknown>) {
  captured.length = 0;
  await fn();
  const queries = [...captured];
  const out: { sql: string; plan: PlanNode; ms: number }[] = [];
  for (const q of queries) {
    const res = await db.executeQuery<{ 'QUERY PLAN': [{ Plan: PlanNode; 'Execution Time': number }] }>(
      CompiledQuery.raw(`explain (analyze, format json) ${q.sql}`, [...q.parameters]),
    );
    const [explained] = res.rows[0]!['QUERY PLAN'];
    out.push({ sql: q.sql, plan: explained.Plan, ms: explained['Execution Time'] });
  }
  return out;
}

const summaries: string[] = [];

/** Asserts no Seq Scan on claims and at least one claims index, and keeps a one-line summary for the log. */
async function expectIndexed(name: string, fn: () => Promise<unknown>) {
  const plans = await plansOf(fn);
  expect(plans.length).toBeGreaterThan(0);
  for (const p of plans) {
    const all = nodes(p.plan);
    const seqOnClaims = all.filter((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] === 'claims');
    expect(seqOnClaims, `${name} scans claims sequentially:\n${p.sql}`).toEqual([]);
    const claimIndexes = all.filter((n) => n['Index Name']?.startsWith('claims'));
    expect(claimIndexes.length, `${name} uses no claims index:\n${p.sql}`).toBeGreaterThan(0);
    summaries.push(
      `${name}: ${[...new Set(claimIndexes.map((n) => `${n['Node Type']} ${n['Index Name']}`))].join(', ')} (${p.ms.toFixed(1)} ms)`,
    );
  }
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: tdb.url, max: 2 }) }),
    log: (event) => {
      if (event.level === 'query') captured.push(event.query);
    },
  });
  await sql`insert into practices (id, name, npi)
    select 'practice-' || g, 'Practice ' || g, lpad(g::text, 10, '9') from generate_series(1, ${PRACTICES - 2}) g`.execute(
    db,
  );
  await sql`insert into patients (practice_id, external_id, first_name, last_name, birth_date, member_id)
    select id, 'P-SEED', 'Seed', 'Patient', date '1970-01-01', 'SEED' from practices`.execute(db);
  // Ten practices round-robin; dates of service over two years; most claims closed, as in a live desk.
  await sql`
    with p as (select row_number() over (order by id) - 1 as n, id from practices),
    g as (
      select g, (now() - make_interval(days => (g % 730)))::date as dos,
        case
          when g % 100 < 80 then 'PAID' when g % 100 < 84 then 'WRITTEN_OFF' when g % 100 < 85 then 'COLLECTIONS'
          when g % 100 < 90 then 'NEEDS_REVIEW' when g % 100 < 91 then 'NEEDS_CORRECTION' when g % 100 < 96 then 'AWAITING_ADJUDICATION'
          when g % 100 < 98 then 'PATIENT_BALANCE' when g % 100 < 99 then 'APPEALING' else 'SUBMITTING' end as status
      from generate_series(1, ${CLAIMS}) g
    )
    insert into claims (practice_id, claim_id, patient_control_number, patient_id, payer_id, billing_provider_npi,
      date_of_service, diagnosis_codes, total_charge_cents, status, denial_category, escalated, next_deadline,
      paid_cents, adjustment_cents, open_balance_cents, workflow_id, submitted_at, first_denied_at, first_action_at,
      last_activity_at, created_at)
    select p.id, 'C' || g.g, 'C' || g.g, pt.id,
      (array['MEDICARE','SUNSHINE-MA','TX-MEDICAID','ACME-HEALTH','BLUEPEAK'])[1 + g.g % 5], '1234567893',
      g.dos, array['E11.9'], 10000 + (g.g % 50) * 1000, g.status,
      case when g.g % 7 = 0 or g.status = 'NEEDS_REVIEW' then (array['CODING','MEDICAL_NECESSITY','ELIGIBILITY','DUPLICATE'])[1 + g.g % 4] end,
      g.g % 211 = 0,
      case when g.status in ('NEEDS_REVIEW', 'NEEDS_CORRECTION', 'APPEALING') then now() + make_interval(days => (g.g % 120) - 20) end,
      case when g.status = 'PAID' then 8000 else 0 end, case when g.status = 'PAID' then 2000 else 0 end,
      case when g.status in ('PAID', 'WRITTEN_OFF', 'COLLECTIONS') then 0 else 10000 end,
      'claim-' || p.id || '-C' || g.g,
      g.dos + interval '2 days',
      case when g.g % 7 = 0 or g.status = 'NEEDS_REVIEW' then g.dos + interval '20 days' end,
      case when g.g % 14 = 0 then g.dos + interval '25 days' end,
      g.dos + interval '30 days', g.dos + interval '1 day'
    from g join p on p.n = g.g % ${PRACTICES} join patients pt on pt.practice_id = p.id`.execute(db);
  await sql`insert into era_files (checksum, source, raw, status) values ('seed', 'upload', 'ISA~', 'ACCEPTED')`.execute(
    db,
  );
  await sql`insert into remittances (era_file_id, transaction_index, practice_id, payer_id, trace_number, payment_cents,
      payment_method, payment_date, parsed)
    select id, 0, null, 'MEDICARE', 'TRN', 0, 'CHK', date '2026-01-01', '{}' from era_files`.execute(db);
  await sql`insert into claim_payments (claim_id, remittance_id, claim_index, payer_id, trace_number, patient_control_number,
      payer_claim_number, is_reversal, status_code, charge_cents, paid_cents, patient_responsibility_cents, remark_codes,
      summary, posted_at)
    select c.id, r.id, 0, c.payer_id, 'TRN', c.patient_control_number, 'ICN' || c.claim_id, false, '1', c.total_charge_cents,
      c.paid_cents, 0, '{}', '{}', c.submitted_at + interval '18 days'
    from claims c cross join remittances r
    where c.status not in ('SUBMITTING', 'AWAITING_ADJUDICATION', 'NEEDS_CORRECTION')`.execute(db);
  await sql`insert into claim_adjustments (claim_payment_id, claim_id, group_code, reason_code, amount_cents, remark_codes)
    select p.id, p.claim_id, 'CO', case when c.first_denied_at is not null then '50' else '45' end, 2000, '{}'
    from claim_payments p join claims c on c.id = p.claim_id`.execute(db);
  // Bulk-seeded rows carry placeholder hashes: this file measures plans, not the audit chain.
  await sql`insert into claim_events (event_key, claim_id, practice_id, at, actor, kind, from_status, to_status, prev_hash, hash)
    select c.id || ':1', c.id, c.practice_id, c.submitted_at, 'system', 'STATUS_CHANGED', 'SUBMITTING', 'AWAITING_ADJUDICATION', '\\x'::bytea, '\\x'::bytea from claims c
    union all
    select c.id || ':2', c.id, c.practice_id, c.first_denied_at, 'payer', 'STATUS_CHANGED', 'DENIED', 'NEEDS_REVIEW', '\\x'::bytea, '\\x'::bytea
    from claims c where c.first_denied_at is not null`.execute(db);
  await sql`insert into appeals (claim_id, level, grounds, attachments, deadline, status, filed_by, filed_at, decided_at)
    select c.id, 1, 'records', '{}', c.first_denied_at + interval '120 days', case when c.claim_id like '%3' then 'upheld' else 'overturned' end,
      'seed', c.first_denied_at + interval '5 days', c.first_denied_at + interval '40 days'
    from claims c where c.first_denied_at is not null and c.claim_id like '%1'`.execute(db);
  await sql`analyze`.execute(db);
}, 120_000);

afterAll(async () => {
  if (summaries.length > 0) console.info(`query plans on ${CLAIMS} claims:\n${summaries.join('\n')}`);
  await db?.destroy();
  await tdb?.drop();
});

describe(`query plans on ${CLAIMS} claims`, () => {
  const now = new Date();
  const to = now.toISOString().slice(0, 10);
  const from = new Date(now.getTime() - 30 * 86_400_000).toISOString().slice(0, 10);
  const period = { practiceId: 'sunrise-fp', from, to, now };

  it('the seed holds at least 100k claims', async () => {
    const { n } = await db
      .selectFrom('claims')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    expect(n).toBeGreaterThanOrEqual(100_000);
  });

  it('the work queue reads the worklist partial index', async () => {
    await expectIndexed('worklist', () => worklist(db, { practiceIds: ['sunrise-fp'], now, limit: 50 }));
    await expectIndexed('worklist by category', () =>
      worklist(db, {
        practiceIds: ['sunrise-fp', 'lakeside-ortho'],
        denialCategories: ['CODING'],
        now,
        limit: 50,
      }),
    );
  });

  it('the stuck list and its activity candidates read the open-claims index', async () => {
    await expectIndexed('stuck', () =>
      stuckClaims(db, {
        practiceIds: ['sunrise-fp'],
        now,
        nearDeadlineDays: 7,
        untouchedDays: 45,
        limit: 100,
      }),
    );
    await expectIndexed('activity candidates', () => activityCandidates(db, ['sunrise-fp'], 25));
  });

  it('every KPI query starts from a claims index', async () => {
    await expectIndexed('denial and clean-claim counts', () => denialAndCleanCounts(db, period));
    await expectIndexed('denials by payer', () => denialsByPayer(db, period));
    await expectIndexed('denials by category', () => denialsByCategory(db, period));
    await expectIndexed('A/R and aging', () => arSnapshot(db, period));
    await expectIndexed('appeals', () => appealCounts(db, period));
    await expectIndexed('net collection', () => collectionCounts(db, period));
    await expectIndexed('time to first action', () => firstActionCounts(db, period));
  });

  it('the claim list pages through the (practice, created_at, id) index', async () => {
    await expectIndexed('claim list', () => listClaims(db, { practiceIds: ['sunrise-fp'], limit: 50 }));
  });
});
