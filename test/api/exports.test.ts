/**
 * Exports: a practice's claims, events, postings and raw ERA files as NDJSON or CSV, streamed, and never
 * a row of another practice (nor a raw file that also pays another practice).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../api/app.js';
import { csvField } from '../../api/routes/exports.js';
import type { Db } from '../../db/pool.js';
import { EXPORT_COLUMNS } from '../../db/reports/exports.js';
import { seedClaim, seedEvent, seedPosting, seedRemittance, startDbApp, sunrise } from './support.js';

let app: App;
let db: Db;
let stop: () => Promise<void>;
let sunriseClaim: string;
let sunriseFile: string;
let mixedFile: string;

beforeAll(async () => {
  ({ app, db, stop } = await startDbApp());
  sunriseClaim = await seedClaim(db, { claimId: 'EXP-1', status: 'NEEDS_REVIEW', assignedTo: 'Smith, "J"' });
  await seedClaim(db, { claimId: 'EXP-2', status: 'PAID', openBalanceCents: 0 });
  const lakeside = await seedClaim(db, { practiceId: 'lakeside-ortho', claimId: 'EXP-LAKE' });
  await seedEvent(db, {
    claimUuid: sunriseClaim,
    at: '2026-03-01T00:00:00Z',
    kind: 'NOTE_ADDED',
    reason: 'line one\nline two',
  });
  await seedEvent(db, {
    claimUuid: lakeside,
    at: '2026-03-01T00:00:00Z',
    kind: 'NOTE_ADDED',
    reason: 'lakeside secret',
  });

  const sunriseRemittance = await seedRemittance(db, { practiceId: 'sunrise-fp', trace: 'TRN-SUNRISE' });
  await seedPosting(db, {
    claimUuid: sunriseClaim,
    remittanceId: sunriseRemittance,
    postedAt: '2026-03-02T00:00:00Z',
    paidCents: 100,
    adjustments: [['CO', '50', 900]],
  });
  const lakeRemittance = await seedRemittance(db, { practiceId: 'lakeside-ortho', trace: 'TRN-LAKE' });
  await seedPosting(db, {
    claimUuid: lakeside,
    remittanceId: lakeRemittance,
    postedAt: '2026-03-02T00:00:00Z',
    paidCents: 777,
  });
  sunriseFile = (
    await db
      .selectFrom('remittances')
      .select('era_file_id')
      .where('id', '=', sunriseRemittance)
      .executeTakeFirstOrThrow()
  ).era_file_id;
  // A file with a second transaction set that paid lakeside: its raw text must not leave with sunrise's export.
  const mixedRemittance = await seedRemittance(db, { practiceId: 'sunrise-fp', trace: 'TRN-MIXED' });
  mixedFile = (
    await db
      .selectFrom('remittances')
      .select('era_file_id')
      .where('id', '=', mixedRemittance)
      .executeTakeFirstOrThrow()
  ).era_file_id;
  await db
    .insertInto('remittances')
    .values({
      era_file_id: mixedFile,
      transaction_index: 1,
      practice_id: 'lakeside-ortho',
      payer_id: 'ACME-HEALTH',
      trace_number: 'TRN-MIXED-LAKE',
      payment_cents: 0,
      payment_method: 'CHK',
      payment_date: '2026-02-01',
      parsed: '{}',
    })
    .execute();
});

afterAll(async () => {
  await stop?.();
});

const exportOf = (path: string, headers: Record<string, string> = sunrise('supervisor')) =>
  app.inject({ method: 'GET', url: `/exports/${path}`, headers });
const ndjson = (body: string) =>
  body
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('GET /exports/:kind', () => {
  it('claims as NDJSON: one object per line with the documented columns, this practice only, no patient PHI', async () => {
    const res = await exportOf('claims?practiceId=sunrise-fp');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/x-ndjson');
    expect(res.headers['content-disposition']).toContain('sunrise-fp-claims.ndjson');
    const rows = ndjson(res.body);
    expect(rows.map((r) => r.claim_id).sort()).toEqual(['EXP-1', 'EXP-2']);
    expect(Object.keys(rows[0]!)).toEqual([...EXPORT_COLUMNS.claims]);
    expect(res.body).not.toMatch(/Grace|Hopper|SEED-1|1970-01-01/);
  });

  it('claims as CSV: a header row, RFC 4180 quoting of commas, quotes and line breaks', async () => {
    const res = await exportOf('claims?practiceId=sunrise-fp&format=csv');
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body.split('\r\n');
    expect(lines[0]).toBe(EXPORT_COLUMNS.claims.join(','));
    expect(res.body).toContain('"Smith, ""J"""');
    expect(csvField('a\nb')).toBe('"a\nb"');
    expect(csvField(null)).toBe('');
    expect(csvField(['N115'])).toBe('"[""N115""]"');
  });

  it('events and postings of the practice only, postings with their adjustments', async () => {
    const events = ndjson((await exportOf('events?practiceId=sunrise-fp')).body);
    expect(events.map((e) => e.reason)).toEqual(['line one\nline two']);
    const postings = ndjson((await exportOf('postings?practiceId=sunrise-fp')).body);
    expect(postings).toHaveLength(1);
    expect(postings[0]).toMatchObject({
      claim_id: 'EXP-1',
      paid_cents: 100,
      adjustments: [{ group: 'CO', reason: '50', amountCents: 900 }],
    });
  });

  it('raw ERA files only when every payment in them is this practice’s', async () => {
    const eras = ndjson((await exportOf('eras?practiceId=sunrise-fp')).body);
    expect(eras.map((e) => e.id)).toEqual([sunriseFile]);
    expect(eras.map((e) => e.id)).not.toContain(mixedFile);
    expect(eras[0]!.raw).toContain('TRN-SUNRISE');
  });

  it('filters by the rows’ own date', async () => {
    expect(ndjson((await exportOf('events?practiceId=sunrise-fp&from=2026-03-02')).body)).toHaveLength(0);
    expect(
      ndjson((await exportOf('events?practiceId=sunrise-fp&from=2026-03-01&to=2026-03-01')).body),
    ).toHaveLength(1);
  });

  it('streams a large export whole, across many cursor chunks', async () => {
    const patient = await db
      .selectFrom('patients')
      .select('id')
      .where('practice_id', '=', 'sunrise-fp')
      .executeTakeFirstOrThrow();
    await sql`
      insert into claims (practice_id, claim_id, patient_control_number, patient_id, payer_id, billing_provider_npi,
        date_of_service, diagnosis_codes, total_charge_cents, status, open_balance_cents, workflow_id)
      select 'sunrise-fp', 'BULK-' || g, 'BULK-' || g, ${patient.id}::uuid, 'ACME-HEALTH', '1234567893',
        date '2026-01-01', array['E11.9'], 1000, 'PAID', 0, 'claim-sunrise-fp-BULK-' || g
      from generate_series(1, 5000) g`.execute(db);
    const res = await exportOf('claims?practiceId=sunrise-fp&format=csv');
    expect(res.statusCode).toBe(200);
    // header + 5002 claims + the trailing empty string after the last CRLF
    expect(res.body.split('\r\n')).toHaveLength(5_004);
  });

  it('is for supervisors and admins of the practice: 401, 403 for a biller, 403 for another practice', async () => {
    expect((await exportOf('claims?practiceId=sunrise-fp', {})).statusCode).toBe(401);
    expect((await exportOf('claims?practiceId=sunrise-fp', sunrise('biller'))).statusCode).toBe(403);
    const other = await exportOf('events?practiceId=lakeside-ortho', sunrise('admin'));
    expect(other.statusCode).toBe(403);
    expect(other.body).not.toContain('lakeside secret');
  });

  it('refuses an unknown kind or format with 400 naming it', async () => {
    const kind = await exportOf('patients?practiceId=sunrise-fp');
    expect(kind.statusCode).toBe(400);
    expect((kind.json() as { errors: { field: string }[] }).errors[0]!.field).toBe('params/kind');
    const format = await exportOf('claims?practiceId=sunrise-fp&format=xml');
    expect((format.json() as { errors: { field: string }[] }).errors[0]!.field).toBe('querystring/format');
  });
});
