/**
 * The document routes through `inject` against the real Postgres and a real local attachment store:
 * uploads checked by content and size with nothing stored on refusal, downloads that carry their hash,
 * timeline events for both, template edits validated field by field, and the letter preview.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDocumentActivities } from '../../activities/documents.js';
import { type App, buildApp } from '../../api/app.js';
import { putGuarantor } from '../../db/document-settings.js';
import { recordDocument } from '../../db/documents.js';
import { recordStatement } from '../../db/patient-balance.js';
import type { Db } from '../../db/pool.js';
import { seedDemoKeys } from '../../db/seed.js';
import { LocalAttachmentStore } from '../../documents/attachments/local-store.js';
import { readAll, sha256Hex } from '../../documents/attachments/store.js';
import { createSunriseKeys, seedClaim, seedPosting, seedRemittance, sunrise } from '../api/support.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { markerPdf, pdfText, samplePng } from './fixtures.js';

const LIMIT = 300_000;
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01]), Buffer.alloc(400)]);

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** A multipart body as a browser would send it. */
async function form(file: { bytes: Uint8Array; name: string; type?: string } | undefined, title?: string) {
  const f = new FormData();
  if (title) f.append('title', title);
  if (file)
    f.append('file', new Blob([file.bytes], { type: file.type ?? 'application/octet-stream' }), file.name);
  const res = new Response(f);
  return { payload: Buffer.from(await res.arrayBuffer()), contentType: res.headers.get('content-type')! };
}

