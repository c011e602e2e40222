/**
 * Row-level security as the API's role sees it: a non-superuser login role that does not own the
 * tables. Without the practice setting it sees nothing; with it, only its practices' rows (plus the
 * payer defaults, read-only); practice-less remittances are the operator's alone.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertClaim } from '../../db/claims.js';
import { createDb, type Db } from '../../db/pool.js';
import {
  createScopedDb,
  grantApiRole,
  type PracticeScope,
  withOperatorScope,
  withPracticeScope,
} from '../../db/tenancy.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

let tdb: TestDatabase;
let api: Db;
const role = `dd_api_${randomBytes(4).toString('hex')}`;

async function claim(practiceId: string, n: number) {
  await insertClaim(tdb.db, {
    practiceId,
    claimId: `RLS${n}`,
    patient: { externalId: `RP${n}`, firstName: 'A', lastName: 'B', birthDate: '1970-01-01', memberId: 'M' },
    payerId: 'ACME-HEALTH',
    billingProviderNpi: '1234567893',
    dateOfService: '2026-11-01',
    diagnosisCodes: ['E11.9'],
    lines: [
      {
        procedureCode: '99213',
        modifiers: [],
        units: 1,
        chargeCents: 1,
        serviceDate: '2026-11-01',
        diagnosisPointers: [1],
      },
    ],
    workflowId: `claim-${practiceId}-RLS${n}`,
  });
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  await sql.raw(`create role ${role} login password 'api-test' nosuperuser nobypassrls`).execute(tdb.db);
  await grantApiRole(tdb.db, role);
  await claim('sunrise-fp', 1);
  await claim('sunrise-fp', 2);
  await claim('lakeside-ortho', 3);
  // A remittance whose payee matched no practice, with one unmatched loop.
  const file = await tdb.db
    .insertInto('era_files')
    .values({ checksum: randomBytes(8).toString('hex'), source: 'upload', raw: 'ISA*', status: 'POSTED' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const rem = await tdb.db
    .insertInto('remittances')
    .values({
      era_file_id: file.id,
      transaction_index: 0,
      practice_id: null,
      payer_id: 'ACME-HEALTH',
      trace_number: 'TRN-X',
      payment_cents: 100,
      payment_method: 'ACH',
      payment_date: '2026-11-02',
      parsed: JSON.stringify({}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await tdb.db
    .insertInto('unmatched_claim_payments')
    .values({
      remittance_id: rem.id,
      claim_index: 0,
      practice_id: null,
      payer_id: 'ACME-HEALTH',
      patient_control_number: 'NOPE',
      payer_claim_number: 'ICN',
      paid_cents: 100,
      reason: 'no practice',
    })
    .execute();
  api = createDb(tdb.url.replace(/\/\/[^@]*@/, `//${role}:api-test@`), { max: 2 });
});
afterAll(async () => {
  await api?.destroy();
  await tdb?.drop();
  // The role is cluster-wide: its privileges went with the dropped database.
  const { inject } = await import('vitest');
  const admin = createDb(inject('pgAdminUrl'), { max: 1 });
  await sql.raw(`drop role if exists ${role}`).execute(admin);
  await admin.destroy();
});

describe('row-level security on the API role', () => {
  it('a query without the practice setting returns no rows, whatever it forgets to filter', async () => {
    expect(await tdb.db.selectFrom('claims').select('id').execute()).toHaveLength(3);
    expect(await api.selectFrom('claims').select('id').execute()).toEqual([]);
    expect(await api.selectFrom('claim_lines').select('claim_id').execute()).toEqual([]);
    expect(await api.selectFrom('patients').select('id').execute()).toEqual([]);
    expect(await api.selectFrom('practices').select('id').execute()).toEqual([]);
  });

  it('with the setting it sees its own practices only, and cannot write into another', async () => {
    const ids = await withPracticeScope(api, ['sunrise-fp'], (trx) =>
      trx.selectFrom('claims').select('practice_id').execute(),
    );
    expect(ids.map((r) => r.practice_id)).toEqual(['sunrise-fp', 'sunrise-fp']);
    const lines = await withPracticeScope(api, ['lakeside-ortho'], (trx) =>
      trx.selectFrom('claim_lines').select('claim_id').execute(),
    );
    expect(lines).toHaveLength(1);
    await expect(
      withPracticeScope(api, ['sunrise-fp'], (trx) =>
        trx
          .insertInto('patients')
          .values({
            practice_id: 'lakeside-ortho',
            external_id: 'X',
            first_name: 'X',
            last_name: 'X',
            birth_date: '1970-01-01',
            member_id: 'X',
          })
          .execute(),
      ),
    ).rejects.toThrow(/row-level security/);
    // The setting is per transaction: the pooled connection forgets it.
    expect(await api.selectFrom('claims').select('id').execute()).toEqual([]);
  });

  it('payer defaults are readable by a practice but writable only by the operator', async () => {
    const defaults = await withPracticeScope(api, ['sunrise-fp'], (trx) =>
      trx.selectFrom('payer_rules').select('id').where('practice_id', 'is', null).execute(),
    );
    expect(defaults.length).toBeGreaterThan(0);
    const change = (trx: Parameters<Parameters<typeof withOperatorScope>[1]>[0]) =>
      trx
        .updateTable('payer_rules')
        .set({ follow_up_days: 31 })
        .where('practice_id', 'is', null)
        .where('payer_id', '=', 'ACME-HEALTH')
        .executeTakeFirst();
    expect(Number((await withPracticeScope(api, ['sunrise-fp'], change)).numUpdatedRows)).toBe(0);
    expect(Number((await withOperatorScope(api, change)).numUpdatedRows)).toBeGreaterThan(0);
  });

  it('practice-less remittances and their unmatched loops are invisible to practices, visible to the operator', async () => {
    const asPractice = await withPracticeScope(api, ['sunrise-fp', 'lakeside-ortho'], async (trx) => ({
      remittances: await trx.selectFrom('remittances').select('id').execute(),
      unmatched: await trx.selectFrom('unmatched_claim_payments').select('id').execute(),
    }));
    expect(asPractice).toEqual({ remittances: [], unmatched: [] });
    const asOperator = await withOperatorScope(api, async (trx) =>
      trx.selectFrom('unmatched_claim_payments').select('id').execute(),
    );
    expect(asOperator).toHaveLength(1);
  });

  it('the API connection takes the scope of the request it serves, and none outside a request', async () => {
    const requests = new AsyncLocalStorage<PracticeScope>();
    const scoped = createScopedDb(
      tdb.url.replace(/\/\/[^@]*@/, `//${role}:api-test@`),
      () => requests.getStore(),
      {
        max: 1,
      },
    );
    try {
      const claims = () => scoped.selectFrom('claims').select('practice_id').execute();
      expect(await claims()).toEqual([]);
      const lakeside = await requests.run({ practiceIds: ['lakeside-ortho'] }, claims);
      expect(lakeside).toEqual([{ practice_id: 'lakeside-ortho' }]);
      // The same pooled connection, next request without a scope: nothing again.
      expect(await claims()).toEqual([]);
      expect(await requests.run({ operator: true }, claims)).toHaveLength(3);
    } finally {
      await scoped.destroy();
    }
  });
});
