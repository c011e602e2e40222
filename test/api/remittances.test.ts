/**
 * Remittance routes: 835 upload, the remittance list, the unmatched queue and the manual match that
 * posts an unmatched loop to a claim and signals the claim's workflow.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimBody, eventually, type Stack, startStack } from '../support/stack.js';
import {
  type ClaimJson,
  createSunriseKeys,
  seedClaim,
  seedRemittance,
  sunrise,
  waitForStatus,
} from './support.js';

const MINIMAL = readFileSync(new URL('../fixtures/x12/835-minimal.edi', import.meta.url), 'utf8');
const LAKESIDE_NPI = '1987654328';

/** The minimal 835 (one CLP loop, $100 charged, $80 paid, $20 copay) with its own trace number and CLP01. */
function era(opts: { pcn: string; trace?: string; payeeNpi?: string }): string {
  let text = MINIMAL.replaceAll('CHK10001', opts.trace ?? `CHK${randomUUID().slice(0, 8)}`).replaceAll(
    'PCN0001',
    opts.pcn,
  );
  if (opts.payeeNpi) text = text.replace('*XX*1234567893~', `*XX*${opts.payeeNpi}~`);
  return text;
}

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
  await createSunriseKeys(stack.db);
});

afterAll(async () => {
  await stack?.stop();
});

const upload = (raw: string, headers: Record<string, string>) =>
  stack.app.inject({
    method: 'POST',
    url: '/remittances',
    payload: raw,
    headers: { ...headers, 'content-type': 'text/plain' },
  });
const get = (url: string, headers: Record<string, string>) =>
  stack.app.inject({ method: 'GET', url, headers });

type Unmatched = {
  id: string;
  patientControlNumber: string;
  reason: string;
  status: string;
  practiceId: string | null;
};

describe('POST /remittances', () => {
  it('stores and posts a new file (201); the same bytes again are a duplicate that posts nothing (200)', async () => {
    const raw = era({ pcn: `UNK-${randomUUID().slice(0, 6)}` });
    const first = await upload(raw, sunrise('integration'));
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({
      duplicateFile: false,
      transactions: 1,
      claims: 1,
      posted: 0,
      unmatched: 1,
    });
    const again = await upload(raw, sunrise('biller'));
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ duplicateFile: true, posted: 0 });
  });

  it('refuses a malformed file whole with 422 naming the segment', async () => {
    const raw = readFileSync(new URL('../fixtures/x12/835-unbalanced-claim.edi', import.meta.url), 'utf8');
    const res = await upload(raw, sunrise('integration'));
    expect(res.statusCode).toBe(422);
    expect((res.json() as { errors: { field: string }[] }).errors[0]!.field).toMatch(/^segment \d+ \(/);
  });

  it('refuses a JSON body with 400 and a missing key with 401', async () => {
    const json = await stack.app.inject({
      method: 'POST',
      url: '/remittances',
      payload: { x: 1 },
      headers: sunrise('integration'),
    });
    expect(json.statusCode).toBe(400);
    expect((await upload(MINIMAL, {})).statusCode).toBe(401);
  });
});

describe('GET /remittances and /remittances/unmatched', () => {
  let lakesideRemittance: string;
  let orphanRemittance: string;

  beforeAll(async () => {
    await upload(era({ pcn: 'LIST-UNKNOWN-1' }), sunrise('integration'));
    lakesideRemittance = await seedRemittance(stack.db, { practiceId: 'lakeside-ortho' });
    orphanRemittance = await seedRemittance(stack.db, { practiceId: null });
  });

  it('lists the key’s practices’ remittances with posted and unmatched counts', async () => {
    const res = await get('/remittances?limit=200', sunrise('biller'));
    expect(res.statusCode).toBe(200);
    const items = (res.json() as { items: { id: string; practiceId: string; unmatchedClaims: number }[] })
      .items;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.practiceId === 'sunrise-fp')).toBe(true);
    expect(items.map((i) => i.id)).not.toContain(lakesideRemittance);
    expect(items.map((i) => i.id)).not.toContain(orphanRemittance);
    expect(items.some((i) => i.unmatchedClaims === 1)).toBe(true);
  });

  it('shows remittances no practice could be matched to only to the installation operator, never to a practice admin', async () => {
    const admin = (await get('/remittances?limit=200', stack.auth('admin'))).json() as {
      items: { id: string }[];
    };
    expect(admin.items.map((i) => i.id)).not.toContain(orphanRemittance);
    const operator = (await get('/remittances?limit=200', sunrise('operator'))).json() as {
      items: { id: string }[];
    };
    expect(operator.items.map((i) => i.id)).toContain(orphanRemittance);
  });

  it('keeps unmatched loops of a remittance whose payee matched no practice from practice admins; the operator sees them', async () => {
    const res = await upload(
      era({ pcn: 'ORPHAN-LOOP-1', payeeNpi: '1245319599' }),
      stack.auth('integration'),
    );
    expect(res.statusCode).toBe(201);
    type Loop = { patientControlNumber: string; practiceId: string | null };
    const loops = async (headers: Record<string, string>) =>
      ((await get('/remittances/unmatched?limit=200', headers)).json() as { items: Loop[] }).items.filter(
        (u) => u.patientControlNumber === 'ORPHAN-LOOP-1',
      );
    expect(await loops(stack.auth('admin'))).toEqual([]);
    expect(await loops(sunrise('admin'))).toEqual([]);
    expect(await loops(sunrise('operator'))).toEqual([expect.objectContaining({ practiceId: null })]);
  });

  it('pages with a cursor', async () => {
    const first = (await get('/remittances?limit=1', sunrise('biller'))).json() as {
      items: { id: string }[];
      nextCursor: string;
    };
    const second = (
      await get(`/remittances?limit=1&cursor=${first.nextCursor}`, sunrise('biller'))
    ).json() as { items: { id: string }[] };
    expect(second.items[0]!.id).not.toBe(first.items[0]!.id);
  });

  it('answers 403 for another practice’s filter and for the integration role, 401 without a key', async () => {
    expect((await get('/remittances?practiceId=lakeside-ortho', sunrise('biller'))).statusCode).toBe(403);
    expect((await get('/remittances', sunrise('integration'))).statusCode).toBe(403);
    expect((await get('/remittances/unmatched', sunrise('integration'))).statusCode).toBe(403);
    expect((await get('/remittances/unmatched', {})).statusCode).toBe(401);
  });

  it('queues unmatched loops, oldest first, with the reason they did not match', async () => {
    const res = await get('/remittances/unmatched?limit=200', sunrise('biller'));
    expect(res.statusCode).toBe(200);
    const items = (res.json() as { items: Unmatched[] }).items;
    expect(items.find((u) => u.patientControlNumber === 'LIST-UNKNOWN-1')).toMatchObject({
      reason: 'UNKNOWN_CLAIM',
      status: 'OPEN',
      practiceId: 'sunrise-fp',
    });
  });
});

