/**
 * The document activities against real parts: Postgres, a local attachment store and payer-sim over
 * HTTP. An appeal packet is built from the claim's rows, stored with its hash and delivered once, even
 * when the first delivery's answer is lost; statements render per dunning cycle when there is an
 * address to mail them to.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppealPacketRequest, createDocumentActivities } from '../../activities/documents.js';
import { createHttpPayerGateway } from '../../activities/payer/http-gateway.js';
import { insertAttachment } from '../../db/attachments.js';
import { putGuarantor } from '../../db/document-settings.js';
import { findDocumentByKey } from '../../db/documents.js';
import { LocalAttachmentStore } from '../../documents/attachments/local-store.js';
import { readAll, sha256Hex } from '../../documents/attachments/store.js';
import { countAttachmentPages } from '../../documents/pdf/pages.js';
import { FailureType } from '../../domain/failures.js';
import { seedClaim, seedPosting, seedRemittance } from '../api/support.js';
import { API_KEY, type RunningSim, startSim } from '../payer-sim/support.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { markerPdf, pdfPageCount, pdfText } from './fixtures.js';

interface Listing {
  total: number;
  packets: { sha256: string; deliveries: number; pageCount: number }[];
}

describe('document activities', () => {
  let t: TestDatabase;
  let sim: RunningSim;
  const root = mkdtempSync(join(tmpdir(), 'doc-activities-'));
  const store = new LocalAttachmentStore(root);
  let activities: ReturnType<typeof createDocumentActivities>;

  beforeAll(async () => {
    t = await createTestDatabase();
    sim = await startSim();
    activities = createDocumentActivities({
      db: t.db,
      store,
      payer: createHttpPayerGateway({ baseUrl: sim.baseUrl, apiKey: API_KEY, timeoutMs: 5_000 }),
      log: pino({ level: 'silent' }),
    });
  });
  afterAll(async () => {
    await sim?.close();
    await t?.drop();
    rmSync(root, { recursive: true, force: true });
  });

  /** A claim denied CO-50 with one uploaded 2-page record. */
  async function deniedClaimWithRecord(claimId: string) {
    const claimUuid = await seedClaim(t.db, {
      claimId,
      status: 'NEEDS_REVIEW',
      totalChargeCents: 25_000,
      denialCategory: 'MEDICAL_NECESSITY',
    });
    const remittanceId = await seedRemittance(t.db);
    await seedPosting(t.db, {
      claimUuid,
      remittanceId,
      postedAt: '2026-02-01T10:00:00Z',
      chargeCents: 25_000,
      adjustments: [['CO', '50', 25_000]],
    });
    const record = await markerPdf(`RECORD-${claimId}`, 2);
    const stored = await store.put(record, { maxBytes: 1_000_000 });
    const { attachment } = await insertAttachment(t.db, {
      practiceId: 'sunrise-fp',
      claimUuid,
      sha256: stored.sha256,
      mediaType: stored.mediaType,
      sizeBytes: stored.sizeBytes,
      pageCount: await countAttachmentPages({ title: 'Record', mediaType: stored.mediaType, bytes: record }),
      title: 'Clinic notes',
      storage: store.kind,
      uploadedBy: 'biller-1',
    });
    const request: AppealPacketRequest = {
      claimUuid,
      practiceId: 'sunrise-fp',
      level: 1,
      grounds: 'The notes document failed conservative care.',
      attachmentIds: [attachment.id],
      deadline: '2026-07-31T23:59:59Z',
      filedAt: '2026-02-10T15:00:00Z',
      actor: 'biller-1',
      idempotencyKey: `${claimUuid}:appeal:1`,
    };
    return { claimUuid, request, record };
  }

  async function packetsOf(claimId: string): Promise<Listing> {
    return (await sim.control<Listing>('GET', `/appeal-packets?patientControlNumber=${claimId}`)).body;
  }

  it('builds the packet from the claim, stores it with its hash and delivers it once', async () => {
    const { request, record } = await deniedClaimWithRecord('DOCACT1');
    const result = await activities.deliverAppealPacket(request);
    const bytes = await readAll(await store.open(result.sha256));
    expect(sha256Hex(bytes)).toBe(result.sha256);
    expect(pdfPageCount(bytes)).toBe(result.pageCount);
    const text = pdfText(bytes);
    expect(text).toContain('DOCACT1');
    expect(text).toContain('CO-50: Not deemed medically necessary by the payer');
    expect(text).toContain('July 31, 2026');
    expect(text).toContain('failed conservative care');
    expect(text).toContain('Sunrise Family Practice');
    expect(text).toContain('RECORD-DOCACT1 PAGE 2');
    // Letter + summary + remittance + the record's pages.
    const doc = await findDocumentByKey(t.db, 'sunrise-fp', `appeal-packet:${request.claimUuid}:1`);
    expect(doc).toMatchObject({ sha256: result.sha256, deliveryReference: result.packetId });
    expect(result.pageCount).toBeGreaterThanOrEqual(1 + 1 + 1 + pdfPageCount(record));

    const listing = await packetsOf('DOCACT1');
    expect(listing.total).toBe(1);
    expect(listing.packets[0]).toMatchObject({ sha256: result.sha256, deliveries: 1 });
    // A retry after success repeats nothing: same answer, nothing sent.
    expect(await activities.deliverAppealPacket(request)).toEqual(result);
    expect((await packetsOf('DOCACT1')).packets[0]!.deliveries).toBe(1);
  });

  it('arrives once when the first delivery is processed but its answer is lost', async () => {
    const { request } = await deniedClaimWithRecord('DOCACT2');
    await sim.control('PUT', '/config', { failAfterProcessingRate: 1 });
    const failure = await activities.deliverAppealPacket(request).catch((e) => e);
    await sim.control('PUT', '/config', { failAfterProcessingRate: 0 });
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure.type).toBe(FailureType.PayerUnavailable);
    expect(failure.nonRetryable).toBe(false);
    const retried = await activities.deliverAppealPacket(request);
    const listing = await packetsOf('DOCACT2');
    expect(listing.total).toBe(1);
    expect(listing.packets[0]).toMatchObject({ sha256: retried.sha256, deliveries: 2 });
  });

  it("an attachment id that is not the claim's is refused naming it, nothing sent", async () => {
    const { request } = await deniedClaimWithRecord('DOCACT3');
    const err = await activities
      .deliverAppealPacket({ ...request, attachmentIds: ['00000000-0000-0000-0000-000000000000'] })
      .catch((e) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err.type).toBe(FailureType.AttachmentNotFound);
    expect(err.nonRetryable).toBe(true);
    expect(err.details?.[0]).toEqual({ field: 'attachmentIds[0]' });
    expect((await packetsOf('DOCACT3')).total).toBe(0);
  });

  it('renders a dunning statement when the guarantor has an address, once per statement key', async () => {
    const claimUuid = await seedClaim(t.db, {
      claimId: 'DOCSTMT1',
      status: 'PATIENT_BALANCE',
      totalChargeCents: 20_000,
      paidCents: 12_000,
      openBalanceCents: 3_000,
    });
    const remittanceId = await seedRemittance(t.db);
    await seedPosting(t.db, {
      claimUuid,
      remittanceId,
      postedAt: '2026-02-01T10:00:00Z',
      chargeCents: 20_000,
      paidCents: 12_000,
      adjustments: [
        ['CO', '45', 5_000],
        ['PR', '2', 3_000],
      ],
    });
    const req = {
      claimUuid,
      practiceId: 'sunrise-fp',
      statementKey: 'dunning:0',
      kind: 'STATEMENT' as const,
      amountDueCents: 3_000,
      dueDate: '2026-03-05',
      at: '2026-02-03T09:00:00Z',
      sequence: 1,
    };
    expect(await activities.renderStatementDocument(req)).toBeUndefined();
    const patient = await t.db
      .selectFrom('claims')
      .select('patient_id')
      .where('id', '=', claimUuid)
      .executeTakeFirstOrThrow();
    await putGuarantor(t.db, 'sunrise-fp', patient.patient_id, {
      name: 'Grace Hopper',
      address: { lines: ['1 Navy Way'], city: 'Austin', state: 'TX', postalCode: '78701' },
    });
    const first = await activities.renderStatementDocument(req);
    expect(first).toBeDefined();
    expect(await activities.renderStatementDocument(req)).toEqual(first);
    const text = pdfText(await readAll(await store.open(first!.sha256)));
    expect(text).toContain('Amount due: $30.00');
    expect(text).toContain('Acme Health Commercial paid $120.00');
    expect(text).toContain('$50.00 was taken off under our agreement with your insurance');
    expect(text).toContain('1 Navy Way');
    expect(text).toContain('March 5, 2026');
  });
});
