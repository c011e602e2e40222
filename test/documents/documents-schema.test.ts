/**
 * The documents tables on the real Postgres: one attachment per (claim, file hash), one document per
 * (practice, document key), template versions unique per key, and hashes that cannot be anything but
 * a SHA-256.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

const SHA = 'a'.repeat(64);

describe('documents schema', () => {
  let t: TestDatabase;
  let claimId: string;
  beforeAll(async () => {
    t = await createTestDatabase();
    const patient = await sql<{ id: string }>`
      insert into patients (practice_id, external_id, first_name, last_name, birth_date, member_id)
      values ('sunrise-fp', 'P-DOC-1', 'Test', 'Patient', '1970-01-01', 'M1') returning id`.execute(t.db);
    const claim = await sql<{ id: string }>`
      insert into claims (practice_id, claim_id, patient_control_number, patient_id, payer_id,
        billing_provider_npi, date_of_service, diagnosis_codes, total_charge_cents, status,
        open_balance_cents, workflow_id)
      values ('sunrise-fp', 'C-DOC-1', 'PCN-DOC-1', ${patient.rows[0]!.id}, 'ACME-HEALTH', '1234567893',
        '2026-09-01', '{Z00.00}', 10000, 'DENIED', 10000, 'claim-sunrise-fp-C-DOC-1') returning id`.execute(
      t.db,
    );
    claimId = claim.rows[0]!.id;
  });
  afterAll(async () => {
    await t?.drop();
  });

  const attach = (sha: string) => sql`
    insert into attachments (practice_id, claim_id, sha256, media_type, size_bytes, page_count, title, storage, uploaded_by)
    values ('sunrise-fp', ${claimId}, ${sha}, 'application/pdf', 1234, 2, 'Records', 'local', 'biller-1')
    on conflict (claim_id, sha256) do nothing`;

  it('the same file uploaded twice to a claim is one attachment', async () => {
    await attach(SHA).execute(t.db);
    await attach(SHA).execute(t.db);
    const n = await sql<{
      n: string;
    }>`select count(*) as n from attachments where claim_id = ${claimId}`.execute(t.db);
    expect(Number(n.rows[0]!.n)).toBe(1);
  });

  it('a hash that is not a SHA-256 is refused by the database', async () => {
    await expect(attach('not-a-hash').execute(t.db)).rejects.toThrow(/check constraint/);
  });

  it('a document key is stored once per practice, so a retried store finds the first row', async () => {
    const store = () => sql<{ id: string }>`
      insert into documents (practice_id, claim_id, kind, document_key, sha256, media_type, size_bytes, page_count)
      values ('sunrise-fp', ${claimId}, 'APPEAL_PACKET', ${`appeal:${claimId}:1`}, ${SHA}, 'application/pdf', 999, 5)
      on conflict (practice_id, document_key) do nothing returning id`;
    expect((await store().execute(t.db)).rows).toHaveLength(1);
    expect((await store().execute(t.db)).rows).toHaveLength(0);
  });

  it('template versions are unique per practice and key', async () => {
    const version = (v: number) => sql`
      insert into document_templates (practice_id, template_key, version, name, payer_types, subject, body, closing, created_by)
      values ('sunrise-fp', 'commercial-general', ${v}, 'General', '{COMMERCIAL}', 's', 'b', 'c', 'admin-1')`;
    await version(1).execute(t.db);
    await version(2).execute(t.db);
    await expect(version(2).execute(t.db)).rejects.toThrow(/document_templates_version_uq/);
  });
});
