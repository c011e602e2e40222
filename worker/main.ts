/**
 * The worker process: claims workflows and activities on one task queue, the ERA pull schedule, and a
 * graceful shutdown on SIGINT/SIGTERM (in-flight activities finish, then the process exits).
 */
import { NativeConnection } from '@temporalio/worker';
import { createHttpPayerGateway } from '../activities/payer/http-gateway.js';
import { loadConfig, requirePayloadKeys } from '../config/index.js';
import { migrateToLatest } from '../db/migrate.js';
import { createDb } from '../db/pool.js';
import { createLogger } from '../logging/logger.js';
import { createDataConverter } from '../temporal/codec.js';
import { connectClient, connectionOptions, createTemporalClient } from '../temporal/connection.js';
import { installRuntime } from './runtime.js';
import { ensureEraPollSchedule } from './schedules.js';
import { createClaimsWorker } from './worker.js';

const config = loadConfig();
const log = createLogger({ level: config.logLevel, name: 'worker' });
installRuntime(log);

if (!config.databaseUrl || !config.temporal.address) {
  log.fatal('DATABASE_URL and TEMPORAL_ADDRESS are required (npm start sets both for local development)');
  process.exit(1);
}

// Before any connection: without a payload key, claim payloads would reach Temporal in plain text.
const payloadKeys = requirePayloadKeys(config);
const db = createDb(config.databaseUrl);
await migrateToLatest(db);
const endpoint = { address: config.temporal.address, security: config.temporalSecurity };
const connection = await NativeConnection.connect(connectionOptions(endpoint));
const clientConnection = await connectClient(endpoint);
const client = createTemporalClient(clientConnection, config.temporal.namespace, payloadKeys);
const worker = await createClaimsWorker({
  connection,
  namespace: config.temporal.namespace,
  taskQueue: config.temporal.taskQueue,
  db,
  payer: createHttpPayerGateway({
    baseUrl: config.payer.baseUrl,
    apiKey: config.payer.apiKey,
    timeoutMs: config.payer.timeoutMs,
    log,
  }),
  client,
  log,
  dataConverter: createDataConverter(payloadKeys),
});
await ensureEraPollSchedule(client, {
  taskQueue: config.temporal.taskQueue,
  intervalSeconds: config.eraPollIntervalSeconds,
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log.info({ signal }, 'shutting down worker');
    worker.shutdown();
  });
}
log.info({ taskQueue: config.temporal.taskQueue, address: config.temporal.address }, 'worker running');
await worker.run();
await Promise.all([connection.close(), clientConnection.close(), db.destroy()]);
log.info('worker stopped');
