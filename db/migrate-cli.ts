/** `npm run db:migrate`: brings DATABASE_URL to the latest schema. */
import { loadConfig } from '../config/index.js';
import { migrateToLatest } from './migrate.js';
import { createDb } from './pool.js';

const config = loadConfig();
if (!config.databaseUrl) {
  console.error('DATABASE_URL is required (npm start migrates its embedded database by itself)');
  process.exit(1);
}
const db = createDb(config.databaseUrl);
try {
  const applied = await migrateToLatest(db);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
} finally {
  await db.destroy();
}
