/**
 * Idempotency-Key on POSTs that create or decide: the same key and request get the stored answer, the
 * same key with another request is refused with 422, and a failure on our side (5xx) is not stored.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimBody, type Stack, startStack } from '../support/stack.js';
import { adjudicatedClaims, type ClaimJson, createSunriseKeys, sunrise } from './support.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
  await createSunriseKeys(stack.db);
});

afterAll(async () => {
  await stack?.stop();
});

const post = (
  url: string,
  payload: object,
  key: string | undefined,
  headers: Record<string, string> = sunrise('biller'),
) =>
  stack.app.inject({
    method: 'POST',
    url,
    payload,
    headers: key === undefined ? headers : { ...headers, 'idempotency-key': key },
  });

describe('Idempotency-Key', () => {
  it('the same key and body get the same stored answer, and the claim is stored once', async () => {
    const body = claimBody();
    const first = await post('/claims', body, 'intake-1');
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const second = await post('/claims', body, 'intake-1');
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toBe(first.body);
    const rows = await stack.db
      .selectFrom('claims')
      .select('id')
      .where('claim_id', '=', body.claimId)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('the same key with a different body, or on another route, is 422 naming the header', async () => {
    await post('/claims', claimBody(), 'intake-2');
    const other = await post('/claims', claimBody(), 'intake-2');
    expect(other.statusCode).toBe(422);
    expect((other.json() as { errors: { field: string }[] }).errors[0]!.field).toBe('header/idempotency-key');
    const otherRoute = await post('/claims/batch', { claims: [claimBody()] }, 'intake-2');
    expect(otherRoute.statusCode).toBe(422);
  });

  it('keys belong to their user: another key may use the same value for its own request', async () => {
    await post('/claims', claimBody(), 'shared-key');
    const mine = await post('/claims', claimBody(), 'shared-key', sunrise('supervisor'));
    expect(mine.statusCode).toBe(201);
    expect(mine.headers['idempotent-replayed']).toBeUndefined();
  });

  it('a malformed key is 400 naming the header', async () => {
    const res = await post('/claims', claimBody(), 'x'.repeat(300));
    expect(res.statusCode).toBe(400);
    expect((res.json() as { errors: { field: string }[] }).errors[0]!.field).toBe('headers/idempotency-key');
  });

  it('two concurrent requests with one key create one claim', async () => {
    const body = claimBody();
    const [a, b] = await Promise.all([post('/claims', body, 'race-1'), post('/claims', body, 'race-1')]);
    expect([a.statusCode, b.statusCode].sort()).toEqual(expect.arrayContaining([201]));
    for (const r of [a, b]) expect([201, 409]).toContain(r.statusCode);
    const rows = await stack.db
      .selectFrom('claims')
      .select('id')
      .where('claim_id', '=', body.claimId)
      .execute();
    expect(rows).toHaveLength(1);
  });

  describe('on decisions', () => {
    let claim: ClaimJson;

    beforeAll(async () => {
      [claim] = (await adjudicatedClaims(stack, ['DENY50-4001'])) as [ClaimJson];
    });

    it('a repeated decision is answered from the store and recorded once', async () => {
      const first = await post(`/claims/${claim.id}/notes`, { text: 'only once' }, 'note-1');
      expect(first.statusCode).toBe(200);
      const second = await post(`/claims/${claim.id}/notes`, { text: 'only once' }, 'note-1');
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(second.body).toBe(first.body);
      const notes = await stack.db
        .selectFrom('claim_events')
        .select('id')
        .where('claim_id', '=', claim.id)
        .where('kind', '=', 'NOTE_ADDED')
        .where('reason', '=', 'only once')
        .execute();
      expect(notes).toHaveLength(1);
    });

    it('a refusal (409) is an answer too: replayed, not re-tried', async () => {
      const first = await post(`/claims/${claim.id}/appeal-decision`, { outcome: 'upheld' }, 'decision-1');
      expect(first.statusCode).toBe(409);
      const second = await post(`/claims/${claim.id}/appeal-decision`, { outcome: 'upheld' }, 'decision-1');
      expect(second.statusCode).toBe(409);
      expect(second.headers['idempotent-replayed']).toBe('true');
    });
  });
});

describe('Idempotency-Key after a failure on our side', () => {
  it('a 5xx is not stored: the same key works once the fault is gone, and the 5xx body leaks nothing', async () => {
    const body = claimBody();
    await sql`alter table payers rename to payers_away`.execute(stack.db);
    let failed: Awaited<ReturnType<typeof post>>;
    try {
      failed = await post('/claims', body, 'after-outage');
    } finally {
      await sql`alter table payers_away rename to payers`.execute(stack.db);
    }
    expect(failed.statusCode).toBe(500);
    expect(failed.body).not.toMatch(/payers|relation|sql|stack/i);
    expect(
      await stack.db.selectFrom('idempotency_keys').selectAll().where('key', '=', 'after-outage').execute(),
    ).toHaveLength(0);
    const retry = await post('/claims', body, 'after-outage');
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
  });
});
