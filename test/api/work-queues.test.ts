/**
 * The work queue and the stuck list. Queue order and stuck reasons are checked on claims seeded with
 * hand-picked balances, categories, deadlines and activity times; the failing-activity reason on a real
 * claim whose payer answers 500 to every call, so Temporal keeps retrying its submission.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daysUntil } from '../../domain/dates.js';
import { denialPriority } from '../../domain/priority.js';
import { claimBody, eventually, type Stack, startStack } from '../support/stack.js';
import { type ClaimJson, createSunriseKeys, seedClaim, seedEvent, sunrise } from './support.js';

let stack: Stack;
const DAY = 86_400_000;
const iso = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

beforeAll(async () => {
  stack = await startStack();
  await createSunriseKeys(stack.db);
});

afterAll(async () => {
  await stack?.stop();
});

const get = (url: string, headers: Record<string, string> = sunrise('biller')) =>
  stack.app.inject({ method: 'GET', url, headers });

describe('GET /worklist', () => {
  beforeAll(async () => {
    // $1000 CODING (0.8), 10 days left: 1000 x 0.8 x 100 / 10 = 8000.
    await seedClaim(stack.db, {
      claimId: 'WQ-A',
      status: 'NEEDS_REVIEW',
      denialCategory: 'CODING',
      openBalanceCents: 100_000,
      nextDeadline: iso(9.5 * DAY),
      assignedTo: 'alice',
    });
    // $500 MEDICAL_NECESSITY (0.55), under a day left (counts as 1): 500 x 0.55 x 100 / 1 = 27500.
    await seedClaim(stack.db, {
      claimId: 'WQ-B',
      status: 'NEEDS_REVIEW',
      denialCategory: 'MEDICAL_NECESSITY',
      openBalanceCents: 50_000,
      nextDeadline: iso(0.5 * DAY),
      payerId: 'MEDICARE',
    });
    // $2000 DUPLICATE (0.1), no deadline (90 days): 2000 x 0.1 x 100 / 90 = 222.2 -> 222.
    await seedClaim(stack.db, {
      claimId: 'WQ-C',
      status: 'NEEDS_REVIEW',
      denialCategory: 'DUPLICATE',
      openBalanceCents: 200_000,
    });
    // A rejection waiting for correction counts as MISSING_INFORMATION (0.85); a passed deadline counts as 1 day: 25500.
    await seedClaim(stack.db, {
      claimId: 'WQ-D',
      status: 'NEEDS_CORRECTION',
      openBalanceCents: 30_000,
      nextDeadline: iso(-2 * DAY),
    });
    await seedClaim(stack.db, {
      claimId: 'WQ-PAID',
      status: 'PAID',
      denialCategory: 'CODING',
      openBalanceCents: 0,
    });
    await seedClaim(stack.db, {
      claimId: 'WQ-LAKE',
      practiceId: 'lakeside-ortho',
      status: 'NEEDS_REVIEW',
      denialCategory: 'CODING',
      openBalanceCents: 900_000,
    });
  });

  type Item = ClaimJson & { livePriority: number; temporalUiUrl: string };
  const queue = async (query = '', headers = sunrise('biller')) => {
    const res = await get(`/worklist?${query}`, headers);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: Item[]; nextCursor: string | null };
  };

  it('orders waiting claims by amount x recoverability / days to the deadline, computed now', async () => {
    const page = await queue();
    expect(page.items.map((c) => c.claimId)).toEqual(['WQ-B', 'WQ-D', 'WQ-A', 'WQ-C']);
    expect(page.items.map((c) => c.livePriority)).toEqual([27_500, 25_500, 8_000, 222]);
  });

  it('computes the same priority as the workflow’s denialPriority', async () => {
    const a = (await queue()).items.find((c) => c.claimId === 'WQ-A')!;
    const expected = denialPriority({
      amountCents: 100_000,
      category: 'CODING',
      daysToDeadline: daysUntil(Date.now(), Date.parse(a.nextDeadline as string)),
    });
    expect(a.livePriority).toBe(expected);
  });

  it('filters by assignee, unassigned, category and payer', async () => {
    expect((await queue('assignedTo=alice')).items.map((c) => c.claimId)).toEqual(['WQ-A']);
    expect((await queue('unassigned=true')).items.map((c) => c.claimId)).toEqual(['WQ-B', 'WQ-D', 'WQ-C']);
    expect(
      (await queue('denialCategory=DUPLICATE&denialCategory=CODING')).items.map((c) => c.claimId),
    ).toEqual(['WQ-A', 'WQ-C']);
    expect((await queue('payerId=MEDICARE')).items.map((c) => c.claimId)).toEqual(['WQ-B']);
  });

  it('pages with a cursor that keeps the first page’s instant', async () => {
    const first = await queue('limit=3');
    expect(first.items).toHaveLength(3);
    const second = await queue(`limit=3&cursor=${first.nextCursor}`);
    expect(second.items.map((c) => c.claimId)).toEqual(['WQ-C']);
    expect(second.nextCursor).toBeNull();
  });

  it('never shows another practice: not by default, and 403 when asked for by filter', async () => {
    expect((await queue()).items.map((c) => c.claimId)).not.toContain('WQ-LAKE');
    expect((await queue('', stack.auth('biller'))).items.map((c) => c.claimId)).toContain('WQ-LAKE');
    expect((await get('/worklist?practiceId=lakeside-ortho')).statusCode).toBe(403);
  });

  it('is 401 without a key, 403 for the integration role, 400 for an unknown category', async () => {
    expect((await get('/worklist', {})).statusCode).toBe(401);
    expect((await get('/worklist', sunrise('integration'))).statusCode).toBe(403);
    const bad = await get('/worklist?denialCategory=BOGUS');
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as { errors: { field: string }[] }).errors[0]!.field).toMatch(
      /^querystring\/denialCategory/,
    );
  });
});

describe('GET /claims/stuck', () => {
  beforeAll(async () => {
    const recent = iso(-1 * 3_600_000);
    const escalated = await seedClaim(stack.db, {
      claimId: 'ST-ESC',
      status: 'NEEDS_REVIEW',
      escalated: true,
      lastActivityAt: recent,
    });
    await seedEvent(stack.db, {
      claimUuid: escalated,
      at: recent,
      kind: 'ESCALATED',
      toStatus: 'NEEDS_REVIEW',
      reason: 'level 1 appeal deadline missed (2026-11-01)',
    });
    await seedClaim(stack.db, {
      claimId: 'ST-PAST',
      status: 'NEEDS_CORRECTION',
      nextDeadline: iso(-1 * DAY),
      lastActivityAt: recent,
    });
    await seedClaim(stack.db, {
      claimId: 'ST-NEAR',
      status: 'NEEDS_REVIEW',
      nextDeadline: iso(3 * DAY),
      lastActivityAt: recent,
    });
    const review = await seedClaim(stack.db, {
      claimId: 'ST-SLA',
      status: 'NEEDS_REVIEW',
      payerId: 'ACME-HEALTH',
      lastActivityAt: recent,
    });
    await seedEvent(stack.db, {
      claimUuid: review,
      at: iso(-12 * DAY),
      kind: 'STATUS_CHANGED',
      fromStatus: 'DENIED',
      toStatus: 'NEEDS_REVIEW',
    });
    const fresh = await seedClaim(stack.db, {
      claimId: 'ST-FRESH-REVIEW',
      status: 'NEEDS_REVIEW',
      lastActivityAt: recent,
    });
    await seedEvent(stack.db, {
      claimUuid: fresh,
      at: iso(-2 * DAY),
      kind: 'STATUS_CHANGED',
      fromStatus: 'DENIED',
      toStatus: 'NEEDS_REVIEW',
    });
    await seedClaim(stack.db, {
      claimId: 'ST-OLD',
      status: 'AWAITING_ADJUDICATION',
      lastActivityAt: iso(-60 * DAY),
    });
    await seedClaim(stack.db, { claimId: 'ST-OK', status: 'AWAITING_ADJUDICATION', lastActivityAt: recent });
    await seedClaim(stack.db, {
      claimId: 'ST-CLOSED',
      status: 'PAID',
      escalated: true,
      lastActivityAt: iso(-90 * DAY),
    });
    await seedClaim(stack.db, {
      claimId: 'ST-LAKE',
      practiceId: 'lakeside-ortho',
      status: 'NEEDS_REVIEW',
      escalated: true,
    });
  });

  type Stuck = ClaimJson & { reasons: { code: string; detail: string }[]; temporalUiUrl: string };
  const stuck = async (query = 'checkActivities=false', headers = sunrise('supervisor')) => {
    const res = await get(`/claims/stuck?${query}`, headers);
    expect(res.statusCode, res.body).toBe(200);
    const json = res.json() as { items: Stuck[]; activityCheck: { described: number; failed: number } };
    const byId = Object.fromEntries(
      json.items.filter((i) => i.claimId.startsWith('ST-')).map((i) => [i.claimId, i]),
    );
    return { ...json, byId };
  };

  it('lists each stuck open claim once with every reason it is stuck and its Temporal UI link', async () => {
    const { byId } = await stuck();
    expect(Object.keys(byId).sort()).toEqual(['ST-ESC', 'ST-NEAR', 'ST-OLD', 'ST-PAST', 'ST-SLA']);
    expect(byId['ST-ESC']!.reasons).toEqual([
      { code: 'ESCALATED', detail: 'level 1 appeal deadline missed (2026-11-01)' },
    ]);
    expect(byId['ST-PAST']!.reasons.map((r) => r.code)).toEqual(['DEADLINE_PASSED']);
    expect(byId['ST-NEAR']!.reasons.map((r) => r.code)).toEqual(['DEADLINE_NEAR']);
    expect(byId['ST-SLA']!.reasons.map((r) => r.code)).toEqual(['REVIEW_SLA_EXCEEDED']);
    expect(byId['ST-SLA']!.reasons[0]!.detail).toContain('10-day review SLA');
    expect(byId['ST-OLD']!.reasons.map((r) => r.code)).toEqual(['UNTOUCHED']);
    expect(byId['ST-OLD']!.temporalUiUrl).toBe(
      `http://localhost:8233/namespaces/default/workflows/${byId['ST-OLD']!.workflowId}`,
    );
  });

  it('takes the untouched and near-deadline windows from the query', async () => {
    const { byId } = await stuck('checkActivities=false&untouchedDays=90&nearDeadlineDays=1');
    expect(Object.keys(byId).sort()).toEqual(['ST-ESC', 'ST-PAST', 'ST-SLA']);
  });

  it('never shows another practice, and a filter for it is 403', async () => {
    const { byId } = await stuck();
    expect(byId['ST-LAKE']).toBeUndefined();
    expect((await get('/claims/stuck?practiceId=lakeside-ortho', sunrise('supervisor'))).statusCode).toBe(
      403,
    );
  });

  it('is for supervisors: 401 without a key, 403 for a biller, 400 for a negative window', async () => {
    expect((await get('/claims/stuck', {})).statusCode).toBe(401);
    expect((await get('/claims/stuck', sunrise('biller'))).statusCode).toBe(403);
    const bad = await get('/claims/stuck?nearDeadlineDays=-1', sunrise('supervisor'));
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as { errors: { field: string }[] }).errors[0]!.field).toBe(
      'querystring/nearDeadlineDays',
    );
  });

  it('reports a claim whose payer call keeps failing, from Temporal’s pending activity attempts', async () => {
    await stack.simConfig({ errorRate: 1 });
    try {
      const res = await stack.app.inject({
        method: 'POST',
        url: '/claims',
        payload: claimBody(),
        headers: sunrise('biller'),
      });
      const claim = res.json() as ClaimJson;
      const item = await eventually(
        async () => {
          const { items } = await stuck('minActivityAttempts=3');
          return items.find((i) => i.id === claim.id);
        },
        'the failing submission to be reported',
        40_000,
      );
      const failing = item.reasons.find((r) => r.code === 'ACTIVITY_FAILING')!;
      expect(failing.detail).toMatch(/^submitClaim is on attempt \d+/);
    } finally {
      await stack.simConfig({ errorRate: 0 });
    }
  });
});
