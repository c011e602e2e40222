/**
 * Denial prevention on the real stack (docs/claim-rules.md): payer-sim denies 99213 without modifier 25
 * (CO-4). Over 200 claims the miner proposes the rule with its evidence; a supervisor accepts it; new
 * claims without the modifier are then held before submission, and the combination's denial rate after
 * adoption is zero. A held claim overridden with a reason is filed, and the override is in the timeline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Stack, startStack } from '../support/stack.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    payerSim: {
      scenarios: [
        {
          name: 'modifier-25-required',
          description: 'E/M billed without modifier 25 is denied CO-4',
          when: { procedureCode: '99213', missingModifier: '25' },
          outcome: { kind: 'denied', group: 'CO', reason: '4', scope: 'matching_lines' },
        },
        {
          name: 'paid',
          description: 'everything else',
          when: { payerId: 'ACME-HEALTH' },
          outcome: { kind: 'paid' },
        },
      ],
    },
  });
});
afterAll(async () => {
  await stack?.stop();
});

const lines = (modifiers: string[]) => [
  { procedureCode: '99213', modifiers, units: 1, chargeCents: 15_000, diagnosisPointers: [1] },
  { procedureCode: '36415', modifiers: [], units: 1, chargeCents: 5_000, diagnosisPointers: [1] },
];

async function submitMany(count: number, modifiers: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 10) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(10, count - i) }, () =>
        stack.submitClaim('ACM123456789', { lines: lines(modifiers) }),
      ),
    );
    ids.push(...batch.map((b) => b.claim.id));
  }
  return ids;
}

async function statuses(ids: string[]): Promise<Map<string, string>> {
  const rows = await stack.db.selectFrom('claims').select(['id', 'status']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.status]));
}

async function allIn(ids: string[], wanted: string, what: string, pull = false) {
  await eventually(
    async () => {
      // The payer writes 835s as it adjudicates: pull until every file has been posted.
      if (pull) await stack.pullEras();
      const s = await statuses(ids);
      return [...s.values()].every((v) => v === wanted) && s.size === ids.length ? true : undefined;
    },
    what,
    120_000,
  );
}

describe('denial prevention from our own denials, for real', () => {
  it('mines the modifier rule from 200 claims, holds new claims without it, and the denial rate drops to zero', async () => {
    const withModifier = await submitMany(100, ['25']);
    const without = await submitMany(100, []);
    const all = [...withModifier, ...without];
    await allIn(all, 'AWAITING_ADJUDICATION', 'every claim to be filed');
    await allIn(withModifier, 'PAID', 'claims with modifier 25 to be paid', true);
    await allIn(without, 'NEEDS_REVIEW', 'claims without it to be denied', true);

    const sup = stack.auth('supervisor');
    const mined = await stack.app.inject({
      method: 'POST',
      url: '/practices/sunrise-fp/claim-rule-mining',
      headers: sup,
    });
    expect(mined.statusCode, mined.body).toBe(200);
    const listed = await stack.app.inject({
      method: 'GET',
      url: '/practices/sunrise-fp/claim-rule-proposals?status=PROPOSED',
      headers: stack.auth('biller'),
    });
    const proposals = (listed.json() as { proposals: Record<string, unknown>[] }).proposals;
    expect(proposals).toHaveLength(1);
    const proposal = proposals[0]!;
    expect(proposal).toMatchObject({
      payerId: 'ACME-HEALTH',
      procedureCode: '99213',
      modifier: '25',
      carc: '4',
      deniedLines: 100,
      lines: 100,
      deniedCents: 1_500_000,
      withModifier: { lines: 100, denied: 0 },
    });
    expect((proposal.exampleClaimIds as string[]).every((id) => without.includes(id))).toBe(true);

    const refused = await stack.app.inject({
      method: 'POST',
      url: `/practices/sunrise-fp/claim-rule-proposals/${proposal.id}/accept`,
      headers: stack.auth('biller'),
      payload: {},
    });
    expect(refused.statusCode).toBe(403);
    const accepted = await stack.app.inject({
      method: 'POST',
      url: `/practices/sunrise-fp/claim-rule-proposals/${proposal.id}/accept`,
      headers: sup,
      payload: {},
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const rule = (accepted.json() as { rule: { ruleKey: string; action: string; source: string } }).rule;
    expect(rule).toMatchObject({ action: 'HOLD', source: 'LEARNED' });

    // From now on: claims without the modifier are held before they reach the payer.
    const later = await submitMany(10, []);
    const laterWith = await submitMany(5, ['25']);
    await allIn(later, 'HOLD', 'new claims without the modifier to be held');
    await allIn(laterWith, 'AWAITING_ADJUDICATION', 'new claims with it to be filed');
    const worklist = await stack.app.inject({
      method: 'GET',
      url: '/worklist?limit=200',
      headers: stack.auth('biller'),
    });
    const queued = (worklist.json() as { items: { id: string }[] }).items.map((i) => i.id);
    expect(later.filter((id) => !queued.includes(id))).toEqual([]);

    const effectOf = async () => {
      const r = await stack.app.inject({
        method: 'GET',
        url: `/practices/sunrise-fp/claim-rules/${rule.ruleKey}/effect`,
        headers: stack.auth('biller'),
      });
      expect(r.statusCode, r.body).toBe(200);
      return r.json();
    };
    // The combination's denial rate: every one of the 100 before the rule, none of the 10 since.
    expect(await effectOf()).toMatchObject({
      before: { lines: 100, denied: 100, denialRate: 1 },
      after: { lines: 10, denied: 0, held: 10, denialRate: 0 },
    });

    const kpis = await stack.app.inject({ method: 'GET', url: '/kpis?practiceId=sunrise-fp', headers: sup });
    expect(kpis.statusCode, kpis.body).toBe(200);
    expect((kpis.json() as { claimRules: unknown[] }).claimRules).toEqual([
      expect.objectContaining({
        ruleKey: rule.ruleKey,
        before: expect.objectContaining({ denialRate: 1 }),
        after: expect.objectContaining({ denialRate: 0 }),
      }),
    ]);

    // A biller files one held claim over the rule, with a reason: audited, and the payer denies it.
    const overridden = later[0]!;
    const res = await stack.app.inject({
      method: 'POST',
      url: `/claims/${overridden}/override-claim-rules`,
      headers: stack.auth('biller'),
      payload: { expectedStatus: 'HOLD', reason: 'payer confirmed by phone that 25 is not needed' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const events = await stack.db
      .selectFrom('claim_events')
      .select(['kind', 'actor', 'reason'])
      .where('claim_id', '=', overridden)
      .where('kind', '=', 'CLAIM_RULES_OVERRIDDEN')
      .execute();
    expect(events).toEqual([
      {
        kind: 'CLAIM_RULES_OVERRIDDEN',
        actor: 'demo-biller',
        reason: 'payer confirmed by phone that 25 is not needed',
      },
    ]);
    await allIn(laterWith, 'PAID', 'the new claims with the modifier to be paid', true);
    await allIn(
      [overridden],
      'NEEDS_REVIEW',
      'the overridden claim to be denied as the rule predicted',
      true,
    );

    expect(await effectOf()).toMatchObject({
      // Ten held; the one filed over the rule was denied, as the rule predicted.
      after: { lines: 10, denied: 1, held: 10, denialRate: 0.1 },
    });
  }, 300_000);
});