describe('POST /remittances/unmatched/:id/match', () => {
  let claim: ClaimJson;
  let loop: Unmatched;
  let lakesideLoop: Unmatched;

  beforeAll(async () => {
    const body = claimBody();
    body.patient.memberId = 'LOST-2001';
    claim = (
      await stack.app.inject({ method: 'POST', url: '/claims', payload: body, headers: sunrise('biller') })
    ).json() as ClaimJson;
    await waitForStatus(stack, claim.id, ['AWAITING_ADJUDICATION']);
    await upload(era({ pcn: 'MATCH-ME-1' }), sunrise('integration'));
    await upload(era({ pcn: 'MATCH-LAKE-1', payeeNpi: LAKESIDE_NPI }), stack.auth('integration'));
    const all = (await get('/remittances/unmatched?limit=200', sunrise('operator'))).json() as {
      items: Unmatched[];
    };
    loop = all.items.find((u) => u.patientControlNumber === 'MATCH-ME-1')!;
    lakesideLoop = all.items.find((u) => u.patientControlNumber === 'MATCH-LAKE-1')!;
  });

  const match = (id: string, claimId: string, headers: Record<string, string>) =>
    stack.app.inject({
      method: 'POST',
      url: `/remittances/unmatched/${id}/match`,
      payload: { claimId },
      headers,
    });

  it('is for supervisors: 401 without a key and 403 for a biller', async () => {
    expect((await match(loop.id, claim.id, {})).statusCode).toBe(401);
    expect((await match(loop.id, claim.id, sunrise('biller'))).statusCode).toBe(403);
  });

  it('answers 404 for another practice’s loop and for another practice’s claim', async () => {
    expect((await match(lakesideLoop.id, claim.id, sunrise('supervisor'))).statusCode).toBe(404);
    const lakesideClaim = await seedClaim(stack.db, { practiceId: 'lakeside-ortho' });
    expect((await match(loop.id, lakesideClaim, sunrise('supervisor'))).statusCode).toBe(404);
  });

  it('refuses with 422 a claim of another practice than the one the remittance paid', async () => {
    const lakesideClaim = await seedClaim(stack.db, { practiceId: 'lakeside-ortho' });
    const res = await match(loop.id, lakesideClaim, stack.auth('supervisor'));
    expect(res.statusCode).toBe(422);
    expect((res.json() as { errors: { field: string }[] }).errors[0]!.field).toBe('body/claimId');
  });

  it('posts the loop to the chosen claim, marks it MATCHED and signals the claim, once', async () => {
    const res = await match(loop.id, claim.id, sunrise('supervisor'));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      signalled: true,
      unmatched: { status: 'MATCHED', matchedClaimId: claim.id, matchedBy: 'sunrise-supervisor' },
    });
    const payments = await stack.db
      .selectFrom('claim_payments')
      .select(['paid_cents', 'signalled_at'])
      .where('claim_id', '=', claim.id)
      .execute();
    expect(payments).toHaveLength(1);
    expect(payments[0]!.paid_cents).toBe(8_000);
    expect(payments[0]!.signalled_at).not.toBeNull();
    await eventually(async () => {
      const events = await stack.db
        .selectFrom('claim_events')
        .select('kind')
        .where('claim_id', '=', claim.id)
        .where('kind', '=', 'REMITTANCE_POSTED')
        .execute();
      return events.length === 1 ? events : undefined;
    }, 'the claim workflow to apply the remittance');
    const again = await match(loop.id, claim.id, sunrise('supervisor'));
    expect(again.statusCode).toBe(409);
    const open = (await get('/remittances/unmatched?limit=200', sunrise('biller'))).json() as {
      items: Unmatched[];
    };
    expect(open.items.map((u) => u.id)).not.toContain(loop.id);
    const matched = (await get('/remittances/unmatched?status=MATCHED', sunrise('biller'))).json() as {
      items: Unmatched[];
    };
    expect(matched.items.map((u) => u.id)).toContain(loop.id);
  });

  it('refuses a malformed body with 400 and the field path', async () => {
    const res = await match(loop.id, 'not-a-uuid', sunrise('supervisor'));
    expect(res.statusCode).toBe(400);
    expect((res.json() as { errors: { field: string }[] }).errors[0]!.field).toBe('body/claimId');
  });
});
