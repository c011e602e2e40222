/**
 * Claims routes over the real stack: intake (single and batch), the filtered and paginated list, the
 * claim screen and its timeline, with authentication, roles and practice isolation on each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimBody, eventually, type Stack, startStack } from '../support/stack.js';
import {
  type ClaimJson,
  createSunriseKeys,
  seedClaim,
  seedPosting,
  seedRemittance,
  sunrise,
} from './support.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
  await createSunriseKeys(stack.db);
});

afterAll(async () => {
  await stack?.stop();
});

const post = (url: string, payload: unknown, headers: Record<string, string>) =>
  stack.app.inject({ method: 'POST', url, payload: payload as object, headers });
const get = (url: string, headers: Record<string, string> = {}) =>
  stack.app.inject({ method: 'GET', url, headers });

describe('POST /claims', () => {
  it('stores a new claim and starts its workflow (201); the same claim id again is 200 with created false', async () => {
    const body = claimBody();
    const first = await post('/claims', body, stack.auth('integration'));
    expect(first.statusCode).toBe(201);
    const created = first.json() as ClaimJson & { created: boolean; temporalUiUrl: string };
    expect(created.created).toBe(true);
    expect(created.temporalUiUrl).toBe(
      `http://localhost:8233/namespaces/default/workflows/${created.workflowId}`,
    );
    const again = await post('/claims', body, stack.auth('integration'));
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: created.id, created: false });
    const desc = await stack.client.workflow.getHandle(created.workflowId).describe();
    expect(desc.status.name).toBe('RUNNING');
  });

  it('without a bearer key is 401, as problem+json', async () => {
    const res = await post('/claims', claimBody(), {});
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 401, title: 'Unauthorized' });
  });

  it('for a practice the key does not hold is 403 and stores nothing', async () => {
    const body = claimBody({ practiceId: 'lakeside-ortho' });
    const res = await post('/claims', body, sunrise('integration'));
    expect(res.statusCode).toBe(403);
    const stored = await stack.db
      .selectFrom('claims')
      .select('id')
      .where('claim_id', '=', body.claimId)
      .execute();
    expect(stored).toHaveLength(0);
  });

  it('refuses unknown fields and bad values with 400 and the field path of each', async () => {
    const body = claimBody({ surprise: true });
    body.lines[0]!.chargeCents = -5;
    const res = await post('/claims', body, stack.auth('biller'));
    expect(res.statusCode).toBe(400);
    const fields = (res.json() as { errors: { field: string }[] }).errors.map((e) => e.field);
    expect(fields).toContain('body/surprise');
    expect(fields).toContain('body/lines/0/chargeCents');
  });

  it('refuses an unknown payer and a future date of service with 422 naming each field', async () => {
    const res = await post(
      '/claims',
      claimBody({ payerId: 'NOBODY', dateOfService: '2999-01-01' }),
      stack.auth('biller'),
    );
    expect(res.statusCode).toBe(422);
    const fields = (res.json() as { errors: { field: string }[] }).errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body/payerId', 'body/dateOfService']));
  });
});

describe('POST /claims/batch', () => {
  it('reports each item on its own: valid ones are stored and started, refused ones leave nothing behind', async () => {
    const good = claimBody();
    const known = claimBody();
    await post('/claims', known, stack.auth('biller'));
    const badSchema = claimBody({ extra: 1 });
    badSchema.lines[0]!.units = 0;
    const badPayer = claimBody({ payerId: 'NOBODY' });
    const otherPractice = claimBody({ practiceId: 'lakeside-ortho' });
    const res = await post(
      '/claims/batch',
      { claims: [good, badSchema, known, badPayer, otherPractice] },
      sunrise('integration'),
    );
    expect(res.statusCode).toBe(200);
    const json = res.json() as {
      accepted: number;
      refused: number;
      results: { index: number; outcome: string; errors?: { field: string }[] }[];
    };
    expect(json.results.map((r) => r.outcome)).toEqual([
      'created',
      'invalid',
      'exists',
      'invalid',
      'forbidden',
    ]);
    expect(json).toMatchObject({ accepted: 2, refused: 3 });
    expect(json.results[1]!.errors!.map((e) => e.field)).toEqual(
      expect.arrayContaining(['body/claims/1/extra', 'body/claims/1/lines/0/units']),
    );
    expect(json.results[3]!.errors!.map((e) => e.field)).toEqual(['body/claims/3/payerId']);
    expect(json.results[4]!.errors!.map((e) => e.field)).toEqual(['body/claims/4/practiceId']);
    const stored = await stack.db
      .selectFrom('claims')
      .select('claim_id')
      .where('claim_id', 'in', [good.claimId, badSchema.claimId, badPayer.claimId, otherPractice.claimId])
      .execute();
    expect(stored.map((s) => s.claim_id)).toEqual([good.claimId]);
    const patients = await stack.db
      .selectFrom('patients')
      .select('external_id')
      .where('external_id', 'in', [badSchema.patient.externalId, badPayer.patient.externalId])
      .execute();
    expect(patients).toHaveLength(0);
  });

  it('refuses an empty or oversized envelope with 400 and a missing key with 401', async () => {
    expect((await post('/claims/batch', { claims: [] }, stack.auth('biller'))).statusCode).toBe(400);
    const many = Array.from({ length: 101 }, () => ({}));
    const res = await post('/claims/batch', { claims: many }, stack.auth('biller'));
    expect(res.statusCode).toBe(400);
    expect((res.json() as { errors: { field: string }[] }).errors[0]!.field).toBe('body/claims');
    expect((await post('/claims/batch', { claims: [claimBody()] }, {})).statusCode).toBe(401);
  });
});

describe('GET /claims', () => {
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    ids.review = await seedClaim(stack.db, {
      claimId: 'LIST-REVIEW',
      status: 'NEEDS_REVIEW',
      payerId: 'MEDICARE',
      denialCategory: 'MEDICAL_NECESSITY',
      assignedTo: 'alice',
      openBalanceCents: 50_000,
      dateOfService: '2026-03-01',
      firstDeniedAt: '2026-03-20T10:00:00Z',
      createdAt: '2026-03-02T00:00:00Z',
    });
    ids.paid = await seedClaim(stack.db, {
      claimId: 'LIST-PAID',
      status: 'PAID',
      payerId: 'ACME-HEALTH',
      openBalanceCents: 0,
      dateOfService: '2026-02-01',
      createdAt: '2026-02-02T00:00:00Z',
    });
    ids.correction = await seedClaim(stack.db, {
      claimId: 'LIST-CORR',
      status: 'NEEDS_CORRECTION',
      payerId: 'MEDICARE',
      openBalanceCents: 7_000,
      dateOfService: '2026-03-05',
      escalated: true,
      createdAt: '2026-03-06T00:00:00Z',
    });
    ids.lakeside = await seedClaim(stack.db, {
      practiceId: 'lakeside-ortho',
      claimId: 'LIST-LAKE',
      status: 'NEEDS_REVIEW',
      payerId: 'MEDICARE',
      denialCategory: 'MEDICAL_NECESSITY',
      createdAt: '2026-03-03T00:00:00Z',
    });
  });

  const list = async (query: string, headers = sunrise('biller')) => {
    const res = await get(`/claims?${query}`, headers);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: ClaimJson[]; nextCursor: string | null };
  };
  const claimIds = (page: { items: ClaimJson[] }) =>
    page.items.map((c) => c.claimId).filter((c) => c.startsWith('LIST-'));

  it('filters by status (any of), payer, denial category, assignee, escalation, dates and open balance', async () => {
    expect(claimIds(await list('status=NEEDS_REVIEW&status=NEEDS_CORRECTION'))).toEqual([
      'LIST-CORR',
      'LIST-REVIEW',
    ]);
    expect(claimIds(await list('payerId=MEDICARE'))).toEqual(['LIST-CORR', 'LIST-REVIEW']);
    expect(claimIds(await list('denialCategory=MEDICAL_NECESSITY'))).toEqual(['LIST-REVIEW']);
    expect(claimIds(await list('assignedTo=alice'))).toEqual(['LIST-REVIEW']);
    expect(claimIds(await list('escalated=true'))).toEqual(['LIST-CORR']);
    expect(claimIds(await list('dateOfServiceFrom=2026-02-01&dateOfServiceTo=2026-03-01'))).toEqual([
      'LIST-REVIEW',
      'LIST-PAID',
    ]);
    expect(claimIds(await list('createdFrom=2026-03-02&createdTo=2026-03-02'))).toEqual(['LIST-REVIEW']);
    expect(claimIds(await list('deniedFrom=2026-03-20&deniedTo=2026-03-20'))).toEqual(['LIST-REVIEW']);
    expect(claimIds(await list('minOpenBalanceCents=7000&maxOpenBalanceCents=49999'))).toEqual(['LIST-CORR']);
  });

  it('pages with an opaque cursor: every claim once, newest first, and a foreign cursor is 400', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: ClaimJson[]; nextCursor: string | null } = await list(
        `payerId=MEDICARE&payerId=ACME-HEALTH&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.items.map((c) => c.claimId));
      cursor = page.nextCursor;
    } while (cursor);
    const all = (await list('payerId=MEDICARE&payerId=ACME-HEALTH&limit=200')).items.map((c) => c.claimId);
    expect(seen).toEqual(all);
    expect(new Set(seen).size).toBe(seen.length);
    const bad = await get('/claims?cursor=bm90LWEtY3Vyc29y', sunrise('biller'));
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as { errors: { field: string }[] }).errors[0]!.field).toBe('querystring/cursor');
  });

  it('shows only the key’s practices, and a filter naming another practice is 403, never data', async () => {
    expect(claimIds(await list('payerId=MEDICARE'))).not.toContain('LIST-LAKE');
    expect(claimIds(await list('payerId=MEDICARE', stack.auth('biller')))).toContain('LIST-LAKE');
    const res = await get('/claims?practiceId=lakeside-ortho', sunrise('supervisor'));
    expect(res.statusCode).toBe(403);
    expect(res.body).not.toContain('LIST-LAKE');
  });

  it('refuses unknown query parameters and inverted ranges with 400 naming the parameter', async () => {
    const unknown = await get('/claims?colour=red', sunrise('biller'));
    expect(unknown.statusCode).toBe(400);
    expect((unknown.json() as { errors: { field: string }[] }).errors[0]!.field).toBe('querystring/colour');
    const inverted = await get('/claims?createdFrom=2026-03-02&createdTo=2026-03-01', sunrise('biller'));
    expect(inverted.statusCode).toBe(400);
    expect((inverted.json() as { errors: { field: string }[] }).errors[0]!.field).toBe(
      'querystring/createdFrom',
    );
  });

  it('is 401 without a key and 403 for the integration role', async () => {
    expect((await get('/claims')).statusCode).toBe(401);
    expect((await get('/claims', sunrise('integration'))).statusCode).toBe(403);
  });

  it('shows a claim’s postings with plain-language CARC and RARC text', async () => {
    const remittanceId = await seedRemittance(stack.db);
    await seedPosting(stack.db, {
      claimUuid: ids.review!,
      remittanceId,
      postedAt: '2026-03-20T10:00:00Z',
      adjustments: [['CO', '50', 10_000]],
    });
    await stack.db
      .updateTable('claim_adjustments')
      .set({ remark_codes: ['N115'] })
      .where('claim_id', '=', ids.review!)
      .execute();
    const res = await get(`/claims/${ids.review}`, sunrise('biller'));
    expect(res.statusCode).toBe(200);
    const detail = res.json() as {
      postings: {
        adjustments: { reason: { code: string; text: string }; remarks: { code: string; text: string }[] }[];
      }[];
      live: unknown;
      liveError?: string;
    };
    expect(detail.postings[0]!.adjustments[0]!.reason).toEqual({
      code: '50',
      text: 'Not deemed medically necessary by the payer',
    });
    expect(detail.postings[0]!.adjustments[0]!.remarks[0]).toEqual({
      code: 'N115',
      text: 'Decision based on a local coverage determination',
    });
    // A seeded row has no workflow: the screen still answers, saying live state is unavailable.
    expect(detail.live).toBeNull();
    expect(detail.liveError).toBeDefined();
  });
});

describe('GET /claims/:id and /claims/:id/events', () => {
  let claim: ClaimJson;

  beforeAll(async () => {
    const res = await post('/claims', claimBody(), stack.auth('biller'));
    claim = res.json() as ClaimJson;
  });

  it('shows the row, its lines and the live workflow state', async () => {
    const detail = await eventually(async () => {
      const res = await get(`/claims/${claim.id}`, sunrise('biller'));
      const json = res.json() as { live: { status: string } | null; lines: unknown[] };
      return json.live ? json : undefined;
    }, 'live state');
    expect(detail.lines).toHaveLength(2);
    expect(detail.live!.status).toBeDefined();
  });

  it('answers 404 for another practice’s claim and for an unknown id, 400 for a malformed id', async () => {
    const lakeside = await seedClaim(stack.db, { practiceId: 'lakeside-ortho' });
    const res = await get(`/claims/${lakeside}`, sunrise('biller'));
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain('lakeside');
    expect((await get(`/claims/${lakeside}/events`, sunrise('biller'))).statusCode).toBe(404);
    expect((await get('/claims/00000000-0000-4000-8000-000000000000', sunrise('biller'))).statusCode).toBe(
      404,
    );
    const malformed = await get('/claims/not-a-uuid', sunrise('biller'));
    expect(malformed.statusCode).toBe(400);
    expect((malformed.json() as { errors: { field: string }[] }).errors[0]!.field).toBe('params/id');
  });

  it('lists the timeline in order, paged, with actor and status changes', async () => {
    const events = await eventually(async () => {
      const res = await get(`/claims/${claim.id}/events?limit=1`, sunrise('biller'));
      const page = res.json() as {
        items: { kind: string; fromStatus: string; toStatus: string; actor: string }[];
        nextCursor: string | null;
      };
      return page.items.length === 1 ? page : undefined;
    }, 'a first event');
    expect(events.items[0]).toMatchObject({ kind: 'STATUS_CHANGED', fromStatus: 'SUBMITTING' });
    if (events.nextCursor) {
      const next = await get(
        `/claims/${claim.id}/events?limit=1&cursor=${events.nextCursor}`,
        sunrise('biller'),
      );
      expect(next.statusCode).toBe(200);
    }
  });

  it('is 401 without a key and 403 for the integration role', async () => {
    expect((await get(`/claims/${claim.id}`)).statusCode).toBe(401);
    expect((await get(`/claims/${claim.id}`, sunrise('integration'))).statusCode).toBe(403);
    expect((await get(`/claims/${claim.id}/events`, sunrise('integration'))).statusCode).toBe(403);
  });
});
