/** The API process: loads config, connects to Postgres and Temporal, listens, and shuts down cleanly. */
import { loadConfig, requirePayloadKeys } from '../config/index.js';
import { migrateToLatest } from '../db/migrate.js';
import { createDb } from '../db/pool.js';
import { createLogger } from '../logging/logger.js';
import { connectClient, createTemporalClient } from '../temporal/connection.js';
import { buildApp } from './app.js';

const config = loadConfig();
const log = createLogger({ level: config.logLevel, name: 'api' });
if (!config.databaseUrl || !config.temporal.address) {
  log.fatal('DATABASE_URL and TEMPORAL_ADDRESS are required (npm start sets both for local development)');
  process.exit(1);
}
// Before any connection: without a payload key, claim payloads would reach Temporal in plain text.
const payloadKeys = requirePayloadKeys(config);
const db = createDb(config.databaseUrl);
await migrateToLatest(db);
const connection = await connectClient({
  address: config.temporal.address,
  security: config.temporalSecurity,
});
const temporal = createTemporalClient(connection, config.temporal.namespace, payloadKeys);
const app = await buildApp({ db, temporal, log, config });
await app.listen({ host: config.api.host, port: config.api.port });

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    log.info({ signal }, 'shutting down api');
    await app.close();
    await connection.close();
    await db.destroy();
    process.exit(0);
  });
}
