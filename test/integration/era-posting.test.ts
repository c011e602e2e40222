/**
 * ERA ingestion over the real stack: payer-sim adjudicates, the ERA pull workflow fetches the 835, posting
 * writes Postgres, and each claim workflow reaches the state the payer decided. Idempotency of posting
 * (twice, concurrently), reversals with reposts, unmatched loops and refused files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build835, type Remittance835 } from '../../domain/x12/index.js';
import { stateQuery } from '../../workflows/messages.js';
import { claimBody, eventually, type Stack, startStack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function simClaim(pcn: string) {
  const res = await fetch(`${stack.simUrl}/sim/claims/${pcn}`);
  return (await res.json()) as {
    submissions: number;
    outcome?: string;
    paidCents?: number;
    patientResponsibilityCents?: number;
    adjustments: { group: string; reason: string; amountCents: number }[];
  };
}

/** A one-claim 835 for a claim we submitted, as a payer would send it. */
function eraFor(
  pcn: string,
  chargeCents: number,
  opts: { trace: string; paid: number; icn?: string; control?: string; reversal?: boolean },
): string {
  const sign = opts.reversal ? -1 : 1;
  const r: Remittance835 = {
    interchangeControlNumber: opts.control ?? '000000101',
    groupControlNumber: '101',
    transactionControlNumber: '0001',
    senderId: 'ACMEHEALTH',
    receiverId: 'DENIALDESK',
    handlingCode: 'I',
    paymentCents: opts.reversal ? 0 : opts.paid,
    creditDebit: 'C',
    paymentMethod: 'ACH',
    paymentDate: new Date().toISOString().slice(0, 10),
    traceNumber: opts.trace,
    traceOriginator: '1999999999',
    payer: { entity: 'PR', name: 'ACME HEALTH', idQualifier: 'XV', id: 'ACME-HEALTH' },
    payee: { entity: 'PE', name: 'SUNRISE FAMILY PRACTICE', idQualifier: 'XX', id: '1234567893' },
    claims: [
      {
        patientControlNumber: pcn,
        statusCode: opts.reversal ? '22' : '1',
        chargeCents: sign * chargeCents,
        paidCents: sign * opts.paid,
        patientResponsibilityCents: 0,
        payerClaimNumber: opts.icn ?? `ICN-${pcn}`,
        adjustments: [{ group: 'CO', reason: '45', amountCents: sign * (chargeCents - opts.paid) }],
        remarkCodes: [],
        refs: {},
        dates: {},
        amounts: {},
        quantities: {},
        serviceLines: [],
      },
    ],
    providerAdjustments: opts.reversal
      ? [
          {
            providerId: '1234567893',
            fiscalPeriodDate: `${new Date().getUTCFullYear()}-12-31`,
            reason: 'FB',
            reference: opts.icn,
            amountCents: -opts.paid,
          },
        ]
      : [],
  };
  return build835([r]);
}

