/**
 * The attachment store on S3-compatible object storage (AWS S3, MinIO), through the AWS SDK v3 client.
 * Keys are `<prefix><sha256>`; an object already present under its hash is not uploaded again, so a
 * retried activity costs one HEAD request. Uploads are spooled to a temporary file first (hash and
 * content check before anything reaches the bucket) and then sent as a file stream with its length.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { FailureType } from '../../domain/failures.js';
import { DocumentError } from '../errors.js';
import {
  type AttachmentStore,
  assertSha256,
  type ByteSource,
  type PutOptions,
  type StoredObject,
  spoolUpload,
} from './store.js';

/** Where and how to reach the bucket. */
export interface S3StoreOptions {
  bucket: string;
  /** Key prefix, e.g. `attachments/`. */
  prefix?: string;
  region?: string;
  /** Custom endpoint for S3-compatible services (MinIO); path-style addressing is used with it. */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** An existing client (tests, shared connection pools); the options above are then ignored. */
  client?: S3Client;
}

function notFound(err: unknown): boolean {
  if (err instanceof S3ServiceException) {
    return err.$metadata.httpStatusCode === 404 || err.name === 'NotFound' || err.name === 'NoSuchKey';
  }
  return false;
}

/** An `AttachmentStore` on an S3 bucket. */
export class S3AttachmentStore implements AttachmentStore {
  readonly kind = 's3' as const;
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(options: S3StoreOptions) {
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? '';
    this.client =
      options.client ??
      new S3Client({
        region: options.region ?? 'us-east-1',
        endpoint: options.endpoint,
        forcePathStyle: options.endpoint !== undefined,
        credentials: options.credentials,
      });
  }

  private keyOf(sha256: string): string {
    assertSha256(sha256);
    return `${this.prefix}${sha256}`;
  }

  /** Creates the bucket when it does not exist (dev stacks and tests start with an empty MinIO). */
  async ensureBucket(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (err) {
      if (!notFound(err)) throw err;
      await this.client.send(new CreateBucketCommand({ Bucket: this.bucket }));
    }
  }

  async put(source: ByteSource, options: PutOptions): Promise<StoredObject> {
    const upload = await spoolUpload(source, options);
    try {
      const stored = { sha256: upload.sha256, sizeBytes: upload.sizeBytes, mediaType: upload.mediaType };
      if (await this.stat(upload.sha256)) return stored;
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.keyOf(upload.sha256),
          Body: createReadStream(upload.path),
          ContentLength: upload.sizeBytes,
          ContentType: upload.mediaType,
          // The store checks the hash on the way in; S3 checks it again on its side.
          ChecksumSHA256: Buffer.from(upload.sha256, 'hex').toString('base64'),
        }),
      );
      return stored;
    } finally {
      await upload.discard();
    }
  }

  async open(sha256: string): Promise<Readable> {
    try {
      const res = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.keyOf(sha256) }),
      );
      if (!(res.Body instanceof Readable)) throw new Error('S3 GetObject returned no Node stream');
      return res.Body;
    } catch (err) {
      if (notFound(err)) {
        throw new DocumentError(FailureType.AttachmentNotFound, `No stored object ${sha256}.`, 'sha256');
      }
      throw err;
    }
  }

  async stat(sha256: string): Promise<{ sizeBytes: number } | undefined> {
    try {
      const res = await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: this.keyOf(sha256) }),
      );
      return { sizeBytes: Number(res.ContentLength ?? 0) };
    } catch (err) {
      if (notFound(err)) return undefined;
      throw err;
    }
  }
}
