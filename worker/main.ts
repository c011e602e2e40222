/**
 * The worker process: claims workflows and activities on one task queue, the ERA pull schedule, and a
 * graceful shutdown on SIGINT/SIGTERM (in-flight activities finish, then the process exits).
 */
import { NativeConnection } from '@temporalio/worker';
import { createHttpPayerGateway } from '../activities/payer/http-gateway.js';
import { loadConfig, requirePayloadKeys } from '../config/index.js';
import { migrateToLatest } from '../db/migrate.js';
import { createDb } from '../db/pool.js';
import { createAttachmentStore } from '../documents/attachments/factory.js';
import { createLogger } from '../logging/logger.js';
import { createDataConverter } from '../temporal/codec.js';
import { connectClient, connectionOptions, createTemporalClient } from '../temporal/connection.js';
import { installRuntime } from './runtime.js';
import {
  ensureEraPollSchedule,
  ensureRuleMinerSchedule,
  ensureWebhookRedeliverySchedule,
} from './schedules.js';
import { createClaimsWorker } from './worker.js';

const USAGE = `Usage: node dist/worker/main.js [--help]

The denial-desk Temporal worker: claim workflows and activities on one task queue, and the ERA pull schedule.
Environment: DATABASE_URL (required), TEMPORAL_ADDRESS (required), TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE,
PAYER_API_URL, PAYER_API_KEY, PAYER_TIMEOUT_MS, ERA_POLL_INTERVAL_SECONDS (3600), LOG_LEVEL,
TEMPORAL_PAYLOAD_KEYS(_FILE) and TEMPORAL_PAYLOAD_ACTIVE_KEY (required), TEMPORAL_TLS_*, TEMPORAL_API_KEY(_FILE).
`;
// --help answers before anything connects, so the production image can be smoke-tested on its own.
if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(USAGE);
  process.exit(0);
}

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
  store: await createAttachmentStore(config.attachments.store),
});
await ensureEraPollSchedule(client, {
  taskQueue: config.temporal.taskQueue,
  intervalSeconds: config.eraPollIntervalSeconds,
});
await ensureWebhookRedeliverySchedule(client, { taskQueue: config.temporal.taskQueue });
await ensureRuleMinerSchedule(client, {
  taskQueue: config.temporal.taskQueue,
  thresholds: {
    minLines: config.ruleMiner.minLines,
    minDenialRate: config.ruleMiner.minDenialRatePercent / 100,
  },
});

// The SDK's Runtime already listens for SIGINT/SIGTERM (its `shutdownSignals`) and shuts every worker
// down; calling `worker.shutdown()` again on a draining worker throws. Here the signal is only logged.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => log.info({ signal, state: worker.getState() }, 'shutting down worker'));
}
log.info({ taskQueue: config.temporal.taskQueue, address: config.temporal.address }, 'worker running');
await worker.run();
await Promise.all([connection.close(), clientConnection.close(), db.destroy()]);
log.info('worker stopped');
