/**
 * A dependency that is down is not a bug: while Postgres refuses connections or is read-only, or
 * Temporal does not answer, the API says 503 with Retry-After (readiness included, and promptly), never
 * 500. Real servers throughout: a Postgres port nobody listens on, a read-only database, a Temporal
 * address nobody answers.
 */
import { Client, Connection } from '@temporalio/client';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../api/app.js';
import { isDependencyUnavailable } from '../../api/plugins/unavailable.js';
import { READINESS_CHECK_MS } from '../../api/routes/health.js';
import { createDb, type Db } from '../../db/pool.js';
import { DEMO_KEYS, seedDemoKeys } from '../../db/seed.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { freePort } from '../support/ports.js';
import { claimBody } from '../support/stack.js';

async function appOver(db: Db, temporalAddress: string): Promise<{ app: App; connection: Connection }> {
  const connection = Connection.lazy({ address: temporalAddress, connectTimeout: 500 });
  const app = await buildApp({
    db,
    temporal: new Client({ connection }),
    log: pino({ level: 'silent' }),
    config: {
      temporal: {
        address: temporalAddress,
        namespace: 'default',
        taskQueue: 'unused',
        uiUrl: 'http://ui.test',
        cliPath: undefined,
      },
      api: { host: '127.0.0.1', port: 0, rateLimitPerMinute: 10_000, bodyLimitBytes: 1024 * 1024 },
    },
  });
  await app.ready();
  return { app, connection };
}

const biller = { authorization: `Bearer ${DEMO_KEYS.biller}` };

describe('dependency errors are told apart from bugs', () => {
  it('connection, shutdown, read-only and gRPC-unavailable errors are "unavailable"; a TypeError is not', () => {
    expect(
      isDependencyUnavailable(
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      ),
    ).toBe(true);
    expect(isDependencyUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(
      isDependencyUnavailable(
        Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      ),
    ).toBe(true);
    expect(
      isDependencyUnavailable(
        Object.assign(new Error('cannot execute INSERT in a read-only transaction'), { code: '25006' }),
      ),
    ).toBe(true);
    expect(isDependencyUnavailable(Object.assign(new Error('connection failure'), { code: '08006' }))).toBe(
      true,
    );
    expect(
      isDependencyUnavailable(
        new Error('wrapped', { cause: Object.assign(new Error('14 UNAVAILABLE'), { code: 14 }) }),
      ),
    ).toBe(true);
    expect(
      isDependencyUnavailable(new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })])),
    ).toBe(true);
    expect(isDependencyUnavailable(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(
      false,
    );
    expect(isDependencyUnavailable(Object.assign(new Error('duplicate key value'), { code: '23505' }))).toBe(
      false,
    );
  });
});

describe('Postgres and Temporal unreachable', () => {
  let app: App;
  let db: Db;
  let connection: Connection;
  beforeAll(async () => {
    // Ports nobody listens on: every connection is refused, as when the servers are stopped.
    db = createDb(`postgres://postgres:postgres@127.0.0.1:${await freePort()}/none`, { max: 2 });
    ({ app, connection } = await appOver(db, `127.0.0.1:${await freePort()}`));
  });
  afterAll(async () => {
    await app.close();
    // The client's gRPC retry interceptor schedules its next attempt on a timer and does not cancel it
    // when the connection closes: an attempt fired after close throws from the timer (an uncaught
    // "Channel has been shut down"). Past the readiness check's deadline every attempt ends at once
    // with DEADLINE_EXCEEDED, which is not retried, so wait that long before closing.
    await new Promise((r) => setTimeout(r, READINESS_CHECK_MS + 500));
    await connection.close().catch(() => {});
    await db.destroy();
  });

  it('readiness answers 503 with Retry-After within a few seconds', async () => {
    const started = Date.now();
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json()).toMatchObject({
      status: 'not ready',
      checks: { postgres: 'unavailable', temporal: 'unavailable' },
    });
  });

  it('a request that needs Postgres answers 503 problem+json with Retry-After, not 500', async () => {
    const res = await app.inject({ method: 'GET', url: '/claims?limit=5', headers: biller });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 503, title: 'Service Unavailable' });
    expect(res.body).not.toMatch(/\n\s+at |\.ts:\d+/);
  });
});

describe('Postgres read-only', () => {
  let tdb: TestDatabase;
  let readOnly: Db;
  let app: App;
  let connection: Connection;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    await seedDemoKeys(tdb.db);
    const name = new URL(tdb.url).pathname.slice(1);
    await sql.raw(`alter database ${name} set default_transaction_read_only = on`).execute(tdb.db);
    // New sessions of that database are read-only, as on a failover replica or behind a disk-full guard.
    readOnly = createDb(tdb.url, { max: 2 });
    ({ app, connection } = await appOver(readOnly, `127.0.0.1:${await freePort()}`));
  });
  afterAll(async () => {
    await app.close();
    await connection.close().catch(() => {});
    await readOnly.destroy();
    await tdb.drop();
  });

  it('a claim submitted while the database is read-only is refused with 503 and nothing is stored', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/claims',
      headers: { authorization: `Bearer ${DEMO_KEYS.integration}` },
      payload: claimBody(),
    });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    const stored = await tdb.db.selectFrom('claims').select('id').execute();
    expect(stored).toEqual([]);
  });
});
