/**
 * The attachment store contract, run against both real implementations: a local directory and a real
 * MinIO server (S3 API through the AWS SDK). Content-addressed, idempotent, type checked by content,
 * size-limited, and nothing stored when a check fails.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalAttachmentStore } from '../../documents/attachments/local-store.js';
import { S3AttachmentStore } from '../../documents/attachments/s3-store.js';
import { type AttachmentStore, readAll, sha256Hex } from '../../documents/attachments/store.js';
import { DocumentError } from '../../documents/errors.js';
import { countAttachmentPages } from '../../documents/pdf/pages.js';
import { FailureType } from '../../domain/failures.js';
import { findMinio, type RunningMinio, startMinio } from '../../scripts/infra/minio.js';
import { markerPdf, samplePng, sampleTiff } from './fixtures.js';

const LIMIT = 200_000;
const JPEG = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9,
]);
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01]), Buffer.alloc(200)]);
const WINDOWS_EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(300, 0x90)]);

async function refusal(run: Promise<unknown>): Promise<DocumentError> {
  try {
    await run;
  } catch (err) {
    if (err instanceof DocumentError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

interface StoreUnderTest {
  store: AttachmentStore;
  /** Every object key or file the store holds, to prove a refusal stored nothing. */
  contents(): Promise<string[]>;
}

