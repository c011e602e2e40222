/**
 * A database that goes away while a transaction holds a connection between two statements must fail
 * that transaction, not kill the process with an unhandled 'error' event (the fault drill for a
 * Postgres outage found the API dying this way).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../db/pool.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

describe('a connection cut under a transaction', () => {
  let tdb: TestDatabase;
  let db: Db;
  const seen: Error[] = [];
  beforeAll(async () => {
    tdb = await createTestDatabase();
    db = createDb(tdb.url, { max: 2, onIdleError: (err) => seen.push(err) });
  });
  afterAll(async () => {
    await db.destroy();
    await tdb.drop();
  });

  it('fails the transaction and leaves the process and the pool working', async () => {
    const tx = db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
      // Between two statements the server goes away (here: the backend is terminated from outside).
      await sql`select pg_terminate_backend(${rows[0]!.pid})`.execute(tdb.db);
      await new Promise((r) => setTimeout(r, 300));
      await sql`select 1`.execute(trx);
    });
    await expect(tx).rejects.toThrow();
    expect(seen.length).toBeGreaterThan(0);
    // The broken client was discarded: the next query gets a fresh connection.
    const { rows } = await sql<{ one: number }>`select 1 as one`.execute(db);
    expect(rows[0]!.one).toBe(1);
  });
});
