/**
 * The API on its own row-level-security role: each request's queries run in the caller's practice
 * scope, and a query on the API's connection outside any request (no practice setting) returns no rows.
 */
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import type { App } from '../../api/types.js';
import { insertClaim } from '../../db/claims.js';
import { createDb, type Db } from '../../db/pool.js';
import { seedDemoKeys } from '../../db/seed.js';
import { createScopedDb, grantApiRole, RequestScope } from '../../db/tenancy.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { createSunriseKeys, sunrise } from './support.js';

const role = `dd_api_${randomBytes(4).toString('hex')}`;
let tdb: TestDatabase;
let apiDb: Db;
let app: App;

async function claim(practiceId: string, n: number) {
  return (
    await insertClaim(tdb.db, {
      practiceId,
      claimId: `RLSAPI${n}`,
      patient: {
        externalId: `RA${n}`,
        firstName: 'A',
        lastName: 'B',
        birthDate: '1970-01-01',
        memberId: 'M',
      },
      payerId: 'ACME-HEALTH',
      billingProviderNpi: '1234567893',
      dateOfService: '2026-11-01',
      diagnosisCodes: ['E11.9'],
      lines: [
        {
          procedureCode: '99213',
          modifiers: [],
          units: 1,
          chargeCents: 100,
          serviceDate: '2026-11-01',
          diagnosisPointers: [1],
        },
      ],
      workflowId: `claim-${practiceId}-RLSAPI${n}`,
    })
  ).claim;
}

let lakeside: string;
beforeAll(async () => {
  tdb = await createTestDatabase();
  await seedDemoKeys(tdb.db);
  await createSunriseKeys(tdb.db);
  await sql.raw(`create role ${role} login password 'api-test' nosuperuser nobypassrls`).execute(tdb.db);
  await grantApiRole(tdb.db, role);
  await claim('sunrise-fp', 1);
  lakeside = (await claim('lakeside-ortho', 2)).id;
  const requestScope = new RequestScope();
  apiDb = createScopedDb(tdb.url.replace(/\/\/[^@]*@/, `//${role}:api-test@`), () => requestScope.current());
  app = await buildApp({
    db: apiDb,
    requestScope,
    temporal: new Client({ connection: Connection.lazy({ address: inject('temporalAddress') }) }),
    log: pino({ level: 'silent' }),
    config: {
      temporal: {
        address: inject('temporalAddress'),
        namespace: 'default',
        taskQueue: 'unused',
        uiUrl: 'http://ui.test',
        cliPath: undefined,
      },
      api: { host: '127.0.0.1', port: 0, rateLimitPerMinute: 10_000, bodyLimitBytes: 1024 * 1024 },
    },
  });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await apiDb?.destroy();
  await tdb?.drop();
  const admin = createDb(inject('pgAdminUrl'), { max: 1 });
  await sql.raw(`drop role if exists ${role}`).execute(admin);
  await admin.destroy();
});

describe('the API connection under row-level security', () => {
  it('a query on the API’s connection without the practice setting returns no rows', async () => {
    expect(await tdb.db.selectFrom('claims').select('id').execute()).toHaveLength(2);
    expect(await apiDb.selectFrom('claims').select('id').execute()).toEqual([]);
  });

  it('a request sees the caller’s practices only, even where a query would not filter', async () => {
    const list = await app.inject({ method: 'GET', url: '/claims', headers: sunrise('biller') });
    expect(list.statusCode).toBe(200);
    const items = (list.json() as { items: { practiceId: string }[] }).items;
    expect(items.map((i) => i.practiceId)).toEqual(['sunrise-fp']);
    const other = await app.inject({ method: 'GET', url: `/claims/${lakeside}`, headers: sunrise('biller') });
    expect(other.statusCode).toBe(404);
    // The scope ended with the request.
    expect(await apiDb.selectFrom('claims').select('id').execute()).toEqual([]);
  });
});