function storeContract(name: string, make: () => StoreUnderTest) {
  describe(`${name} attachment store`, () => {
    it('stores a PDF under its SHA-256 and gives the same bytes back', async () => {
      const { store } = make();
      const pdf = await markerPdf('STORE', 1);
      const stored = await store.put(pdf, { maxBytes: LIMIT, fileName: 'records.pdf' });
      expect(stored).toEqual({ sha256: sha256Hex(pdf), sizeBytes: pdf.length, mediaType: 'application/pdf' });
      expect(await store.stat(stored.sha256)).toEqual({ sizeBytes: pdf.length });
      const back = await readAll(await store.open(stored.sha256));
      expect(sha256Hex(back)).toBe(stored.sha256);
    });

    it('storing the same bytes twice is one object', async () => {
      const { store, contents } = make();
      const png = samplePng(33, 21);
      const before = (await contents()).length;
      const a = await store.put(png, { maxBytes: LIMIT });
      const b = await store.put(Readable.from([png.subarray(0, 10), png.subarray(10)]), { maxBytes: LIMIT });
      expect(b).toEqual(a);
      expect(a.mediaType).toBe('image/png');
      expect((await contents()).length).toBe(before + 1);
    });

    it('accepts TIFF and JPEG by their content', async () => {
      const { store } = make();
      expect((await store.put(sampleTiff(2), { maxBytes: LIMIT, fileName: 'fax.tif' })).mediaType).toBe(
        'image/tiff',
      );
      expect((await store.put(JPEG, { maxBytes: LIMIT, fileName: 'photo.bin' })).mediaType).toBe(
        'image/jpeg',
      );
    });

    it('an executable renamed to .pdf is refused, saying what it is, and nothing is stored', async () => {
      const { store, contents } = make();
      const before = await contents();
      const elf = await refusal(store.put(ELF, { maxBytes: LIMIT, fileName: 'records.pdf' }));
      expect(elf.type).toBe(FailureType.AttachmentTypeRefused);
      expect(elf.message).toContain('Linux executable');
      expect(elf.message).toContain('named .pdf');
      const exe = await refusal(store.put(WINDOWS_EXE, { maxBytes: LIMIT, fileName: 'scan.pdf' }));
      expect(exe.message).toContain('Windows executable');
      expect(await contents()).toEqual(before);
    });

    it('a file of another type, an empty file and a truncated PDF are refused', async () => {
      const { store, contents } = make();
      const before = await contents();
      const text = await refusal(
        store.put(Buffer.from('hello, payer'), { maxBytes: LIMIT, fileName: 'a.pdf' }),
      );
      expect(text.message).toContain('not a PDF, TIFF, PNG or JPEG');
      expect((await refusal(store.put(Buffer.alloc(0), { maxBytes: LIMIT }))).message).toContain('empty');
      const pdf = await markerPdf('CUT', 1);
      const cut = await refusal(store.put(pdf.subarray(0, pdf.length - 200), { maxBytes: LIMIT }));
      expect(cut.message).toContain('%%EOF');
      expect(await contents()).toEqual(before);
    });

    it('a file over the size limit is refused with the limit named, and nothing is stored', async () => {
      const { store, contents } = make();
      const before = await contents();
      const big = Buffer.concat([await markerPdf('BIG', 1), Buffer.alloc(LIMIT)]);
      const err = await refusal(
        store.put(Readable.from([big.subarray(0, 1000), big.subarray(1000)]), { maxBytes: LIMIT }),
      );
      expect(err.type).toBe(FailureType.AttachmentTooLarge);
      expect(err.message).toContain(String(LIMIT));
      expect(await contents()).toEqual(before);
    });

    it('a file the deeper check refuses (a PDF that cannot be merged) is not stored', async () => {
      const { store, contents } = make();
      const before = await contents();
      const broken = Buffer.from('%PDF-1.7\nno objects here\n%%EOF');
      const err = await refusal(
        store.put(broken, {
          maxBytes: LIMIT,
          fileName: 'chart.pdf',
          verify: async (bytes, mediaType) => {
            await countAttachmentPages({ title: 'chart.pdf', mediaType, bytes });
          },
        }),
      );
      expect(err.type).toBe(FailureType.AttachmentTypeRefused);
      expect(err.message).toContain('not a readable PDF');
      expect(await contents()).toEqual(before);
    });

    it('an unknown or malformed hash is not found, never a path outside the store', async () => {
      const { store } = make();
      expect(await store.stat('0'.repeat(64))).toBeUndefined();
      expect((await refusal(store.open('0'.repeat(64)))).type).toBe(FailureType.AttachmentNotFound);
      expect((await refusal(store.open('../../etc/passwd'))).type).toBe(FailureType.AttachmentNotFound);
    });
  });
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

const localRoot = mkdtempSync(join(tmpdir(), 'attachments-'));
afterAll(() => rmSync(localRoot, { recursive: true, force: true }));
storeContract('local directory', () => {
  const store = new LocalAttachmentStore(localRoot);
  return { store, contents: async () => filesUnder(localRoot) };
});

let minio: RunningMinio;
let s3: S3Client;
const bucket = 'denial-desk-test';
beforeAll(async () => {
  const bin = findMinio();
  if (!bin) throw new Error('MinIO is not installed: run `npm run tools:install` (builds it with Go)');
  minio = await startMinio({ binPath: bin });
  s3 = new S3Client({
    endpoint: minio.endpoint,
    region: minio.region,
    forcePathStyle: true,
    credentials: { accessKeyId: minio.accessKeyId, secretAccessKey: minio.secretAccessKey },
  });
  await new S3AttachmentStore({ bucket, client: s3 }).ensureBucket();
}, 120_000);
afterAll(async () => {
  s3?.destroy();
  await minio?.stop();
});
storeContract('S3 (MinIO)', () => {
  const store = new S3AttachmentStore({ bucket, prefix: 'attachments/', client: s3 });
  return {
    store,
    contents: async () => {
      const res = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
      return (res.Contents ?? []).map((o) => o.Key ?? '').sort();
    },
  };
});

describe('S3 attachment store configuration', () => {
  it('creates its bucket when missing and reaches MinIO with endpoint options alone', async () => {
    const store = new S3AttachmentStore({
      bucket: 'fresh-bucket',
      endpoint: minio.endpoint,
      region: minio.region,
      credentials: { accessKeyId: minio.accessKeyId, secretAccessKey: minio.secretAccessKey },
    });
    await store.ensureBucket();
    await store.ensureBucket();
    const stored = await store.put(samplePng(5, 5), { maxBytes: LIMIT });
    expect(await store.stat(stored.sha256)).toEqual({ sizeBytes: stored.sizeBytes });
  });
});
