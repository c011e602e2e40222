/** The API process: loads config, connects to Postgres and Temporal, listens, and shuts down cleanly. */
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../config/index.js';
import { migrateToLatest } from '../db/migrate.js';
import { createDb } from '../db/pool.js';
import { createAttachmentStore } from '../documents/attachments/factory.js';
import { createLogger } from '../logging/logger.js';
import { buildApp } from './app.js';

const USAGE = `Usage: node dist/api/main.js [--help]

The denial-desk HTTP API. Migrates the database, then listens on API_HOST:API_PORT.
Environment: DATABASE_URL (required), TEMPORAL_ADDRESS (required), TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE,
API_HOST (127.0.0.1), API_PORT (3000), API_RATE_LIMIT_PER_MINUTE, API_BODY_LIMIT_BYTES, LOG_LEVEL,\nATTACHMENT_STORE (local|s3), ATTACHMENTS_DIR, ATTACHMENT_MAX_BYTES, S3_BUCKET, S3_ENDPOINT, S3_REGION.
`;
// --help answers before anything connects, so the production image can be smoke-tested on its own.
if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(USAGE);
  process.exit(0);
}

const config = loadConfig();
const log = createLogger({ level: config.logLevel, name: 'api' });
if (!config.databaseUrl || !config.temporal.address) {
  log.fatal('DATABASE_URL and TEMPORAL_ADDRESS are required (npm start sets both for local development)');
  process.exit(1);
}
const db = createDb(config.databaseUrl);
await migrateToLatest(db);
const connection = await Connection.connect({ address: config.temporal.address });
const temporal = new Client({ connection, namespace: config.temporal.namespace });
const app = await buildApp({
  db,
  temporal,
  log,
  config,
  documents: {
    store: await createAttachmentStore(config.attachments.store),
    maxUploadBytes: config.attachments.maxUploadBytes,
  },
});
await app.listen({ host: config.api.host, port: config.api.port });

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    // Ctrl-C in a terminal and the launcher's SIGTERM can both arrive: close once.
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down api');
    await app.close();
    await connection.close();
    await db.destroy();
    process.exit(0);
  });
}
