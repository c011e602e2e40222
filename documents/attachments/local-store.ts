/**
 * The attachment store on a local directory (the default, under `.data/attachments`). Objects live at
 * `<root>/<aa>/<bb>/<sha256>`; uploads are spooled inside the root so the final step is an atomic
 * rename on the same file system, and a crash never leaves a half-written object under its hash.
 */
import { createReadStream } from 'node:fs';
import { mkdir, rename, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
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

/** An `AttachmentStore` on a directory. */
export class LocalAttachmentStore implements AttachmentStore {
  readonly kind = 'local' as const;

  constructor(readonly root: string) {}

  private pathOf(sha256: string): string {
    assertSha256(sha256);
    return join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(source: ByteSource, options: PutOptions): Promise<StoredObject> {
    const spoolDir = join(this.root, '.incoming');
    await mkdir(spoolDir, { recursive: true });
    const upload = await spoolUpload(source, options, spoolDir);
    try {
      const target = this.pathOf(upload.sha256);
      await mkdir(dirname(target), { recursive: true });
      // Same hash, same bytes: renaming over an existing object is harmless and keeps it idempotent.
      await rename(upload.path, target);
      return { sha256: upload.sha256, sizeBytes: upload.sizeBytes, mediaType: upload.mediaType };
    } finally {
      await upload.discard();
    }
  }

  async open(sha256: string): Promise<Readable> {
    const path = this.pathOf(sha256);
    if (!(await this.stat(sha256))) {
      throw new DocumentError(FailureType.AttachmentNotFound, `No stored object ${sha256}.`, 'sha256');
    }
    return createReadStream(path);
  }

  async stat(sha256: string): Promise<{ sizeBytes: number } | undefined> {
    try {
      const s = await stat(this.pathOf(sha256));
      return { sizeBytes: s.size };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }
}
