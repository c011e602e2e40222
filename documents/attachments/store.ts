/**
 * The attachment store: content-addressed (SHA-256) storage for uploaded evidence and generated
 * documents. Two real implementations sit behind one interface: a local directory (the default) and
 * S3-compatible object storage. Content addressing makes every write idempotent (a retried activity
 * stores the same bytes under the same key) and lets a download prove it is what was stored.
 *
 * Uploads are spooled to a temporary file while being hashed and counted, so a large file never sits
 * whole in memory and an oversized one is cut off as soon as it crosses the limit.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { PacketAttachment } from '../../domain/document-data.js';
import { FailureType } from '../../domain/failures.js';
import { DocumentError } from '../errors.js';
import { type AttachmentMediaType, checkAttachmentContent, SNIFF_BYTES } from './content-type.js';

/** What the store knows about a stored object. */
export interface StoredObject {
  /** Lower-case hex SHA-256 of the bytes; also the object's key. */
  sha256: string;
  sizeBytes: number;
  mediaType: AttachmentMediaType;
}

/** Limits applied to one upload. */
export interface PutOptions {
  /** Largest accepted size in bytes; a larger upload is refused with `AttachmentTooLarge`. */
  maxBytes: number;
  /** The uploader's file name, used only to word a refusal ("named .pdf but is an executable"). */
  fileName?: string;
  /**
   * A deeper check run on the complete bytes before they are stored (e.g. "the PDF can be merged into
   * a packet"); throwing refuses the upload and nothing is stored.
   */
  verify?: (bytes: Buffer, mediaType: AttachmentMediaType) => Promise<void>;
}

/** Bytes, a Node stream or any async iterable of chunks. */
export type ByteSource = Uint8Array | Readable | AsyncIterable<Uint8Array>;

/** Content-addressed object storage for attachments and generated documents. */
export interface AttachmentStore {
  /** `local` or `s3`, for logs and health output. */
  readonly kind: 'local' | 's3';
  /**
   * Checks size and type by content, then stores the bytes under their SHA-256. Storing the same bytes
   * twice is a no-op returning the same object. Nothing is stored when a check fails.
   */
  put(source: ByteSource, options: PutOptions): Promise<StoredObject>;
  /** A stream of the object's bytes; throws `AttachmentNotFound` for an unknown hash. */
  open(sha256: string): Promise<Readable>;
  /** The object's size, or undefined when it is not stored. */
  stat(sha256: string): Promise<{ sizeBytes: number } | undefined>;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Refuses anything but a lower-case hex SHA-256, so a key can never name a path outside the store. */
export function assertSha256(sha256: string): void {
  if (!SHA256_HEX.test(sha256)) {
    throw new DocumentError(FailureType.AttachmentNotFound, 'Not a SHA-256 content hash.', 'sha256');
  }
}

/** A checked upload waiting in a temporary file to be moved into the store. */
export interface SpooledUpload extends StoredObject {
  /** The temporary file holding the bytes. */
  path: string;
  /** Deletes the temporary file (and its directory). Safe to call twice. */
  discard(): Promise<void>;
}

function toIterable(source: ByteSource): AsyncIterable<Uint8Array> {
  if (source instanceof Uint8Array) return Readable.from([source]);
  return source;
}

/**
 * Streams `source` into a temporary file under `dir` while hashing it, stops at `maxBytes`, then
 * checks the content type. On any failure the temporary file is gone before the error is thrown.
 */
export async function spoolUpload(
  source: ByteSource,
  options: PutOptions,
  dir?: string,
): Promise<SpooledUpload> {
  const tmp = await mkdtemp(join(dir ?? tmpdir(), 'upload-'));
  const path = join(tmp, 'data');
  const discard = () => rm(tmp, { recursive: true, force: true });
  try {
    const hash = createHash('sha256');
    const out = createWriteStream(path);
    const head = Buffer.alloc(SNIFF_BYTES);
    let headLength = 0;
    let size = 0;
    try {
      for await (const chunk of toIterable(source)) {
        const bytes = chunk instanceof Uint8Array ? chunk : Buffer.from(chunk as string);
        size += bytes.length;
        if (size > options.maxBytes) {
          throw new DocumentError(
            FailureType.AttachmentTooLarge,
            `The file is larger than the limit of ${options.maxBytes} bytes.`,
            'file',
          );
        }
        if (headLength < SNIFF_BYTES) {
          const take = Math.min(SNIFF_BYTES - headLength, bytes.length);
          head.set(bytes.subarray(0, take), headLength);
          headLength += take;
        }
        hash.update(bytes);
        if (!out.write(bytes)) await new Promise<void>((r) => out.once('drain', () => r()));
      }
    } finally {
      await new Promise<void>((resolve, reject) =>
        out.end((err?: Error | null) => (err ? reject(err) : resolve())),
      );
    }
    if (size === 0) {
      throw new DocumentError(FailureType.AttachmentTypeRefused, 'The file is empty.', 'file');
    }
    const tail = await readTail(path, size, 1024);
    const mediaType = checkAttachmentContent(head.subarray(0, headLength), tail, options.fileName);
    if (options.verify) await options.verify(await readFile(path), mediaType);
    return { path, sha256: hash.digest('hex'), sizeBytes: size, mediaType, discard };
  } catch (err) {
    await discard();
    throw err;
  }
}

async function readTail(path: string, size: number, length: number): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const n = Math.min(size, length);
    const buf = Buffer.alloc(n);
    await handle.read(buf, 0, n, size - n);
    return buf;
  } finally {
    await handle.close();
  }
}

/** Reads a whole stream into memory; for callers that need the bytes (merging, hashing in tests). */
export async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** The SHA-256 of bytes, as lower-case hex. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Reads stored attachments for a packet, checking each against its hash, so a packet never carries
 * bytes other than the ones uploaded. `items` are the attachment rows (title, type, hash).
 */
export async function readPacketAttachments(
  store: AttachmentStore,
  items: { id: string; title: string; mediaType: string; sha256: string }[],
): Promise<PacketAttachment[]> {
  const out: PacketAttachment[] = [];
  for (const a of items) {
    const bytes = await readAll(await store.open(a.sha256));
    if (sha256Hex(bytes) !== a.sha256) {
      throw new DocumentError(
        FailureType.AttachmentNotFound,
        `Attachment ${a.id} no longer matches its stored hash.`,
        'attachmentIds',
      );
    }
    out.push({ title: a.title, mediaType: a.mediaType as AttachmentMediaType, bytes, sha256: a.sha256 });
  }
  return out;
}
