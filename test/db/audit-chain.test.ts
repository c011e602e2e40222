/**
 * The audit trail is tamper-evident: claim_events refuses UPDATE and DELETE, every row chains onto the
 * hash of its claim's previous row, and the verifier names the first broken link when a superuser goes
 * around the trigger.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendClaimEvent, verifyAuditChain } from '../../db/claim-events.js';
import { insertClaim } from '../../db/claims.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.drop();
});

let seq = 0;
async function claimWithEvents(practiceId: string, events: number): Promise<{ uuid: string; ids: string[] }> {
  seq += 1;
  const { claim } = await insertClaim(tdb.db, {
    practiceId,
    claimId: `AUD${seq}`,
    patient: {
      externalId: `AP${seq}`,
      firstName: 'A',
      lastName: 'B',
      birthDate: '1970-01-01',
      memberId: 'M1',
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
    workflowId: `claim-${practiceId}-AUD${seq}`,
  });
  // Written concurrently: the per-claim lock must still give one unbroken chain.
  await Promise.all(
    Array.from({ length: events }, (_, i) =>
      appendClaimEvent(tdb.db, {
        eventKey: `${claim.id}:${i}`,
        claimUuid: claim.id,
        practiceId,
        at: new Date(Date.UTC(2026, 10, 2, 10, i, 0, 123)).toISOString(),
        actor: 'biller-1',
        kind: 'NOTE_ADDED',
        fromStatus: 'NEEDS_REVIEW',
        toStatus: 'NEEDS_REVIEW',
        reason: `reason ${i}`,
        data: { i, nested: { b: 2, a: [1, 'x'] } },
      }),
    ),
  );
  const ids = await tdb.db
    .selectFrom('claim_events')
    .select('id')
    .where('claim_id', '=', claim.id)
    .orderBy('id')
    .execute();
  return { uuid: claim.id, ids: ids.map((r) => String(r.id)) };
}

describe('claim_events audit chain', () => {
  it('every claim written through appendClaimEvent verifies, even under concurrent writers', async () => {
    const a = await claimWithEvents('sunrise-fp', 8);
    expect(a.ids).toHaveLength(8);
    expect(await verifyAuditChain(tdb.db, { claimUuid: a.uuid })).toEqual([]);
    const first = await tdb.db
      .selectFrom('claim_events')
      .select(['prev_hash', 'hash'])
      .where('id', '=', a.ids[0]!)
      .executeTakeFirstOrThrow();
    expect(first.prev_hash).toHaveLength(0);
    expect(first.hash).toHaveLength(32);
  });

  it('UPDATE and DELETE are refused by the database, whoever asks', async () => {
    const a = await claimWithEvents('sunrise-fp', 2);
    await expect(
      tdb.db.updateTable('claim_events').set({ reason: 'rewritten' }).where('id', '=', a.ids[0]!).execute(),
    ).rejects.toThrow(/append-only: UPDATE/);
    await expect(tdb.db.deleteFrom('claim_events').where('id', '=', a.ids[1]!).execute()).rejects.toThrow(
      /append-only: DELETE/,
    );
  });

  it('a row altered by a superuser with the trigger disabled is reported with its claim and event', async () => {
    const clean = await claimWithEvents('sunrise-fp', 3);
    const altered = await claimWithEvents('sunrise-fp', 4);
    const removed = await claimWithEvents('lakeside-ortho', 4);
    await sql`alter table claim_events disable trigger claim_events_append_only`.execute(tdb.db);
    await sql`update claim_events set reason = 'nothing to see' where id = ${altered.ids[1]}`.execute(tdb.db);
    await sql`delete from claim_events where id = ${removed.ids[2]}`.execute(tdb.db);
    await sql`alter table claim_events enable trigger claim_events_append_only`.execute(tdb.db);

    expect(await verifyAuditChain(tdb.db, { claimUuid: clean.uuid })).toEqual([]);
    expect(await verifyAuditChain(tdb.db, { claimUuid: altered.uuid })).toEqual([
      {
        claimUuid: altered.uuid,
        practiceId: 'sunrise-fp',
        eventId: altered.ids[1],
        problem: expect.stringMatching(/^altered/),
      },
    ]);
    // A removed row is seen at the next one, whose prev_hash points at a row that is gone.
    const all = await verifyAuditChain(tdb.db);
    expect(all).toContainEqual({
      claimUuid: removed.uuid,
      practiceId: 'lakeside-ortho',
      eventId: removed.ids[3],
      problem: expect.stringMatching(/^chain broken/),
    });
    expect(all.map((b) => b.claimUuid).sort()).toEqual([altered.uuid, removed.uuid].sort());
    const lakeside = await verifyAuditChain(tdb.db, { practiceId: 'lakeside-ortho' });
    expect(lakeside.map((b) => b.claimUuid)).toEqual([removed.uuid]);
  });
});
