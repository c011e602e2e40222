/**
 * Picks the attachment store from configuration: the local directory by default, S3-compatible object
 * storage when a bucket is configured. The config loader reads the environment; this only builds.
 */
import { LocalAttachmentStore } from './local-store.js';
import { S3AttachmentStore } from './s3-store.js';
import type { AttachmentStore } from './store.js';

/** Where attachments are kept. */
export type AttachmentStoreConfig =
  | { kind: 'local'; directory: string }
  | {
      kind: 's3';
      bucket: string;
      prefix?: string;
      region?: string;
      endpoint?: string;
      credentials?: { accessKeyId: string; secretAccessKey: string };
    };

/** Builds the configured store; an S3 bucket is created when missing (dev stacks start empty). */
export async function createAttachmentStore(config: AttachmentStoreConfig): Promise<AttachmentStore> {
  if (config.kind === 'local') return new LocalAttachmentStore(config.directory);
  const store = new S3AttachmentStore(config);
  await store.ensureBucket();
  return store;
}
