/**
 * A fresh database per test file, cloned from the migrated and seeded template (fast: a file copy).
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { inject } from 'vitest';
import { createDb, type Db } from '../../db/pool.js';

export interface TestDatabase {
  db: Db;
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('pgAdminUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = createDb(adminUrl, { max: 1 });
  await sql.raw(`create database ${name} template ${inject('pgTemplate')}`).execute(admin);
  await admin.destroy();
  const url = adminUrl.replace(/\/[^/]*$/, `/${name}`);
  const db = createDb(url, { max: 5 });
  return {
    db,
    url,
    async drop() {
      await db.destroy();
      const a = createDb(adminUrl, { max: 1 });
      await sql.raw(`drop database if exists ${name} with (force)`).execute(a);
      await a.destroy();
    },
  };
}
