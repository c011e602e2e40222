/**
 * Builds the claims worker: the workflows bundle plus `createActivities(deps)`. Shared by the worker
 * process and the integration tests, so the tests run exactly what production runs.
 */

import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Logger } from 'pino';
import { createActivities } from '../activities/index.js';
import type { PayerGateway } from '../activities/payer/gateway.js';
import type { Db } from '../db/pool.js';
import type { AttachmentStore } from '../documents/attachments/store.js';

/**
 * The workflows entry the worker bundles at start. It sits beside this file in the same tree: the
 * TypeScript source under tsx and vitest, the compiled `dist/workflows/index.js` in production.
 */
export const WORKFLOWS_PATH = fileURLToPath(
  new URL(`../workflows/index${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
);

export async function createClaimsWorker(opts: {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  db: Db;
  payer: PayerGateway;
  client: Client;
  log: Logger;
  workflowBundle?: WorkerOptions['workflowBundle'];
  fetch?: typeof fetch;
  /** The payload codec (temporal/codec.ts); the same keyring as the client's. */
  dataConverter: DataConverter;
  /** Attachment store for appeal packets and statements. */
  store?: AttachmentStore;
}): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    dataConverter: opts.dataConverter,
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities({
      db: opts.db,
      payer: opts.payer,
      temporal: opts.client,
      taskQueue: opts.taskQueue,
      log: opts.log,
      fetch: opts.fetch,
      store: opts.store,
    }),
  });
}
