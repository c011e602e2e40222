/**
 * The attachment, document and template repositories on the real Postgres: a repeated upload is one
 * row, a retried document store finds the first row, template edits are new versions, and file events
 * land on the claim's timeline without changing its status.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentsByIds, getAttachment, insertAttachment, listAttachments } from '../../db/attachments.js';
import {
  getGuarantor,
  getPayerDocumentSettings,
  getPracticeDocumentSettings,
  putGuarantor,
} from '../../db/document-settings.js';
import { currentTemplates, getTemplate, saveTemplateVersion } from '../../db/document-templates.js';
import {
  findDocumentByKey,
  getDocument,
  listDocuments,
  markDocumentSent,
  recordDocument,
  recordFileEvent,
} from '../../db/documents.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

const SHA_A = 'a'.repeat(64);
const SHA_B = 'b'.repeat(64);

describe('documents repositories', () => {
  let t: TestDatabase;
  let claimUuid: string;
  let otherClaim: string;
  beforeAll(async () => {
    t = await createTestDatabase();
    const patient = await sql<{ id: string }>`
      insert into patients (practice_id, external_id, first_name, last_name, birth_date, member_id)
      values ('sunrise-fp', 'P-REPO-1', 'Test', 'Patient', '1970-01-01', 'M1') returning id`.execute(t.db);
    const claim = (id: string) => sql<{ id: string }>`
      insert into claims (practice_id, claim_id, patient_control_number, patient_id, payer_id,
        billing_provider_npi, date_of_service, diagnosis_codes, total_charge_cents, status,
        open_balance_cents, workflow_id)
      values ('sunrise-fp', ${id}, ${`PCN-${id}`}, ${patient.rows[0]!.id}, 'ACME-HEALTH', '1234567893',
        '2026-09-01', '{Z00.00}', 10000, 'DENIED', 10000, ${`claim-sunrise-fp-${id}`}) returning id`;
    claimUuid = (await claim('C-REPO-1').execute(t.db)).rows[0]!.id;
    otherClaim = (await claim('C-REPO-2').execute(t.db)).rows[0]!.id;
  });
  afterAll(async () => {
    await t?.drop();
  });

  const upload = (sha: string, claim = claimUuid) =>
    insertAttachment(t.db, {
      practiceId: 'sunrise-fp',
      claimUuid: claim,
      sha256: sha,
      mediaType: 'application/pdf',
      sizeBytes: 2048,
      pageCount: 3,
      title: 'Operative report',
      fileName: 'op-report.pdf',
      storage: 'local',
      uploadedBy: 'biller-1',
    });

  it('uploading the same file twice to a claim returns the first attachment', async () => {
    const first = await upload(SHA_A);
    const again = await upload(SHA_A);
    expect(first.created).toBe(true);
    expect(again).toEqual({ attachment: first.attachment, created: false });
    await upload(SHA_B);
    expect((await listAttachments(t.db, claimUuid)).map((a) => a.sha256)).toEqual([SHA_A, SHA_B]);
  });

  it("another claim's attachment, or a malformed id, is not found", async () => {
    const mine = (await upload(SHA_A)).attachment;
    expect(await getAttachment(t.db, claimUuid, mine.id)).toEqual(mine);
    expect(await getAttachment(t.db, otherClaim, mine.id)).toBeUndefined();
    expect(await getAttachment(t.db, claimUuid, 'nope')).toBeUndefined();
    const { found, missing } = await attachmentsByIds(t.db, claimUuid, [mine.id, 'nope', otherClaim]);
    expect(found.map((a) => a.id)).toEqual([mine.id]);
    expect(missing).toEqual(['nope', otherClaim]);
  });

  it('a document is recorded once per key and marked sent once', async () => {
    const key = `appeal:${claimUuid}:1`;
    const doc = {
      practiceId: 'sunrise-fp',
      claimUuid,
      kind: 'APPEAL_PACKET' as const,
      documentKey: key,
      sha256: SHA_A,
      mediaType: 'application/pdf',
      sizeBytes: 9999,
      pageCount: 7,
      templateKey: 'commercial-general',
      templateVersion: 2,
    };
    const first = await recordDocument(t.db, doc);
    const retry = await recordDocument(t.db, { ...doc, sha256: SHA_B });
    expect(first.created).toBe(true);
    expect(retry.created).toBe(false);
    expect(retry.document.sha256).toBe(SHA_A);
    await markDocumentSent(t.db, first.document.id, 'PKT-1', new Date('2026-10-15T10:00:00Z'));
    await markDocumentSent(t.db, first.document.id, 'PKT-2', new Date('2026-10-16T10:00:00Z'));
    const sent = await findDocumentByKey(t.db, 'sunrise-fp', key);
    expect(sent).toMatchObject({ deliveryReference: 'PKT-1', sentAt: '2026-10-15T10:00:00.000Z' });
    expect(await getDocument(t.db, claimUuid, first.document.id)).toEqual(sent);
    expect(await getDocument(t.db, otherClaim, first.document.id)).toBeUndefined();
    expect((await listDocuments(t.db, claimUuid)).map((d) => d.id)).toEqual([first.document.id]);
  });

  it('a template edit is a new version; the current set holds the latest of each key', async () => {
    const base = {
      key: 'commercial-general',
      name: 'General',
      payerTypes: ['COMMERCIAL'],
      categories: [],
      levels: [],
      subject: 'Appeal {{claim.claimId}}',
      body: 'v1',
      closing: 'Thanks',
    };
    const v1 = await saveTemplateVersion(t.db, 'sunrise-fp', base, 'admin-1');
    const [v2, v3] = await Promise.all([
      saveTemplateVersion(t.db, 'sunrise-fp', { ...base, body: 'v2' }, 'admin-1'),
      saveTemplateVersion(t.db, 'sunrise-fp', { ...base, body: 'v3' }, 'admin-2'),
    ]);
    expect(v1.version).toBe(1);
    expect([v2.version, v3.version].sort()).toEqual([2, 3]);
    const current = await currentTemplates(t.db, 'sunrise-fp');
    expect(current).toHaveLength(1);
    expect(current[0]!.version).toBe(3);
    expect((await getTemplate(t.db, 'sunrise-fp', 'commercial-general', 1))?.body).toBe('v1');
    expect(await currentTemplates(t.db, 'lakeside-ortho')).toEqual([]);
  });

  it('the seed gives the demo practices a letterhead and the demo payers an appeal address', async () => {
    expect(await getPracticeDocumentSettings(t.db, 'sunrise-fp')).toMatchObject({
      phone: '(512) 555-0140',
      address: { city: 'Austin', state: 'TX' },
    });
    expect((await getPayerDocumentSettings(t.db, 'MEDICARE')).contractorName).toContain('Novitas');
    expect(await getPayerDocumentSettings(t.db, 'TX-MEDICAID')).toEqual({});
  });

  it("a patient's guarantor is stored and replaced", async () => {
    const patient = await sql<{
      id: string;
    }>`select patient_id as id from claims where id = ${claimUuid}`.execute(t.db);
    const id = patient.rows[0]!.id;
    expect(await getGuarantor(t.db, id)).toBeUndefined();
    const g = {
      name: 'Pat Guardian',
      address: { lines: ['1 Elm St'], city: 'Austin', state: 'TX', postalCode: '78701' },
    };
    await putGuarantor(t.db, 'sunrise-fp', id, g);
    await putGuarantor(t.db, 'sunrise-fp', id, { ...g, name: 'Pat Q. Guardian' });
    expect(await getGuarantor(t.db, id)).toEqual({ ...g, name: 'Pat Q. Guardian' });
  });

  it('file events go on the timeline once per key and leave the status alone', async () => {
    const e = {
      eventKey: `attachment:${SHA_A}:uploaded`,
      claimUuid,
      practiceId: 'sunrise-fp',
      actor: 'biller-1',
      kind: 'ATTACHMENT_UPLOADED' as const,
      data: { sha256: SHA_A, sizeBytes: 2048 },
    };
    await recordFileEvent(t.db, e);
    await recordFileEvent(t.db, e);
    const rows = await sql<{ kind: string; to_status: string | null; data: unknown }>`
      select kind, to_status, data from claim_events where claim_id = ${claimUuid}`.execute(t.db);
    expect(rows.rows).toEqual([
      { kind: 'ATTACHMENT_UPLOADED', to_status: null, data: { sha256: SHA_A, sizeBytes: 2048 } },
    ]);
    const status = await sql<{ status: string }>`select status from claims where id = ${claimUuid}`.execute(
      t.db,
    );
    expect(status.rows[0]!.status).toBe('DENIED');
  });
});