describe('ERA posting', () => {
  it('the same 835 posted twice, and a re-sent copy posted concurrently, leave exactly one set of postings', async () => {
    // LOST- claims are never adjudicated by payer-sim, so only our hand-made ERA pays them.
    const { body, claim: created } = await stack.submitClaim('LOST-9001');
    await eventually(
      async () => ((await stack.claimRow(created.id)).status === 'AWAITING_ADJUDICATION' ? true : undefined),
      'acceptance',
    );
    const era = eraFor(body.claimId, 20_000, { trace: 'EFT-IDEMP-1', paid: 16_000 });
    const upload = (text: string) =>
      stack.app.inject({
        method: 'POST',
        url: '/remittances',
        headers: { ...stack.auth('integration'), 'content-type': 'text/plain' },
        payload: text,
      });
    const first = await upload(era);
    expect(first.statusCode).toBe(201);
    const again = await upload(era);
    expect(again.statusCode).toBe(200);
    // The same payment re-sent in a new envelope (new checksum), twice at once.
    const resent = eraFor(body.claimId, 20_000, { trace: 'EFT-IDEMP-1', paid: 16_000, control: '000000202' });
    const [a, b] = await Promise.all([upload(resent), upload(resent)]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201]);

    const payments = await stack.db
      .selectFrom('claim_payments')
      .selectAll()
      .where('claim_id', '=', created.id)
      .execute();
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ paid_cents: 16_000, trace_number: 'EFT-IDEMP-1' });
    const adjustments = await stack.db
      .selectFrom('claim_adjustments')
      .selectAll()
      .where('claim_id', '=', created.id)
      .execute();
    expect(adjustments.map((x) => [x.group_code, x.reason_code, x.amount_cents])).toEqual([
      ['CO', '45', 4_000],
    ]);
    expect(await stack.db.selectFrom('era_files').select('id').execute()).toHaveLength(2);
    const row = await eventually(async () => {
      const r = await stack.claimRow(created.id);
      return r.status === 'PAID' ? r : undefined;
    }, 'PAID');
    expect(row).toMatchObject({ paid_cents: 16_000, adjustment_cents: 4_000, open_balance_cents: 0 });
  });

  it('an unknown CLP01 goes to the unmatched queue with its reason and starts nothing', async () => {
    const era = eraFor('NOSUCHCLAIM1', 5_000, { trace: 'EFT-UNMATCHED', paid: 5_000 });
    const res = await stack.app.inject({
      method: 'POST',
      url: '/remittances',
      headers: { ...stack.auth('integration'), 'content-type': 'text/plain' },
      payload: era,
    });
    expect(res.statusCode).toBe(201);
    const unmatched = await stack.db
      .selectFrom('unmatched_claim_payments')
      .selectAll()
      .where('patient_control_number', '=', 'NOSUCHCLAIM1')
      .execute();
    expect(unmatched).toHaveLength(1);
    expect(unmatched[0]).toMatchObject({
      reason: 'UNKNOWN_CLAIM',
      status: 'OPEN',
      paid_cents: 5_000,
      practice_id: 'sunrise-fp',
    });
    await expect(
      stack.client.workflow.getHandle('claim-sunrise-fp-NOSUCHCLAIM1').describe(),
    ).rejects.toThrow();
  });

  it('a malformed 835 is refused whole with its segment position and nothing is stored', async () => {
    const before = await stack.db.selectFrom('era_files').select('id').execute();
    const era = eraFor('WHATEVER1', 5_000, { trace: 'EFT-BAD', paid: 5_000 }).replace(
      'CLP*WHATEVER1*1*50*50',
      'CLP*WHATEVER1*1*50*5O',
    );
    const res = await stack.app.inject({
      method: 'POST',
      url: '/remittances',
      headers: { ...stack.auth('integration'), 'content-type': 'text/plain' },
      payload: era,
    });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const problem = res.json() as { errors: { field: string; message: string }[] };
    expect(problem.errors[0]!.field).toMatch(/^segment \d+ \(CLP/);
    expect(await stack.db.selectFrom('era_files').select('id').execute()).toHaveLength(before.length);
  });

  it('end to end: claims adjudicated by payer-sim, pulled by the ERA workflow, posted and settled claim by claim as the payer decided', async () => {
    const scenarios = ['PAID-1', 'COINS-2', 'DENY50-3', 'INFO16-4', 'DUP18-5', 'ELIG27-6'];
    const claims: Awaited<ReturnType<Stack['submitClaim']>>[] = [];
    for (const s of scenarios) claims.push(await stack.submitClaim(s));
    await eventually(async () => {
      const rows = await Promise.all(claims.map((c) => stack.claimRow(c.claim.id)));
      return rows.every((r) => r.status === 'AWAITING_ADJUDICATION') ? true : undefined;
    }, 'all accepted');
    await stack.pullEras();
    for (const c of claims) {
      const sim = await simClaim(c.body.claimId);
      // DENIED and PARTIAL are passing states on the way to NEEDS_REVIEW.
      const row = await eventually(async () => {
        const r = await stack.claimRow(c.claim.id);
        return ['PAID', 'PATIENT_BALANCE', 'NEEDS_REVIEW'].includes(r.status) ? r : undefined;
      }, `${c.body.claimId} settled`);
      const payments = await stack.db
        .selectFrom('claim_payments')
        .selectAll()
        .where('claim_id', '=', c.claim.id)
        .execute();
      expect(payments.map((p) => p.paid_cents)).toEqual([sim.paidCents]);
      expect(row.paid_cents).toBe(sim.paidCents);
      const denied = sim.adjustments.some(
        (a) => a.group !== 'PR' && !['45', '253'].includes(a.reason) && a.amountCents > 0,
      );
      const patient = sim.patientResponsibilityCents ?? 0;
      const expected = denied ? 'NEEDS_REVIEW' : patient > 0 ? 'PATIENT_BALANCE' : 'PAID';
      expect({ claim: c.body.claimId, status: row.status }).toEqual({
        claim: c.body.claimId,
        status: expected,
      });
      const live = await stack.client.workflow.getHandle(c.claim.workflowId).query(stateQuery);
      expect(live.status).toBe(expected);
      expect(live.balances.paidCents).toBe(sim.paidCents);
      if (denied) expect(row.denial_category).not.toBeNull();
    }
    const byClaim = Object.fromEntries(
      await Promise.all(
        claims.map(
          async (c) => [c.body.patient.memberId, (await stack.claimRow(c.claim.id)).denial_category] as const,
        ),
      ),
    );
    expect(byClaim).toMatchObject({
      'DENY50-3': 'MEDICAL_NECESSITY',
      'INFO16-4': 'MISSING_INFORMATION',
      'DUP18-5': 'DUPLICATE',
      'ELIG27-6': 'ELIGIBILITY',
    });
  });

  it('a reversal followed by a corrected repost on a later ERA ends with the right totals', async () => {
    const { body, claim: created } = await stack.submitClaim('REVERSE-7');
    await eventually(
      async () => ((await stack.claimRow(created.id)).status === 'AWAITING_ADJUDICATION' ? true : undefined),
      'acceptance',
    );
    await stack.pullEras();
    await eventually(
      async () => ((await stack.claimRow(created.id)).status === 'PAID' ? true : undefined),
      'first payment',
    );
    // Let the run close, so the reversal must reopen the claim as a new run.
    await eventually(
      async () =>
        (await stack.client.workflow.getHandle(created.workflowId).describe()).status.name === 'COMPLETED'
          ? true
          : undefined,
      'the paid run to close',
    );
    // payer-sim reverses and reposts in its next cycles.
    await stack.pullEras();
    await stack.pullEras();
    const sim = await simClaim(body.claimId);
    const row = await eventually(async () => {
      const r = await stack.claimRow(created.id);
      const n = await stack.db
        .selectFrom('claim_payments')
        .select('id')
        .where('claim_id', '=', created.id)
        .execute();
      return r.status === 'PAID' && n.length === 3 && r.paid_cents === sim.paidCents ? r : undefined;
    }, 'reversal and repost posted');
    const payments = await stack.db
      .selectFrom('claim_payments')
      .selectAll()
      .where('claim_id', '=', created.id)
      .orderBy('posted_at')
      .orderBy('claim_index')
      .execute();
    expect(payments.filter((p) => p.is_reversal)).toHaveLength(1);
    const original = payments[0]!;
    const reversal = payments.find((p) => p.is_reversal)!;
    // The reversal undoes the original posting exactly (CLP04 negated).
    expect(reversal.paid_cents).toBe(-original.paid_cents);
    const net = payments.reduce((s, p) => s + p.paid_cents, 0);
    expect(net).toBe(sim.paidCents);
    expect(row.paid_cents).toBe(net);
    expect(row.open_balance_cents).toBe(0);
    expect(row.paid_cents + row.adjustment_cents).toBe(row.total_charge_cents);
  });

  it('a reversal on a later ERA reopens a closed paid claim as a new run, and the repost settles it again', async () => {
    const { body, claim: created } = await stack.submitClaim('LOST-9002');
    await eventually(
      async () => ((await stack.claimRow(created.id)).status === 'AWAITING_ADJUDICATION' ? true : undefined),
      'acceptance',
    );
    const upload = (text: string) =>
      stack.app.inject({
        method: 'POST',
        url: '/remittances',
        headers: { ...stack.auth('integration'), 'content-type': 'text/plain' },
        payload: text,
      });
    expect(
      (await upload(eraFor(body.claimId, 20_000, { trace: 'EFT-R1', paid: 15_000, icn: 'ICN-A' })))
        .statusCode,
    ).toBe(201);
    const handle = stack.client.workflow.getHandle(created.workflowId);
    await eventually(
      async () => ((await handle.describe()).status.name === 'COMPLETED' ? true : undefined),
      'the paid run to close',
    );
    const firstRunId = (await handle.describe()).runId;

    // A reversal-only file nets to a negative amount, which payers send as BPR02 0 with the balance
    // carried forward in PLB (FB), never as a negative BPR02 (refused: docs/835-tolerance.md).
    const reversal = eraFor(body.claimId, 20_000, {
      trace: 'EFT-R2',
      paid: 15_000,
      icn: 'ICN-A',
      control: '000000303',
      reversal: true,
    });
    const rev = await upload(reversal);
    expect(rev.statusCode).toBe(201);
    const reopened = await eventually(async () => {
      const r = await stack.claimRow(created.id);
      return r.status === 'AWAITING_ADJUDICATION' ? r : undefined;
    }, 'reopened');
    expect(reopened).toMatchObject({ paid_cents: 0, adjustment_cents: 0, open_balance_cents: 20_000 });
    expect((await handle.describe()).runId).not.toBe(firstRunId);

    expect(
      (
        await upload(
          eraFor(body.claimId, 20_000, { trace: 'EFT-R3', paid: 18_000, icn: 'ICN-B', control: '000000404' }),
        )
      ).statusCode,
    ).toBe(201);
    const repaid = await eventually(async () => {
      const r = await stack.claimRow(created.id);
      return r.status === 'PAID' ? r : undefined;
    }, 'repaid');
    expect(repaid).toMatchObject({ paid_cents: 18_000, adjustment_cents: 2_000, open_balance_cents: 0 });
    const payments = await stack.db
      .selectFrom('claim_payments')
      .select(['paid_cents', 'is_reversal'])
      .where('claim_id', '=', created.id)
      .execute();
    expect(payments.reduce((sum, p) => sum + p.paid_cents, 0)).toBe(18_000);
    const kinds = await stack.db
      .selectFrom('claim_events')
      .select('kind')
      .where('claim_id', '=', created.id)
      .execute();
    expect(kinds.map((k) => k.kind)).toContain('REOPENED');
  });
});

