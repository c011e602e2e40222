/** What the activities are built from: the world they touch, injected by the worker (and by tests). */
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Db } from '../db/pool.js';
import type { AttachmentStore } from '../documents/attachments/store.js';
import type { PayerGateway } from './payer/gateway.js';

export interface ActivityDeps {
  db: Db;
  payer: PayerGateway;
  /** Used to start and signal claim workflows (ERA postings, the intake sweep, rule rollouts). */
  temporal: Client;
  taskQueue: string;
  log: Logger;
  /** Outbound webhook POST; injectable so tests can point it at a real local receiver. */
  fetch?: typeof fetch;
  webhookTimeoutMs?: number;
  /** Where attachments and generated documents are stored; without it no document is rendered. */
  store?: AttachmentStore;
}