describe('document routes', () => {
  let t: TestDatabase;
  let app: App;
  let db: Db;
  let connection: Connection;
  const root = mkdtempSync(join(tmpdir(), 'doc-api-'));
  let claimUuid: string;

  beforeAll(async () => {
    t = await createTestDatabase();
    db = t.db;
    await seedDemoKeys(db);
    await createSunriseKeys(db);
    connection = Connection.lazy({ address: inject('temporalAddress') });
    app = await buildApp({
      db,
      temporal: new Client({ connection }),
      log: pino({ level: 'silent' }),
      config: {
        temporal: {
          address: 'unused',
          namespace: 'default',
          taskQueue: 'unused',
          uiUrl: 'http://ui.test',
          cliPath: undefined,
        },
        api: { host: '127.0.0.1', port: 0, rateLimitPerMinute: 10_000, bodyLimitBytes: 1024 * 1024 },
      },
      documents: { store: new LocalAttachmentStore(root), maxUploadBytes: LIMIT },
    });
    await app.ready();
    claimUuid = await seedClaim(db, {
      claimId: 'DOCAPI1',
      status: 'NEEDS_REVIEW',
      denialCategory: 'MEDICAL_NECESSITY',
    });
    const remittanceId = await seedRemittance(db);
    await seedPosting(db, {
      claimUuid,
      remittanceId,
      postedAt: '2026-02-01T10:00:00Z',
      chargeCents: 10_000,
      adjustments: [['CO', '50', 10_000]],
    });
  });
  afterAll(async () => {
    await app?.close();
    await connection?.close();
    await t?.drop();
    rmSync(root, { recursive: true, force: true });
  });

  async function upload(
    file: { bytes: Uint8Array; name: string } | undefined,
    title?: string,
    claim = claimUuid,
  ) {
    const { payload, contentType } = await form(file, title);
    return app.inject({
      method: 'POST',
      url: `/claims/${claim}/attachments`,
      headers: { ...sunrise('biller'), 'content-type': contentType },
      payload,
    });
  }

  async function timeline(kind: string): Promise<number> {
    const rows = await sql<{ n: string }>`
      select count(*) as n from claim_events where claim_id = ${claimUuid} and kind = ${kind}`.execute(db);
    return Number(rows.rows[0]!.n);
  }

  it('uploads a PDF, lists it, and downloads the same bytes with their hash; both on the timeline', async () => {
    const pdf = await markerPdf('UPLOAD', 2);
    const res = await upload({ bytes: pdf, name: 'records.pdf' }, 'Clinic notes');
    expect(res.statusCode).toBe(201);
    const a = res.json();
    expect(a).toMatchObject({
      title: 'Clinic notes',
      mediaType: 'application/pdf',
      pageCount: 2,
      sha256: sha256Hex(pdf),
    });
    const again = await upload({ bytes: pdf, name: 'copy.pdf' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: a.id, created: false });

    const list = await app.inject({
      method: 'GET',
      url: `/claims/${claimUuid}/attachments`,
      headers: sunrise('biller'),
    });
    expect(list.json().items.map((i: { id: string }) => i.id)).toEqual([a.id]);

    const download = await app.inject({
      method: 'GET',
      url: `/claims/${claimUuid}/attachments/${a.id}/content`,
      headers: sunrise('biller'),
    });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['x-content-sha256']).toBe(a.sha256);
    expect(sha256Hex(download.rawPayload)).toBe(a.sha256);
    expect(await timeline('ATTACHMENT_UPLOADED')).toBe(2);
    expect(await timeline('ATTACHMENT_DOWNLOADED')).toBe(1);
  });

  it('refuses a file over the limit, a wrong type, a renamed executable and an unmergeable PDF; nothing stored', async () => {
    const before = files(root).length;
    const rows = async () =>
      Number((await sql<{ n: string }>`select count(*) as n from attachments`.execute(db)).rows[0]!.n);
    const rowsBefore = await rows();

    const big = await upload({
      bytes: Buffer.concat([await markerPdf('BIG', 1), Buffer.alloc(LIMIT)]),
      name: 'big.pdf',
    });
    expect(big.statusCode).toBe(413);
    expect(big.headers['content-type']).toContain('application/problem+json');
    expect(big.json().detail).toContain(`limit of ${LIMIT} bytes`);
    expect(big.json().errors[0].field).toBe('file');

    const text = await upload({ bytes: Buffer.from('just some notes'), name: 'notes.pdf' });
    expect(text.statusCode).toBe(415);
    expect(text.json().detail).toContain('not a PDF, TIFF, PNG or JPEG');

    const exe = await upload({ bytes: ELF, name: 'records.pdf' });
    expect(exe.statusCode).toBe(415);
    expect(exe.json().detail).toContain('Linux executable');
    expect(exe.json().detail).toContain('named .pdf');

    const broken = await upload({ bytes: Buffer.from('%PDF-1.7\nnothing\n%%EOF'), name: 'scan.pdf' });
    expect(broken.statusCode).toBe(415);
    expect(broken.json().detail).toContain('not a readable PDF');

    const none = await upload(undefined, 'title only');
    expect(none.statusCode).toBe(422);

    expect(files(root).length).toBe(before);
    expect(await rows()).toBe(rowsBefore);
  });

  it("another practice's claim is not found", async () => {
    const other = await seedClaim(db, { practiceId: 'lakeside-ortho', claimId: 'DOCAPI-LAKE' });
    const res = await upload({ bytes: samplePng(), name: 'x.png' }, undefined, other);
    expect(res.statusCode).toBe(404);
  });

  it('lists and downloads generated documents with their hash, on the timeline', async () => {
    const pdf = await markerPdf('PACKET', 1);
    const stored = await new LocalAttachmentStore(root).put(pdf, { maxBytes: LIMIT });
    const { document } = await recordDocument(db, {
      practiceId: 'sunrise-fp',
      claimUuid,
      kind: 'APPEAL_PACKET',
      documentKey: `appeal-packet:${claimUuid}:1`,
      sha256: stored.sha256,
      mediaType: stored.mediaType,
      sizeBytes: stored.sizeBytes,
      pageCount: 1,
    });
    const list = await app.inject({
      method: 'GET',
      url: `/claims/${claimUuid}/documents`,
      headers: sunrise('biller'),
    });
    expect(list.json().items[0]).toMatchObject({
      id: document.id,
      kind: 'APPEAL_PACKET',
      sha256: stored.sha256,
    });
    const res = await app.inject({
      method: 'GET',
      url: `/claims/${claimUuid}/documents/${document.id}/content`,
      headers: sunrise('biller'),
    });
    expect(res.headers['x-content-sha256']).toBe(stored.sha256);
    expect(sha256Hex(res.rawPayload)).toBe(stored.sha256);
    expect(await timeline('DOCUMENT_DOWNLOADED')).toBe(1);
  });

  it('a template with an unknown field is refused naming it, and nothing is saved', async () => {
    const body = {
      name: 'Our appeal',
      payerTypes: ['COMMERCIAL'],
      categories: [],
      levels: [],
      subject: 'Appeal {{claim.claimId}}',
      body: 'Please pay {{claim.totalCharge}} for {{patient.favoriteColor}}.',
      closing: 'Thanks',
    };
    const url = '/practices/sunrise-fp/appeal-templates/commercial-general';
    const bad = await app.inject({ method: 'PUT', url, headers: sunrise('admin'), payload: body });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().detail).toContain('Unknown template field "patient.favoriteColor"');
    expect(bad.json().errors[0].field).toBe('patient.favoriteColor');
    const list = await app.inject({
      method: 'GET',
      url: '/practices/sunrise-fp/appeal-templates',
      headers: sunrise('biller'),
    });
    expect(list.json().items.every((t: { source: string }) => t.source === 'default')).toBe(true);

    const good = await app.inject({
      method: 'PUT',
      url,
      headers: sunrise('admin'),
      payload: { ...body, body: 'Please pay {{claim.totalCharge}}. {{appeal.grounds}}' },
    });
    expect(good.statusCode).toBe(200);
    expect(good.json()).toMatchObject({ key: 'commercial-general', version: 1, source: 'practice' });
    const biller = await app.inject({ method: 'PUT', url, headers: sunrise('biller'), payload: body });
    expect(biller.statusCode).toBe(403);
  });

  it('previews a template against the claim as a PDF', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `/claims/${claimUuid}/appeal-letter/preview`,
      headers: sunrise('biller'),
      payload: { templateKey: 'commercial-medical-necessity', grounds: 'Conservative care failed.' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const text = pdfText(res.rawPayload);
    expect(text).toContain('DOCAPI1');
    expect(text).toContain('CO-50: Not deemed medically necessary by the payer');
    expect(text).toContain('Conservative care failed.');
    expect(text).toContain('Sunrise Family Practice');

    const unsaved = await app.inject({
      method: 'POST',
      url: `/claims/${claimUuid}/appeal-letter/preview`,
      headers: sunrise('biller'),
      payload: {
        template: {
          key: 'draft',
          name: 'Draft',
          payerTypes: ['COMMERCIAL'],
          categories: [],
          levels: [],
          subject: 'Draft {{claim.nope}}',
          body: 'x',
          closing: 'y',
        },
      },
    });
    expect(unsaved.statusCode).toBe(422);
    expect(unsaved.json().errors[0].field).toBe('claim.nope');
  });

  it("a day's statements come out as one print-vendor PDF and a CSV manifest whose pages match it", async () => {
    const store = new LocalAttachmentStore(root);
    const acts = createDocumentActivities({ db, store, log: pino({ level: 'silent' }) } as never);
    const mailed = [];
    for (const [claimId, due] of [
      ['BATCH2', 4_500],
      ['BATCH1', 3_000],
    ] as const) {
      const id = await seedClaim(db, {
        claimId,
        status: 'PATIENT_BALANCE',
        totalChargeCents: 20_000,
        paidCents: 20_000 - due,
        openBalanceCents: due,
      });
      const { patient_id } = await db
        .selectFrom('claims')
        .select('patient_id')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      await putGuarantor(db, 'sunrise-fp', patient_id, {
        name: `Guarantor ${claimId}`,
        address: { lines: ['1 Navy Way', 'Apt 2'], city: 'Austin', state: 'TX', postalCode: '78701' },
      });
      const req = {
        claimUuid: id,
        practiceId: 'sunrise-fp',
        statementKey: 'dunning:0',
        kind: 'STATEMENT' as const,
        amountDueCents: due,
        dueDate: '2026-04-02',
        at: '2026-03-03T09:00:00Z',
      };
      await recordStatement(db, req);
      mailed.push(await acts.renderStatementDocument({ ...req, sequence: 1 }));
    }
    const get = (query: string, who = sunrise('biller')) =>
      app.inject({ method: 'GET', url: `/practices/sunrise-fp/print-batch?${query}`, headers: who });
    const pdf = await get('date=2026-03-03');
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const csv = await get('date=2026-03-03&format=csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['x-batch-sha256']).toBe(pdf.headers['x-batch-sha256']);
    const [header, ...rows] = csv.body.trimEnd().split('\r\n');
    expect(header).toBe(
      'sequence,statementId,kind,accountNumber,recipient,addressLine1,addressLine2,city,state,postalCode,amountDue,dueDate,firstPage,pageCount',
    );
    // Account order; each row's pages are where that statement sits in the merged file.
    expect(rows.map((r) => r.split(',').slice(0, 4).join(','))).toEqual([
      '1,BATCH1-dunning0,STATEMENT,BATCH1',
      '2,BATCH2-dunning0,STATEMENT,BATCH2',
    ]);
    expect(rows[0]).toContain('Guarantor BATCH1,1 Navy Way,Apt 2,Austin,TX,78701,30.00,2026-04-02,1,');
    const pages = Number(pdf.headers['x-page-count']);
    const each = mailed.map((m) => m!.pageCount);
    expect(pages).toBe(each[0]! + each[1]!);
    expect(rows[1]).toMatch(new RegExp(`,${each[1]! + 1},${each[0]}$`));
    const text = pdfText(pdf.rawPayload, { first: 1, last: each[1]! });
    expect(text).toContain('Account: BATCH1');
    expect(text).toContain('Amount due: $30.00');
    // The batch prints the stored statement itself.
    const stored = pdfText(await readAll(await store.open(mailed[1]!.sha256)));
    expect(stored).toContain('Account: BATCH1');
    expect((await get('date=2026-03-04')).statusCode).toBe(404);
    expect((await get('date=03/03/2026')).statusCode).toBe(400);
    const other = await app.inject({
      method: 'GET',
      url: '/practices/riverside-ortho/print-batch?date=2026-03-03',
      headers: sunrise('biller'),
    });
    expect(other.statusCode).toBe(404);
  });
});
