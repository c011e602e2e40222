/** The API process: loads config, connects to Postgres and Temporal, listens, and shuts down cleanly. */
import { loadConfig, requirePayloadKeys } from '../config/index.js';
import { migrateToLatest } from '../db/migrate.js';
import { createDb } from '../db/pool.js';
import { createScopedDb, RequestScope } from '../db/tenancy.js';
import { createAttachmentStore } from '../documents/attachments/factory.js';
import { createLogger } from '../logging/logger.js';
import { connectClient, createTemporalClient } from '../temporal/connection.js';
import { buildApp } from './app.js';

const USAGE = `Usage: node dist/api/main.js [--help]

The denial-desk HTTP API. Migrates the database, then listens on API_HOST:API_PORT.
Environment: DATABASE_URL (required), TEMPORAL_ADDRESS (required), TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE,
API_HOST (127.0.0.1), API_PORT (3000), API_RATE_LIMIT_PER_MINUTE, API_BODY_LIMIT_BYTES, LOG_LEVEL,
TEMPORAL_PAYLOAD_KEYS(_FILE) and TEMPORAL_PAYLOAD_ACTIVE_KEY (required), API_DATABASE_URL (RLS role), TEMPORAL_TLS_*,
ATTACHMENT_STORE (local|s3), ATTACHMENTS_DIR, ATTACHMENT_MAX_BYTES, S3_BUCKET, S3_ENDPOINT, S3_REGION.
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
// Before any connection: without a payload key, claim payloads would reach Temporal in plain text.
const payloadKeys = requirePayloadKeys(config);
// Migrations run as the owner (DATABASE_URL); requests run on API_DATABASE_URL's role when it is set,
// where row-level security holds each query to the caller's practices.
const ownerDb = createDb(config.databaseUrl);
await migrateToLatest(ownerDb);
const requestScope = config.apiDatabaseUrl ? new RequestScope() : undefined;
const db = config.apiDatabaseUrl
  ? createScopedDb(config.apiDatabaseUrl, () => requestScope?.current())
  : ownerDb;
if (db !== ownerDb) await ownerDb.destroy();
const connection = await connectClient({
  address: config.temporal.address,
  security: config.temporalSecurity,
});
const temporal = createTemporalClient(connection, config.temporal.namespace, payloadKeys);
const app = await buildApp({
  db,
  temporal,
  log,
  config,
  payloadKeys,
  requestScope,
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