describe('intake reconciliation', () => {
  it('a claim stored while Temporal was unreachable gets its workflow from the next scheduled sweep', async () => {
    const { insertClaim } = await import('../../db/claims.js');
    const body = claimBody();
    body.patient.memberId = 'PAID-ORPHAN1';
    const { claim } = await insertClaim(stack.db, {
      ...body,
      lines: body.lines.map((l) => ({ ...l, serviceDate: body.dateOfService })),
      workflowId: `claim-sunrise-fp-${body.claimId}`,
    });
    // As if stored ten minutes ago by an intake whose Temporal call failed.
    await stack.db
      .updateTable('claims')
      .set({ created_at: new Date(Date.now() - 10 * 60_000) } as never)
      .where('id', '=', claim.id)
      .execute();
    await stack.pullEras();
    await stack.waitForStatus(claim.id, 'AWAITING_ADJUDICATION');
    const desc = await stack.client.workflow.getHandle(claim.workflow_id).describe();
    expect(desc.status.name).toBe('RUNNING');
  });
});

describe('ERA upload as a file', () => {
  it('an 835 sent as a multipart/form-data file is stored and posted like a text body', async () => {
    const { body, claim } = await stack.submitClaim('LOST-9003');
    await stack.waitForStatus(claim.id, 'AWAITING_ADJUDICATION');
    const era = eraFor(body.claimId, 20_000, { trace: 'EFT-FORM-1', paid: 17_000, control: '000000505' });
    const boundary = '----denialdesk';
    const payload =
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="remit.835"\r\n` +
      `Content-Type: application/edi-x12\r\n\r\n${era}\r\n--${boundary}--\r\n`;
    const res = await stack.app.inject({
      method: 'POST',
      url: '/remittances',
      headers: { ...stack.auth('integration'), 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    expect(res.statusCode).toBe(201);
    const paid = await stack.waitForStatus(claim.id, 'PAID');
    expect(paid.paid_cents).toBe(17_000);
  });
});
